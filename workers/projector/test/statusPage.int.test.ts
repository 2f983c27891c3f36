import { env, SELF } from 'cloudflare:test';
import type { Actor, IncidentCommand } from '@vigil/core';
import { IncidentProjection, IncidentStore } from '@vigil/db';
import { beforeAll, describe, expect, it } from 'vitest';

const alice: Actor = { kind: 'human', id: 'u_alice_secret', name: 'Alice' };
const detector: Actor = { kind: 'detector', id: 'vigil-detector' };
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function run(id: string, commands: IncidentCommand[]) {
  await new IncidentStore(env.DB).execute(id, commands);
  await new IncidentProjection(env.DB).catchUp();
}

const detect = (
  id: string,
  service: string,
  severity: 'P0' | 'P1' | 'P2' | 'P3',
  kind: string,
  minutes: number,
): IncidentCommand => ({
  type: 'DetectIncident',
  data: {
    incidentId: id,
    at: minutesAgo(minutes - 1),
    by: detector,
    service,
    kind,
    severity,
    title: `INTERNAL TITLE ${service}`,
    startedAt: minutesAgo(minutes),
    detectedAt: minutesAgo(minutes - 1),
    impact: { usersAffected: 40, revenueImpact: 4, severity: 'high' },
  },
});

type Summary = {
  page: { name: string; url: string };
  components: { id: string; name: string; status: string }[];
  incidents: {
    id: string;
    name: string;
    status: string;
    impact: string;
    incident_updates: { status: string; body: string }[];
  }[];
  status: { indicator: string; description: string };
};
const summary = async () => (await (await SELF.fetch('http://projector.test/status.json')).json()) as Summary;
const statusHtml = async () => (await SELF.fetch('http://projector.test/status')).text();

beforeAll(async () => {
  // A service that reports metrics but never had an incident is a component too.
  await env.DB.prepare(
    "INSERT INTO metric_buckets (service, minute, requests, errors, first_at) VALUES ('search', '2026-11-29T10:00', 100, 0, '2026-11-29T10:00:00Z')",
  ).run();
});

