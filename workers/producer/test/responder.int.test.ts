import { env, SELF } from 'cloudflare:test';
import { ApiKeys, Channels, EventStore } from '@vigil/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { declareIncident } from '../src/responderCommands';
import { openApi } from '../src/router';

let respondKey: string;
let adminKey: string;
let readKey: string;

beforeAll(async () => {
  const keys = new ApiKeys(env.DB);
  respondKey = (await keys.create({ name: 'on-call', scopes: ['respond'] })).key;
  adminKey = (await keys.create({ name: 'admin', scopes: ['admin'] })).key;
  readKey = (await keys.create({ name: 'read', scopes: ['read'] })).key;
});

interface CommandAnswer {
  id: string;
  version: number;
  status: string;
  replayed: boolean;
  events: { type: string }[];
  mitigationId?: string;
  actionItemId?: string;
  state: Record<string, unknown>;
}

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return SELF.fetch(`http://producer.test${path}`, {
    method,
    headers: {
      authorization: `Bearer ${respondKey}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

async function ok(response: Response, status = 200): Promise<CommandAnswer> {
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(status);
  return body as CommandAnswer;
}

async function declare(title = 'Checkout down') {
  return ok(
    await call(
      'POST',
      '/v1/incidents',
      { service: 'checkout', severity: 'P0', title },
      { 'x-vigil-actor': 'alice' },
    ),
    201,
  );
}

describe('responder commands', () => {
  it('drives an incident through its whole lifecycle over HTTP', async () => {
    const declared = await declare();
    expect(declared.id).toMatch(/^INC-/);
    expect(declared.events.map((e) => e.type)).toEqual(['IncidentDeclared', 'IncidentTriaged']);
    const id = declared.id;
    await ok(await call('POST', `/v1/incidents/${id}/acknowledge`));
    await ok(
      await call('POST', `/v1/incidents/${id}/escalate`, { toRole: 'vp-engineering', reason: 'Full outage' }),
    );
    await ok(
      await call('POST', `/v1/incidents/${id}/severity`, { severity: 'P1', reason: 'Partial recovery' }),
    );
    await ok(await call('POST', `/v1/incidents/${id}/identify`, { rootCause: 'Bad config push' }));
    await ok(
      await call('POST', `/v1/incidents/${id}/status-updates`, {
        status: 'identified',
        message: 'We found the cause.',
        visibility: 'public',
      }),
      201,
    );
    const failed = await ok(
      await call('POST', `/v1/incidents/${id}/mitigations`, {
        action: 'clear_cache',
        description: 'Flush CDN',
      }),
      201,
    );
    await ok(
      await call('POST', `/v1/incidents/${id}/mitigations/${failed.mitigationId}/result`, {
        outcome: 'failed',
        message: 'No effect',
      }),
    );
    const rollback = await ok(
      await call('POST', `/v1/incidents/${id}/mitigations`, {
        action: 'rollback',
        description: 'Roll back config',
        params: { version: 'v41' },
      }),
      201,
    );
    await ok(
      await call('POST', `/v1/incidents/${id}/mitigations/${rollback.mitigationId}/result`, {
        outcome: 'succeeded',
        message: 'Errors gone',
      }),
    );
    await ok(await call('POST', `/v1/incidents/${id}/mitigated`, { mitigationId: rollback.mitigationId }));
    const noted = await ok(
      await call('POST', `/v1/incidents/${id}/notes`, { text: 'Watching for 30 minutes' }),
      201,
    );
    // The answer's state is the detail view's: notes and deliveries are the timeline's.
    expect(noted.state).toMatchObject({ id, status: 'mitigated', rootCause: { text: 'Bad config push' } });
    expect(noted.state).not.toHaveProperty('notes');
    expect(noted.state).not.toHaveProperty('notifications');
    const resolved = await ok(
      await call('POST', `/v1/incidents/${id}/resolve`, { resolution: 'Config rolled back' }),
    );
    expect(resolved.status).toBe('resolved');
    const item = await ok(
      await call('POST', `/v1/incidents/${id}/action-items`, {
        title: 'Validate config pushes',
        kind: 'procedure',
        ownerRole: 'team-lead',
      }),
      201,
    );
    await ok(
      await call('POST', `/v1/incidents/${id}/action-items/${item.actionItemId}/status`, {
        status: 'in-progress',
      }),
    );
    await ok(
      await call('POST', `/v1/incidents/${id}/postmortem`, { lessonsLearned: ['Stage config pushes'] }),
    );
    const published = await ok(await call('POST', `/v1/incidents/${id}/postmortem/publish`));
    expect(published.events.map((e) => e.type)).toEqual(['PostmortemPublished']);
    const log = await new EventStore(env.DB).readStream(id);
    expect(log.map((e) => e.version)).toEqual(log.map((_, i) => i + 1));
    expect(log[0]!.metadata.actor).toMatchObject({ kind: 'human', id: 'alice' });
  });

  it('triages a declared incident with the similar past incidents the read model holds', async () => {
    const past = new Date(Date.now() - 3 * 86_400_000).toISOString();
    await env.DB.prepare(
      `INSERT INTO incidents (id, service, kind, category, severity, status, title, started_at, detected_at, resolved_at,
         version, last_seq, state, updated_at)
       VALUES ('INC-PAST-CHECKOUT', 'checkout', 'manual', 'technical', 'P1', 'resolved', 'Checkout down', ?1, ?1, ?1,
         5, 5, '{}', ?1)`,
    )
      .bind(past)
      .run();
    const declared = await declare('Checkout down again');
    const triage = declared.state.triage as { similarIncidents: { id: string }[] };
    expect(triage.similarIncidents.map((incident) => incident.id)).toContain('INC-PAST-CHECKOUT');
  });

  it('answers 409 with the domain code for an illegal transition, 404 for an unknown incident', async () => {
    const { id } = await declare('Twice resolved');
    await ok(await call('POST', `/v1/incidents/${id}/resolve`, { resolution: 'done' }));
    const again = await call('POST', `/v1/incidents/${id}/resolve`, { resolution: 'done again' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(await again.json()).toMatchObject({ code: 'incident_already_resolved', status: 409 });
    const ack = await call('POST', `/v1/incidents/${id}/acknowledge`);
    expect(ack.status).toBe(409);
    const publish = await call('POST', `/v1/incidents/${id}/postmortem/publish`);
    expect(await publish.json()).toMatchObject({ code: 'postmortem_not_drafted' });
    const missing = await call('POST', '/v1/incidents/INC-NOPE/acknowledge');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'incident_not_found' });
  });

  it('If-Match with a stale version answers 412 and appends nothing', async () => {
    const { id, version } = await declare('Raced');
    await ok(
      await call('POST', `/v1/incidents/${id}/notes`, { text: 'first' }, { 'if-match': `"${version}"` }),
      201,
    );
    const stale = await call(
      'POST',
      `/v1/incidents/${id}/notes`,
      { text: 'second' },
      { 'if-match': `"${version}"` },
    );
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ code: 'version_mismatch' });
    expect((await new EventStore(env.DB).readStream(id)).length).toBe(version + 1);
    expect(
      (await call('POST', `/v1/incidents/${id}/notes`, { text: 'x' }, { 'if-match': 'soon' })).status,
    ).toBe(400);
  });

  it('an Idempotency-Key makes a retry return the first result without appending', async () => {
    const { id } = await declare('Retried');
    const headers = { 'idempotency-key': 'ack-once' };
    const first = await ok(await call('POST', `/v1/incidents/${id}/acknowledge`, undefined, headers));
    const retry = await ok(await call('POST', `/v1/incidents/${id}/acknowledge`, undefined, headers));
    expect(retry.replayed).toBe(true);
    expect(retry.version).toBe(first.version);
    const declared = await call(
      'POST',
      '/v1/incidents',
      { service: 'search', severity: 'P2', title: 'x' },
      { 'idempotency-key': 'decl-1' },
    );
    const declaredAgain = await call(
      'POST',
      '/v1/incidents',
      { service: 'search', severity: 'P2', title: 'x' },
      { 'idempotency-key': 'decl-1' },
    );
    expect(declaredAgain.status).toBe(201);
    expect(((await declaredAgain.json()) as CommandAnswer).id).toBe(
      ((await declared.json()) as CommandAnswer).id,
    );
  });

  it('a retried declaration answers the first one’s result, also when the retries race it', async () => {
    const body = { service: 'search', severity: 'P2', title: 'Declared by a flaky client' };
    const headers = { 'idempotency-key': 'decl-race' };
    // Straight to the handler: concurrent requests through SELF are served one after the other.
    const request = () =>
      Object.assign(
        new Request('http://producer.test/v1/incidents', {
          method: 'POST',
          headers: { authorization: `Bearer ${respondKey}`, 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        }),
        { route: '/v1/incidents', params: {}, query: {} },
      );
    const raced = await Promise.all(Array.from({ length: 4 }, () => declareIncident(request(), env)));
    expect(raced.map((response) => response.status)).toEqual([201, 201, 201, 201]);
    const answers = await Promise.all(raced.map((response) => response.json() as Promise<CommandAnswer>));
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
    const { id } = answers[0]!;
    await ok(await call('POST', `/v1/incidents/${id}/acknowledge`));
    // A later retry still answers what the declaration did, not the incident as it is now.
    const retry = await ok(await call('POST', '/v1/incidents', body, headers), 201);
    expect(retry).toMatchObject({ id, version: 2, status: 'triaged', replayed: true });
  });

  it('a retried create answers as the first request did: its status and the id it created', async () => {
    const { id } = await declare('Retried creations');
    const created = async (path: string, body: unknown, key: string) => {
      const headers = { 'idempotency-key': key };
      const first = await ok(await call('POST', `/v1/incidents/${id}/${path}`, body, headers), 201);
      const retry = await ok(await call('POST', `/v1/incidents/${id}/${path}`, body, headers), 201);
      expect(retry.replayed).toBe(true);
      return {
        first: first as unknown as Record<string, string>,
        retry: retry as unknown as Record<string, string>,
      };
    };
    const mitigation = await created(
      'mitigations',
      { action: 'rollback', description: 'Roll back to v41' },
      'mit-1',
    );
    expect(mitigation.retry.mitigationId).toBe(mitigation.first.mitigationId);
    await ok(
      await call('POST', `/v1/incidents/${id}/mitigations/${mitigation.retry.mitigationId}/result`, {
        outcome: 'succeeded',
        message: 'done',
      }),
    );
    const update = await created('status-updates', { status: 'investigating', message: 'Looking' }, 'upd-1');
    expect(update.retry.updateId).toBe(update.first.updateId);
    const item = await created('action-items', { title: 'Add a canary', kind: 'monitoring' }, 'act-1');
    expect(item.retry.actionItemId).toBe(item.first.actionItemId);
  });

  it('refuses an Idempotency-Key already used on another incident (422), changing nothing', async () => {
    const a = await declare('First');
    const b = await declare('Second');
    const headers = { 'idempotency-key': 'resolve' };
    await ok(await call('POST', `/v1/incidents/${a.id}/resolve`, { resolution: 'fixed A' }, headers));
    const reused = await call('POST', `/v1/incidents/${b.id}/resolve`, { resolution: 'fixed B' }, headers);
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { code: string }).code).toBe('idempotency_key_reused');
    const types = (await new EventStore(env.DB).readStream(b.id)).map((event) => event.type);
    expect(types).toEqual(['IncidentDeclared', 'IncidentTriaged']);
  });

  it('treats a key reused for another command as a new request, not a replay of the first', async () => {
    const { id } = await declare('One key, two commands');
    const headers = { 'idempotency-key': 'same-key' };
    await ok(await call('POST', `/v1/incidents/${id}/acknowledge`, undefined, headers));
    const postUpdate = async () =>
      ok(
        await call(
          'POST',
          `/v1/incidents/${id}/status-updates`,
          { status: 'investigating', message: 'Looking' },
          headers,
        ),
        201,
      );
    const update = await postUpdate();
    expect(update.replayed).toBe(false);
    expect((update as unknown as { updateId: string }).updateId).toMatch(/^upd-/);
    const again = await postUpdate();
    expect(again.replayed).toBe(true);
  });

  it('a key restricted to one service acts only on that service’s incidents (403 elsewhere)', async () => {
    const restricted = (
      await new ApiKeys(env.DB).create({ name: 'payments on-call', scopes: ['respond'], service: 'payments' })
    ).key;
    const { id } = await declare('Not payments');
    const as = { authorization: `Bearer ${restricted}` };
    for (const [path, body] of [
      ['acknowledge', undefined],
      ['resolve', { resolution: 'not mine' }],
      ['notes', { text: 'hello' }],
    ] as const) {
      const response = await call('POST', `/v1/incidents/${id}/${path}`, body, as);
      expect(response.status, path).toBe(403);
      expect(((await response.json()) as { code: string }).code).toBe('service_not_allowed');
    }
    const own = await ok(
      await call('POST', '/v1/incidents', { service: 'payments', severity: 'P2', title: 'mine' }, as),
      201,
    );
    await ok(await call('POST', `/v1/incidents/${own.id}/acknowledge`, undefined, as));
    expect((await new EventStore(env.DB).readStream(id)).map((event) => event.type)).toEqual([
      'IncidentDeclared',
      'IncidentTriaged',
    ]);
  });

  it('takes a command whose fields are all optional without a body, as curl -X POST sends it', async () => {
    const { id } = await declare('Bodiless');
    const bare = (path: string, headers: Record<string, string> = {}) =>
      SELF.fetch(`http://producer.test/v1/incidents/${id}/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${respondKey}`, ...headers },
      });
    await ok(await bare('acknowledge', { 'content-type': 'application/json' }));
    await ok(await bare('mitigated'));
    // With a body, it is read as before: checked, and JSON only.
    const { id: other } = await declare('Bodiless, with a body');
    const unknown = await call('POST', `/v1/incidents/${other}/mitigated`, { mitigationId: 'mit-nope' });
    expect(((await unknown.json()) as { code: string }).code).toBe('mitigation_not_found');
    const text = await SELF.fetch(`http://producer.test/v1/incidents/${other}/mitigated`, {
      method: 'POST',
      headers: { authorization: `Bearer ${respondKey}` },
      body: '{"mitigationId":"mit-nope"}',
    });
    expect(text.status).toBe(415);
  });

  it('validates bodies with field paths', async () => {
    const { id } = await declare('Validated');
    const response = await call('POST', `/v1/incidents/${id}/status-updates`, {
      status: 'fixed',
      message: '',
    });
    expect(response.status).toBe(400);
    const { errors } = (await response.json()) as { errors: { path: string }[] };
    expect(errors.map((e) => e.path).sort()).toEqual(['/message', '/status']);
  });
});

