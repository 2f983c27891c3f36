import { env, SELF } from 'cloudflare:test';
import type { Actor, IncidentCommand } from '@vigil/core';
import { ApiKeys, IncidentProjection, IncidentStore } from '@vigil/db';
import { beforeAll, describe, expect, it } from 'vitest';

const alice: Actor = { kind: 'human', id: 'u_alice', name: 'Alice' };
const bob: Actor = { kind: 'human', id: 'u_bob', name: 'Bob' };
const detector: Actor = { kind: 'detector', id: 'vigil-detector' };
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();
let readKey: string;

const get = (path: string, headers: Record<string, string> = {}) =>
  SELF.fetch(`http://projector.test${path}`, { headers: { authorization: `Bearer ${readKey}`, ...headers } });

beforeAll(async () => {
  readKey = (await new ApiKeys(env.DB).create({ name: 'reader', scopes: ['read'] })).key;
  const id = 'INC-Q1';
  const issued = (minute: number, by: Actor = alice) => ({ incidentId: id, at: at(minute), by });
  const commands: IncidentCommand[] = [
    {
      type: 'DetectIncident',
      data: {
        ...issued(2, detector),
        service: 'checkout',
        kind: 'error_rate',
        severity: 'P1',
        title: 'checkout: Error rate 8.0% (threshold 5.0%)',
        startedAt: at(0),
        detectedAt: at(2),
        impact: { usersAffected: 80, revenueImpact: 8, severity: 'high' },
      },
    },
    { type: 'AcknowledgeIncident', data: issued(6) },
    {
      type: 'AttemptMitigation',
      data: { ...issued(8, bob), mitigationId: 'm1', action: 'rollback', description: 'Roll back to v41' },
    },
    {
      type: 'RecordMitigationResult',
      data: { ...issued(12, bob), mitigationId: 'm1', outcome: 'succeeded', message: 'v41 live' },
    },
    { type: 'IdentifyRootCause', data: { ...issued(14), rootCause: 'v42 dropped the idempotency header' } },
    { type: 'MarkMitigated', data: { ...issued(15, bob), mitigationId: 'm1' } },
    {
      type: 'ResolveIncident',
      data: { ...issued(40), resolution: 'Rolled back to v41 and pinned the client' },
    },
    {
      type: 'AddActionItem',
      data: {
        ...issued(50),
        actionItemId: 'a1',
        title: 'Alert on header loss',
        ownerRole: 'senior-engineer',
        ownerPerson: 'bob',
        kind: 'alerting',
        dueDate: '2026-12-01',
      },
    },
    {
      type: 'AddActionItem',
      data: {
        ...issued(51),
        actionItemId: 'a2',
        title: 'Canary the client',
        ownerRole: 'team-lead',
        kind: 'procedure',
      },
    },
    {
      type: 'AddActionItem',
      data: {
        ...issued(52),
        actionItemId: 'a3',
        title: 'Update the runbook',
        ownerPerson: 'alice',
        kind: 'documentation',
      },
    },
    { type: 'ChangeActionItemStatus', data: { ...issued(53), actionItemId: 'a3', to: 'completed' } },
    {
      type: 'DraftPostmortem',
      data: {
        ...issued(60),
        lessonsLearned: ['Canary client upgrades'],
        impactNarrative: 'Card payments failed in the EU',
      },
    },
  ];
  await new IncidentStore(env.DB).execute(id, commands);
  await new IncidentProjection(env.DB).catchUp();
});