describe('public status page', () => {
  it('is operational with no incidents, and needs no key', async () => {
    const response = await SELF.fetch('http://projector.test/status.json');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Summary;
    expect(body.status).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    expect(body.components).toEqual([expect.objectContaining({ id: 'search', status: 'operational' })]);
    expect(body.incidents).toEqual([]);
  });

  it('shows an incident as a component outage with its public updates and no internal fields', async () => {
    await run('INC-S1', [
      detect('INC-S1', 'checkout', 'P0', 'error_rate', 30),
      { type: 'AcknowledgeIncident', data: { incidentId: 'INC-S1', at: minutesAgo(25), by: alice } },
      {
        type: 'AddNote',
        data: { incidentId: 'INC-S1', at: minutesAgo(24), by: alice, text: 'NOTE: db password rotated' },
      },
      {
        type: 'PostStatusUpdate',
        data: {
          incidentId: 'INC-S1',
          at: minutesAgo(23),
          by: alice,
          updateId: 'u1',
          status: 'investigating',
          message: 'Checkout payments are failing for some customers.',
          visibility: 'public',
        },
      },
      {
        type: 'PostStatusUpdate',
        data: {
          incidentId: 'INC-S1',
          at: minutesAgo(22),
          by: alice,
          updateId: 'u2',
          status: 'investigating',
          message: 'INTERNAL: blame the vendor',
          visibility: 'internal',
        },
      },
      {
        type: 'IdentifyRootCause',
        data: { incidentId: 'INC-S1', at: minutesAgo(20), by: alice, rootCause: 'ROOT: expired TLS cert' },
      },
    ]);
    const body = await summary();
    expect(body.status).toEqual({ indicator: 'critical', description: 'Major System Outage' });
    expect(body.components.find((c) => c.id === 'checkout')?.status).toBe('major_outage');
    expect(body.incidents).toHaveLength(1);
    expect(body.incidents[0]).toMatchObject({
      id: 'INC-S1',
      name: 'Elevated error rates on checkout',
      status: 'identified',
      impact: 'critical',
    });
    expect(body.incidents[0]!.incident_updates.map((u) => u.body)).toContain(
      'Checkout payments are failing for some customers.',
    );
    const page = await statusHtml();
    expect(page).toContain('data-component="checkout" data-status="major_outage"');
    expect(page).toContain('Checkout payments are failing for some customers.');
    for (const text of [JSON.stringify(body), page]) {
      expect(text).not.toMatch(/INTERNAL|NOTE:|ROOT:|u_alice_secret|senior-engineer|triage/);
    }
  });

  it('takes the worst of several incidents per service and recovers when they are mitigated', async () => {
    await run('INC-S2', [detect('INC-S2', 'checkout', 'P1', 'response_time', 10)]);
    await run('INC-S3', [detect('INC-S3', 'login', 'P1', 'response_time', 10)]);
    let body = await summary();
    expect(body.components.find((c) => c.id === 'checkout')?.status).toBe('major_outage');
    expect(body.components.find((c) => c.id === 'login')?.status).toBe('degraded_performance');
    await run('INC-S1', [
      { type: 'MarkMitigated', data: { incidentId: 'INC-S1', at: minutesAgo(5), by: alice } },
    ]);
    body = await summary();
    expect(body.components.find((c) => c.id === 'checkout')?.status).toBe('degraded_performance');
    expect(body.incidents.find((i) => i.id === 'INC-S1')?.status).toBe('monitoring');
  });

  it('lists resolved incidents of the last 14 days, linking the postmortem once it is published', async () => {
    const resolve = (id: string): IncidentCommand => ({
      type: 'ResolveIncident',
      data: { incidentId: id, at: minutesAgo(4), by: alice, resolution: 'Renewed the certificate' },
    });
    await run('INC-S1', [resolve('INC-S1')]);
    await run('INC-S2', [resolve('INC-S2')]);
    let page = await statusHtml();
    expect(page).toContain('data-incident="INC-S1" data-status="resolved"');
    expect(page).not.toContain('/status/incidents/INC-S1/postmortem');
    expect((await SELF.fetch('http://projector.test/status/incidents/INC-S1/postmortem')).status).toBe(404);

    await run('INC-S1', [
      {
        type: 'DraftPostmortem',
        data: {
          incidentId: 'INC-S1',
          at: minutesAgo(3),
          by: alice,
          lessonsLearned: ['Alert on certificate expiry'],
          acknowledgments: ['Alice', 'Bob'],
        },
      },
      { type: 'PublishPostmortem', data: { incidentId: 'INC-S1', at: minutesAgo(2), by: alice } },
    ]);
    page = await statusHtml();
    expect(page).toContain('href="/status/incidents/INC-S1/postmortem"');
    const postmortem = await SELF.fetch('http://projector.test/status/incidents/INC-S1/postmortem');
    expect(postmortem.status).toBe(200);
    const text = await postmortem.text();
    expect(text).toContain('ROOT: expired TLS cert');
    expect(text).toContain('Alert on certificate expiry');
    expect(text).not.toMatch(/NOTE:|INTERNAL|u_alice_secret/);
    const body = await summary();
    expect(body.components.find((c) => c.id === 'checkout')?.status).toBe('operational');
    expect(body.incidents.map((i) => i.id)).toEqual(['INC-S3']);
  });

  it('draws 90-day uptime bars, with the outage on today', async () => {
    const page = await statusHtml();
    const checkout = page.slice(page.indexOf('data-component="checkout"'));
    expect(checkout.match(/<rect /g)?.length).toBeGreaterThanOrEqual(90);
    expect(checkout).toContain(`data-date="${new Date().toISOString().slice(0, 10)}"`);
    expect(page).toMatch(/fill="#e03131" data-date="\d{4}-\d{2}-\d{2}"/);
  });

  it("gives each incident Statuspage's impact for its severity: P0 critical, P1 major, P2 minor, P3 none", async () => {
    const severities = ['P0', 'P1', 'P2', 'P3'] as const;
    for (const severity of severities) {
      await run(`INC-IMPACT-${severity}`, [
        detect(`INC-IMPACT-${severity}`, `impact-${severity}`, severity, 'error_rate', 3),
      ]);
    }
    const impacts = (await summary()).incidents
      .filter((incident) => incident.id.startsWith('INC-IMPACT-'))
      .map((incident) => [incident.id, incident.impact]);
    expect(Object.fromEntries(impacts)).toEqual({
      'INC-IMPACT-P0': 'critical',
      'INC-IMPACT-P1': 'major',
      'INC-IMPACT-P2': 'minor',
      'INC-IMPACT-P3': 'none',
    });
  });
});