describe('administration', () => {
  const admin = (method: string, path: string, body?: unknown) =>
    call(method, path, body, { authorization: `Bearer ${adminKey}` });

  it('creates a key shown once, lists keys without secrets, and revokes it', async () => {
    const created = await admin('POST', '/v1/admin/keys', {
      name: 'ci',
      scopes: ['ingest'],
      service: 'checkout',
    });
    expect(created.status).toBe(201);
    const { key, apiKey } = (await created.json()) as { key: string; apiKey: { id: string } };
    const listed = JSON.stringify(await (await admin('GET', '/v1/admin/keys')).json());
    expect(listed).toContain(apiKey.id);
    expect(listed).not.toContain(key);
    expect(listed).not.toMatch(/hash/i);
    const signal = { type: 'deployment', service: 'checkout', at: '2026-11-29T10:00:00Z', version: 'v1' };
    const send = () => call('POST', '/v1/signals', { signals: [signal] }, { authorization: `Bearer ${key}` });
    expect((await send()).status).toBe(202);
    expect((await admin('DELETE', `/v1/admin/keys/${apiKey.id}`)).status).toBe(204);
    expect((await send()).status).toBe(401);
    // Revoking again changes nothing and keeps the first revocation; an unknown key is a 404.
    const revokedAt = async () =>
      (
        (await (await admin('GET', '/v1/admin/keys')).json()) as {
          items: { id: string; revokedAt: string }[];
        }
      ).items.find((item) => item.id === apiKey.id)?.revokedAt;
    const first = await revokedAt();
    expect(first).toMatch(/^2\d{3}-/);
    expect((await admin('DELETE', `/v1/admin/keys/${apiKey.id}`)).status).toBe(204);
    expect(await revokedAt()).toBe(first);
    expect((await send()).status).toBe(401);
    expect((await admin('DELETE', '/v1/admin/keys/key_nope')).status).toBe(404);
  });

  it('keeps administration to unrestricted keys: a key kept to a service cannot mint one without it', async () => {
    const { key: checkoutAdmin } = await new ApiKeys(env.DB).create({
      name: 'checkout admin (made before the rule)',
      scopes: ['admin'],
      service: 'checkout',
    });
    const as = { authorization: `Bearer ${checkoutAdmin}` };
    const minted = await call('POST', '/v1/admin/keys', { name: 'escape', scopes: ['respond'] }, as);
    expect(minted.status).toBe(403);
    expect(((await minted.json()) as { code: string }).code).toBe('service_not_allowed');
    expect((await call('GET', '/v1/admin/channels', undefined, as)).status).toBe(403);
    // Its other scopes still hold, within its service.
    expect(
      (await call('POST', '/v1/incidents', { service: 'checkout', severity: 'P3', title: 'x' }, as)).status,
    ).toBe(201);
    const restrictedAdmin = await admin('POST', '/v1/admin/keys', {
      name: 'a',
      scopes: ['admin'],
      service: 'checkout',
    });
    expect(restrictedAdmin.status).toBe(400);
    expect(((await restrictedAdmin.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe(
      '/service',
    );
  });

  it('configures channels and never returns their secrets', async () => {
    const secret = 'whsec_c2VjcmV0LXNpZ25pbmcta2V5LTEyMzQ1Njc4OTA=';
    const created = await admin('POST', '/v1/admin/channels', {
      name: 'ops webhook',
      type: 'webhook',
      target: 'https://hooks.example.com/vigil?token=abc',
      secret,
      minSeverity: 'P1',
      services: ['checkout'],
    });
    expect(created.status).toBe(201);
    const channel = (await created.json()) as { id: string; target: string; hasSecret: boolean };
    expect(channel).toMatchObject({ hasSecret: true, target: 'https://hooks.example.com/…' });
    const everything = JSON.stringify([
      channel,
      await (await admin('GET', '/v1/admin/channels')).json(),
      await (await admin('GET', `/v1/admin/channels/${channel.id}`)).json(),
    ]);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('token=abc');
    const slack = await admin('POST', '/v1/admin/channels', {
      name: 's',
      type: 'slack',
      target: 'not a url',
    });
    expect(slack.status).toBe(400);
    const noSecret = await admin('POST', '/v1/admin/channels', {
      name: 'w',
      type: 'webhook',
      target: 'https://x.example',
    });
    expect(((await noSecret.json()) as { errors: { path: string; message: string }[] }).errors).toEqual([
      { path: '/secret', message: 'required: the Standard Webhooks signing secret (whsec_ and base64)' },
    ]);
    // A secret no Standard Webhooks receiver could verify is refused up front, not at delivery.
    // 25 base64 characters decode to nothing: atob refuses them, as the signer would.
    for (const weak of [
      'abc',
      'whsec_short',
      'whsec_not base64 at all, with spaces!!',
      `whsec_${'A'.repeat(25)}`,
    ]) {
      const refused = await admin('POST', '/v1/admin/channels', {
        name: 'w',
        type: 'webhook',
        target: 'https://x.example',
        secret: weak,
      });
      expect(refused.status, weak).toBe(400);
      expect(((await refused.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('/secret');
    }
    const typo = await admin('POST', '/v1/admin/channels', {
      name: 'typo',
      type: 'email',
      target: 'ops@example.com',
      eventTypes: ['IncidentResolved', 'IncidentResolve'],
    });
    expect(((await typo.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('/eventTypes/1');
    expect((await admin('DELETE', `/v1/admin/channels/${channel.id}`)).status).toBe(204);
    expect((await admin('GET', `/v1/admin/channels/${channel.id}`)).status).toBe(404);
  });

  it('replaces a channel with PUT: event types checked, the secret kept when left out of the same type', async () => {
    const created = await admin('POST', '/v1/admin/channels', {
      name: 'pd',
      type: 'pagerduty',
      target: 'https://events.pagerduty.com/v2/enqueue',
      secret: 'routing-key-1',
    });
    const { id } = (await created.json()) as { id: string };
    const stored = async () => (await new Channels(env.DB).get(id))!;
    const replaced = await admin('PUT', `/v1/admin/channels/${id}`, {
      name: 'pd on-call',
      type: 'pagerduty',
      target: 'https://events.pagerduty.com/v2/enqueue',
      minSeverity: 'P1',
    });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ name: 'pd on-call', minSeverity: 'P1', hasSecret: true });
    expect((await stored()).secret).toBe('routing-key-1');
    const typo = await admin('PUT', `/v1/admin/channels/${id}`, {
      name: 'pd',
      type: 'pagerduty',
      target: 'https://events.pagerduty.com/v2/enqueue',
      eventTypes: ['IncidentResolve'],
    });
    expect(typo.status).toBe(400);
    expect(((await typo.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('/eventTypes/0');
    // Another type needs its own secret, and does not inherit the old one.
    const asWebhook = await admin('PUT', `/v1/admin/channels/${id}`, {
      name: 'hook',
      type: 'webhook',
      target: 'https://hooks.example.com/x',
    });
    expect(((await asWebhook.json()) as { errors: { path: string; message: string }[] }).errors).toEqual([
      { path: '/secret', message: 'required: the Standard Webhooks signing secret (whsec_ and base64)' },
    ]);
    const asEmail = await admin('PUT', `/v1/admin/channels/${id}`, {
      name: 'mail',
      type: 'email',
      target: 'ops@example.com',
    });
    expect(await asEmail.json()).toMatchObject({ type: 'email', hasSecret: false });
    expect((await stored()).secret).toBeNull();
    expect(
      (await admin('PUT', '/v1/admin/channels/ch_missing', { name: 'x', type: 'email', target: 'a@b.co' }))
        .status,
    ).toBe(404);
  });

  it('stores per-service detection settings the detector reads', async () => {
    const settings = { thresholds: { errorRate: 0.01 }, openAfter: 1 };
    expect((await admin('PUT', '/v1/admin/services/checkout/settings', settings)).status).toBe(200);
    expect(await (await admin('GET', '/v1/admin/services/checkout/settings')).json()).toMatchObject({
      service: 'checkout',
      settings,
    });
    const row = await env.DB.prepare(
      "SELECT settings FROM service_settings WHERE service = 'checkout'",
    ).first<{ settings: string }>();
    expect(JSON.parse(row!.settings)).toEqual(settings);
    expect(
      (await admin('PUT', '/v1/admin/services/checkout/settings', { thresholds: { errorRate: 2 } })).status,
    ).toBe(400);
    expect((await admin('DELETE', '/v1/admin/services/checkout/settings')).status).toBe(204);
    // A malformed escape in the path is the caller's mistake: 400, never a fault.
    const malformed = await admin('GET', '/v1/admin/services/%E0%A4%A/settings');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('invalid_service');
  });
});

describe('OpenAPI and the auth matrix', () => {
  it('serves an OpenAPI 3.1 document built from the schemas', async () => {
    const response = await SELF.fetch('http://producer.test/v1/openapi.json');
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/signals', '/v2/enqueue', '/v1/incidents/{id}/resolve']),
    );
    expect(document.paths['/v1/signals']!.post!.requestBody).toBeDefined();
  });

  it('documents the id a create answers with, so a client checking answers against it accepts them', () => {
    const answerOf = (path: string) =>
      (
        openApi.paths[path] as {
          post: {
            responses: Record<string, { content: Record<string, { schema: { properties: object } }> }>;
          };
        }
      ).post.responses['201']!.content['application/json']!.schema.properties;
    expect(answerOf('/v1/incidents/{id}/mitigations')).toHaveProperty('mitigationId');
    expect(answerOf('/v1/incidents/{id}/status-updates')).toHaveProperty('updateId');
    expect(answerOf('/v1/incidents/{id}/action-items')).toHaveProperty('actionItemId');
  });

  // Every route that needs a key, straight from the document: no key → 401, wrong scope → 403.
  const protectedRoutes = Object.entries(openApi.paths).flatMap(([path, operations]) =>
    Object.entries(operations as Record<string, { 'x-vigil-scope'?: string }>)
      .filter(([, operation]) => operation['x-vigil-scope'] !== undefined)
      .map(([method, operation]) => ({ method, path, scope: operation['x-vigil-scope']! })),
  );

  it.each(protectedRoutes)('$method $path needs a key with scope $scope', async ({ method, path }) => {
    const url = `http://producer.test${path.replaceAll(/\{\w+\}/g, 'X1')}`;
    const init = (key?: string): RequestInit => ({
      method: method.toUpperCase(),
      headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
      ...(method !== 'get' && method !== 'delete' && { body: '{}' }),
    });
    const none = await SELF.fetch(url, init());
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect((await SELF.fetch(url, init('vgl_wrong'))).status).toBe(401);
    expect((await SELF.fetch(url, init(readKey))).status).toBe(403);
  });
});