describe('GET /v1/incidents/{id}/postmortem', () => {
  it('answers JSON with every runbook field derived from the events', async () => {
    const response = await get('/v1/incidents/INC-Q1/postmortem');
    expect(response.status).toBe(200);
    const postmortem = (await response.json()) as {
      actionItems: { owner: unknown; status: string }[];
      timeline: unknown[];
      lessonsLearned: string[];
    };
    expect(postmortem).toMatchObject({
      title: 'P1 checkout incident on 2026-11-20: checkout: Error rate 8.0% (threshold 5.0%)',
      severity: 'P1',
      date: '2026-11-20',
      status: 'draft',
      summary: {
        service: 'checkout',
        usersAffected: 80,
        startedAt: at(0),
        detectedAt: at(2),
        resolvedAt: at(40),
      },
      impact: {
        durationSeconds: 2400,
        usersAffected: 80,
        revenueImpact: 8,
        narrative: 'Card payments failed in the EU',
      },
      rootCause: 'v42 dropped the idempotency header',
      resolution: {
        text: 'Rolled back to v41 and pinned the client',
        mitigations: [{ action: 'rollback', description: 'Roll back to v41', outcome: 'succeeded' }],
      },
      acknowledgments: ['Alice', 'Bob'],
    });
    expect(postmortem.actionItems.map((i) => [i.owner, i.status])).toEqual([
      [{ role: 'senior-engineer', person: 'bob' }, 'pending'],
      [{ role: 'team-lead', person: null }, 'pending'],
      [{ role: null, person: 'alice' }, 'completed'],
    ]);
    expect(postmortem.timeline).toHaveLength(12);
    expect(postmortem.lessonsLearned[0]).toBe('Canary client upgrades');
  });

  it('answers Markdown when asked for text/markdown', async () => {
    const response = await get('/v1/incidents/INC-Q1/postmortem', { accept: 'text/markdown' });
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const markdown = await response.text();
    expect(markdown).toContain('## Root cause\n\nv42 dropped the idempotency header');
    expect(markdown).toContain('| Alert on header loss | bob, senior-engineer | pending | 2026-12-01 |');
  });

  it('follows the quality values of Accept: text/markdown;q=0 is a refusal, not a request', async () => {
    for (const [accept, type] of [
      ['text/markdown;q=0, application/json', 'application/json'],
      ['application/json, text/markdown;q=0.5', 'application/json'],
      ['application/json;q=0.5, text/markdown', 'text/markdown; charset=utf-8'],
      ['text/*', 'text/markdown; charset=utf-8'],
      // Named, with a wildcard fallback: the named type outranks the one the wildcard stands for.
      ['text/markdown, */*', 'text/markdown; charset=utf-8'],
      ['*/*', 'application/json'],
    ]) {
      const response = await get('/v1/incidents/INC-Q1/postmortem', { accept: accept! });
      expect(response.headers.get('content-type'), accept).toBe(type);
    }
  });

  it('is a 404 problem for an unknown incident', async () => {
    const response = await get('/v1/incidents/INC-NONE/postmortem');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: string }).code).toBe('incident_not_found');
  });
});

describe('GET /v1/action-items', () => {
  type Page = { items: { id: string; status: string; owner: unknown }[]; nextCursor: string | null };
  it('lists open items by default and filters by status', async () => {
    const open = (await (await get('/v1/action-items')).json()) as Page;
    expect(open.items.map((i) => i.id)).toEqual(['a1', 'a2']);
    const done = (await (await get('/v1/action-items?status=completed')).json()) as Page;
    expect(done.items.map((i) => i.id)).toEqual(['a3']);
    const all = (await (await get('/v1/action-items?status=all&service=checkout')).json()) as Page;
    expect(all.items).toHaveLength(3);
  });

  it('pages with a cursor and refuses an unknown status', async () => {
    const first = (await (await get('/v1/action-items?status=all&limit=2')).json()) as Page;
    expect(first.items.map((i) => i.id)).toEqual(['a1', 'a2']);
    const second = (await (
      await get(`/v1/action-items?status=all&limit=2&cursor=${first.nextCursor}`)
    ).json()) as Page;
    expect(second.items.map((i) => i.id)).toEqual(['a3']);
    expect(second.nextCursor).toBeNull();
    expect((await get('/v1/action-items?status=done')).status).toBe(400);
  });
});

describe('incident detail and timeline', () => {
  it('carries triage and first/last transition times', async () => {
    const body = await (await get('/v1/incidents/INC-Q1')).json();
    expect(body).toMatchObject({
      status: 'resolved',
      transitions: { mitigated: { first: at(15), last: at(15) }, resolved: { first: at(40), last: at(40) } },
      triage: null,
    });
  });

  it('pages the timeline and filters it by visibility', async () => {
    type Timeline = { entries: { seq: number; visibility: string }[]; nextCursor: string | null };
    const first = (await (await get('/v1/incidents/INC-Q1/timeline?limit=5')).json()) as Timeline;
    expect(first.entries).toHaveLength(5);
    const rest = (await (
      await get(`/v1/incidents/INC-Q1/timeline?limit=50&cursor=${first.nextCursor}`)
    ).json()) as Timeline;
    expect(rest.entries).toHaveLength(7);
    expect(rest.entries[0]!.seq).toBeGreaterThan(first.entries.at(-1)!.seq);
    const publicOnly = (await (
      await get('/v1/incidents/INC-Q1/timeline?visibility=public')
    ).json()) as Timeline;
    expect(publicOnly.entries.map((e) => e.visibility)).toEqual(['public', 'public', 'public']);
  });
});

