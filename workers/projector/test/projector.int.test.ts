import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from 'cloudflare:test';
import type { Actor, IncidentCommand, Severity } from '@vigil/core';
import { ApiKeys, EventStore, IncidentProjection, IncidentStore } from '@vigil/db';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../src/index';

const alice: Actor = { kind: 'human', id: 'alice' };
const detector: Actor = { kind: 'detector', id: 'vigil-detector' };
let readKey: string;
let ingestKey: string;

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 9, minute)).toISOString();

async function openIncident(id: string, service: string, severity: Severity, minute: number) {
  const incidents = new IncidentStore(env.DB);
  const command: IncidentCommand = {
    type: 'DetectIncident',
    data: {
      incidentId: id,
      at: at(minute),
      by: detector,
      service,
      kind: 'error_rate',
      severity,
      title: `${service} errors`,
      startedAt: at(minute),
      detectedAt: at(minute),
      impact: { usersAffected: 10, revenueImpact: 1, severity: 'high' },
    },
  };
  await incidents.execute(id, [command]);
}

async function project() {
  const batch = createMessageBatch('vigil-project', [
    {
      id: `w-${Math.random()}`,
      timestamp: new Date(),
      attempts: 1,
      body: { kind: 'wake-up', upTo: 0, reason: 'test' },
    },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

const get = (path: string, key = readKey, headers: Record<string, string> = {}) =>
  SELF.fetch(`http://projector.test${path}`, { headers: { authorization: `Bearer ${key}`, ...headers } });

beforeAll(async () => {
  const keys = new ApiKeys(env.DB);
  readKey = (await keys.create({ name: 'reader', scopes: ['read'] })).key;
  ingestKey = (await keys.create({ name: 'ingest', scopes: ['ingest'] })).key;
  await openIncident('INC-A', 'checkout', 'P1', 1);
  await openIncident('INC-B', 'search', 'P2', 2);
  await openIncident('INC-C', 'checkout', 'P0', 3);
  await new IncidentStore(env.DB).execute('INC-A', [
    { type: 'AcknowledgeIncident', data: { incidentId: 'INC-A', at: at(5), by: alice } },
    {
      type: 'ResolveIncident',
      data: { incidentId: 'INC-A', at: at(20), by: alice, resolution: 'Rolled back' },
    },
  ]);
  expect((await project()).ackAll).toBe(true);
});

describe('incident queries', () => {
  it('lists incidents newest first with the fields clients rely on', async () => {
    const response = await get('/v1/incidents');
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Record<string, unknown>[] };
    expect(items.map((i) => i.id)).toEqual(['INC-C', 'INC-B', 'INC-A']);
    expect(items[2]).toMatchObject({
      id: 'INC-A',
      service: 'checkout',
      kind: 'error_rate',
      severity: 'P1',
      status: 'resolved',
      version: 3,
      startedAt: at(1),
      acknowledgedAt: at(5),
      resolvedAt: at(20),
    });
  });

  it('filters by status, severity, service and time', async () => {
    const ids = async (query: string) =>
      ((await (await get(`/v1/incidents?${query}`)).json()) as { items: { id: string }[] }).items.map(
        (i) => i.id,
      );
    expect(await ids('status=open')).toEqual(['INC-C', 'INC-B']);
    expect(await ids('status=resolved')).toEqual(['INC-A']);
    expect(await ids('severity=P0')).toEqual(['INC-C']);
    expect(await ids('service=checkout')).toEqual(['INC-C', 'INC-A']);
    expect(await ids(`since=${at(2)}&until=${at(3)}`)).toEqual(['INC-B']);
  });

  it('pages with a stable cursor', async () => {
    const first = (await (await get('/v1/incidents?limit=2')).json()) as {
      items: { id: string }[];
      nextCursor: string;
    };
    expect(first.items.map((i) => i.id)).toEqual(['INC-C', 'INC-B']);
    const second = (await (await get(`/v1/incidents?limit=2&cursor=${first.nextCursor}`)).json()) as {
      items: { id: string }[];
      nextCursor: string | null;
    };
    expect(second.items.map((i) => i.id)).toEqual(['INC-A']);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses bad queries with problem details naming the parameter', async () => {
    const response = await get('/v1/incidents?severity=P9&limit=0');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(['/limit', '/severity']);
    expect((await get('/v1/incidents?cursor=nonsense')).status).toBe(400);
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const wrong = await SELF.fetch('http://projector.test/v1/incidents/INC-A', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expect((await SELF.fetch('http://projector.test/v1/nothing')).status).toBe(404);
  });

  it('answers HEAD wherever it answers GET, without a body (uptime monitors probe with HEAD)', async () => {
    for (const path of ['/status', '/status.json', '/health', '/']) {
      const [head, got] = await Promise.all([
        SELF.fetch(`http://projector.test${path}`, { method: 'HEAD' }),
        SELF.fetch(`http://projector.test${path}`),
      ]);
      expect({ path, status: head.status }).toEqual({ path, status: 200 });
      expect(head.headers.get('content-type')).toBe(got.headers.get('content-type'));
      expect(await head.text()).toBe('');
    }
    const list = await SELF.fetch('http://projector.test/v1/incidents', { method: 'HEAD' });
    expect(list.status).toBe(401);
  });

  it('sends every page with a policy that runs only its own script and keeps it out of frames', async () => {
    const dashboard = await SELF.fetch('http://projector.test/');
    const policy = dashboard.headers.get('content-security-policy') ?? '';
    const markup = await dashboard.text();
    const script = markup.slice(markup.indexOf('<script>') + '<script>'.length, markup.indexOf('</script>'));
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(script));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    expect(policy).toContain(`script-src 'sha256-${hash}'`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toMatch(/^default-src 'none'/);
    for (const path of ['/', '/status']) {
      const response = await SELF.fetch(`http://projector.test${path}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
    // The public pages run no script at all.
    expect(
      (await SELF.fetch('http://projector.test/status')).headers.get('content-security-policy'),
    ).not.toContain('script-src');
  });

  it('requires a read key', async () => {
    expect((await SELF.fetch('http://projector.test/v1/incidents')).status).toBe(401);
    expect((await get('/v1/incidents', 'vgl_unknown')).status).toBe(401);
    expect((await get('/v1/incidents', ingestKey)).status).toBe(403);
  });

  it('serves one incident with its version as ETag, and 304 when unchanged', async () => {
    const response = await get('/v1/incidents/INC-A');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"3"');
    const body = (await response.json()) as { state: { status: string; resolution: { text: string } } };
    expect(body.state.status).toBe('resolved');
    expect(body.state.resolution.text).toBe('Rolled back');
    expect((await get('/v1/incidents/INC-A', readKey, { 'if-none-match': '"3"' })).status).toBe(304);
    // As HTTP caches send it: weak tags, lists and * match too (RFC 9110, weak comparison).
    for (const header of ['W/"3"', '"1", W/"3"', '*']) {
      const cached = await get('/v1/incidents/INC-A', readKey, { 'if-none-match': header });
      expect(cached.status, header).toBe(304);
      expect(cached.headers.get('etag')).toBe('"3"');
    }
    for (const header of ['"2"', 'W/"2", "4"', '"33"']) {
      expect((await get('/v1/incidents/INC-A', readKey, { 'if-none-match': header })).status, header).toBe(
        200,
      );
    }
    expect((await get('/v1/incidents/INC-NOPE')).status).toBe(404);
    expect((await get('/v1/incidents/INC-NOPE', readKey, { 'if-none-match': '*' })).status).toBe(404);
  });

  it('serves the timeline as human-readable entries in order', async () => {
    const { entries } = (await (await get('/v1/incidents/INC-A/timeline')).json()) as {
      entries: { type: string; summary: string; actor: Actor }[];
    };
    expect(entries.map((e) => e.type)).toEqual([
      'IncidentDetected',
      'IncidentAcknowledged',
      'IncidentResolved',
    ]);
    expect(entries[1]).toMatchObject({ summary: 'Acknowledged by alice', actor: alice });
  });
});

describe('projection guarantees', () => {
  const snapshot = async () => {
    const incidents = await env.DB.prepare('SELECT * FROM incidents ORDER BY id').all();
    const timeline = await env.DB.prepare('SELECT * FROM timeline_entries ORDER BY seq').all();
    return {
      incidents: incidents.results.map(({ updated_at, ...row }) => row),
      timeline: timeline.results,
    };
  };

  it('redelivered wake-ups change nothing', async () => {
    const before = await snapshot();
    await project();
    await project();
    expect(await snapshot()).toEqual(before);
  });

  it('a rebuild from the log gives the same rows as the live projection', async () => {
    await new IncidentStore(env.DB).execute('INC-B', [
      { type: 'AcknowledgeIncident', data: { incidentId: 'INC-B', at: at(30), by: alice } },
      { type: 'MarkMitigated', data: { incidentId: 'INC-B', at: at(31), by: alice } },
    ]);
    await project();
    const live = await snapshot();
    const rebuilt = await new IncidentProjection(env.DB).rebuild();
    expect(rebuilt.caughtUp).toBe(true);
    expect(await snapshot()).toEqual(live);
  });

  it("keeps the stream's version across an event type a newer Worker recorded", async () => {
    await openIncident('INC-D', 'search', 'P2', 40);
    const log = new EventStore(env.DB);
    const recorded = (type: string, minute: number) => ({
      type,
      data: { incidentId: 'INC-D', at: at(minute), by: alice },
      metadata: { actor: alice },
    });
    await log.appendToStream('INC-D', [recorded('IncidentForecasted', 41)]);
    await project();
    // The version a responder sends back as If-Match: the stream's, not the last type known here.
    expect((await get('/v1/incidents/INC-D')).headers.get('etag')).toBe('"2"');
    await log.appendToStream('INC-D', [recorded('IncidentAcknowledged', 42)]);
    await project();
    await project();
    const incident = (await (await get('/v1/incidents/INC-D')).json()) as { status: string; version: number };
    expect(incident).toMatchObject({ status: 'acknowledged', version: 3 });
    const live = await snapshot();
    await new IncidentProjection(env.DB).rebuild({ pageSize: 1 });
    expect(await snapshot()).toEqual(live);
  });
});