describe('cursors', () => {
  it('refuses a cursor whose parts are not the kinds its list returns: 400, not a page of wrong rows', async () => {
    const cursor = (key: unknown[]) => btoa(JSON.stringify(key)).replaceAll('=', '');
    for (const path of [
      `/v1/incidents?cursor=${cursor([1, 2])}`,
      `/v1/incidents/INC-Q1/timeline?cursor=${cursor(['x'])}`,
      `/v1/incidents/INC-Q1/timeline?cursor=${cursor([1.5])}`,
      `/v1/metrics/rollups?period=hour&cursor=${cursor([1, 2, 3])}`,
      `/v1/action-items?cursor=${cursor(['2026-11-20T09:50:00.000Z', 'INC-Q1', 7])}`,
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { code: string }).code, path).toBe('invalid_cursor');
    }
  });
});

describe('GET /v1/openapi.json', () => {
  it('documents every projector endpoint as OpenAPI 3.1', async () => {
    const document = (await (await SELF.fetch('http://projector.test/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/incidents',
      '/v1/incidents/{id}',
      '/v1/incidents/{id}/timeline',
      '/v1/incidents/{id}/postmortem',
      '/v1/metrics',
      '/v1/metrics/rollups',
      '/v1/action-items',
      '/v1/admin/rebuild',
      '/status',
      '/status.json',
      '/',
    ]) {
      expect(document.paths[path], path).toBeDefined();
    }
    expect(document.paths['/v1/metrics']!.get!.parameters!.map((p) => p.name)).toEqual([
      'from',
      'to',
      'service',
      'severity',
    ]);
  });
});

describe('dashboard', () => {
  it('serves a sign-in shell without a key, and its body only with a read key', async () => {
    const shell = await SELF.fetch('http://projector.test/');
    expect(shell.status).toBe(200);
    const page = await shell.text();
    expect(page).toContain('id="signin"');
    expect(page).toContain('sessionStorage');
    expect(page).not.toContain('INC-Q1');
    expect((await SELF.fetch('http://projector.test/v1/dashboard')).status).toBe(401);
  });

  it('renders counts, incidents, the selected timeline and SVG charts on the server', async () => {
    const response = await get('/v1/dashboard?incident=INC-Q1');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const body = await response.text();
    expect(body).toContain('data-incident="INC-Q1"');
    expect(body).toContain('id="timeline" data-incident="INC-Q1"');
    expect(body).toContain('Root cause identified by Alice: v42 dropped the idempotency header');
    expect(body).toContain('data-chart="MTTA and MTTR per week"');
    expect(body).toContain('data-chart="Incidents per week by service"');
    expect(body.match(/<svg /g)?.length).toBe(2);
  });

  it("shows a long incident's latest timeline entries, saying earlier ones are left out", async () => {
    const id = 'INC-Q-LONG';
    const issued = (minute: number, by: Actor = alice) => ({ incidentId: id, at: at(minute), by });
    await new IncidentStore(env.DB).execute(id, [
      {
        type: 'DetectIncident',
        data: {
          ...issued(1, detector),
          service: 'search',
          kind: 'response_time',
          severity: 'P2',
          title: 'search slow for hours',
          startedAt: at(0),
          detectedAt: at(1),
          impact: { usersAffected: 10, revenueImpact: 1, severity: 'high' },
        },
      },
      ...Array.from(
        { length: 520 },
        (_, n): IncidentCommand => ({ type: 'AddNote', data: { ...issued(2 + n), text: `probe ${n}` } }),
      ),
      { type: 'ResolveIncident', data: { ...issued(600), resolution: 'Index rebuilt' } },
    ]);
    await new IncidentProjection(env.DB).catchUp();
    const body = await (await get(`/v1/dashboard?incident=${id}`)).text();
    expect(body).toContain('Resolved by Alice: Index rebuilt');
    expect(body).toContain('id="timeline-earlier"');
    expect(body).not.toContain('Note from Alice: probe 20 <');
    expect(body).toContain('Note from Alice: probe 21 <');
    expect(body.match(/<li data-seq=/g)?.length).toBe(500);
  });
});
