import { env, SELF } from 'cloudflare:test';
import { ApiKeys } from '@vigil/db';
import { beforeAll, describe, expect, it } from 'vitest';

const url = (path: string) => `http://producer.test${path}`;
let ingestKey: string;
let readKey: string;

beforeAll(async () => {
  const keys = new ApiKeys(env.DB);
  ingestKey = (await keys.create({ name: 'ingest', scopes: ['ingest'] })).key;
  readKey = (await keys.create({ name: 'read', scopes: ['read'] })).key;
});

const metrics = {
  type: 'metrics',
  service: 'checkout',
  at: '2026-11-29T10:00:00Z',
  windowSeconds: 60,
  requests: 1000,
  errors: 12,
  latencyMs: { p95: 340 },
};

function post(body: unknown, headers: Record<string, string> = {}) {
  return SELF.fetch(url('/v1/signals'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('producer', () => {
  it('answers /health with its name, version and D1 status', async () => {
    const response = await SELF.fetch(url('/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      worker: 'vigil-producer',
      version: '0.1.0',
      d1: { ok: true },
    });
  });

  it('accepts a batch of signals with 202 and an id per signal', async () => {
    const response = await post({ signals: [metrics, { ...metrics, service: 'search' }] });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { accepted: number; ids: string[] };
    expect(body.accepted).toBe(2);
    expect(new Set(body.ids).size).toBe(2);
  });

  it('refuses a request without a key, with an unknown key and with the wrong scope', async () => {
    const none = await SELF.fetch(url('/v1/signals'), { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await post({ signals: [metrics] }, { authorization: 'Bearer vgl_nope' })).status).toBe(401);
    const wrongScope = await post({ signals: [metrics] }, { authorization: `Bearer ${readKey}` });
    expect(wrongScope.status).toBe(403);
    expect(await wrongScope.json()).toMatchObject({ code: 'forbidden', status: 403 });
  });

  it('lets a key restricted to one service send signals only for that service', async () => {
    const { key } = await new ApiKeys(env.DB).create({
      name: 'checkout only',
      scopes: ['ingest'],
      service: 'checkout',
    });
    expect((await post({ signals: [metrics] }, { authorization: `Bearer ${key}` })).status).toBe(202);
    const foreign = await post(
      { signals: [metrics, { ...metrics, service: 'search' }] },
      { authorization: `Bearer ${key}` },
    );
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({
      code: 'service_not_allowed',
      errors: [{ path: '/signals/1/service' }],
    });
  });

  it('names the failing field paths of an invalid signal', async () => {
    const response = await post({
      signals: [
        { ...metrics, errors: 2000 },
        { ...metrics, latencyMs: {} },
      ],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e) => e.path)).toContain('/signals/0/errors');
  });

  it('names the field inside the signal its type picks, not just the signal', async () => {
    const { latencyMs: _latency, ...withoutLatency } = metrics;
    const response = await post({
      signals: [
        withoutLatency,
        { type: 'deployment', service: 'checkout', at: metrics.at },
        { type: 'heartbeat', service: 'checkout', at: metrics.at },
      ],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors).toEqual([
      {
        path: '/signals/0/latencyMs',
        message: 'expected {"p95": milliseconds} or {"histogram": [up to 34 counts]}',
      },
      { path: '/signals/1/version', message: 'Invalid input: expected string, received undefined' },
      {
        path: '/signals/2/type',
        message: "Invalid discriminator value. Expected 'metrics' | 'deployment' | 'error' | 'security'",
      },
    ]);
  });

  it('answers 400 for malformed JSON, 415 for another content type and 413 past the body limit', async () => {
    expect((await post('{"signals": [')).status).toBe(400);
    expect((await post({ signals: [metrics] }, { 'content-type': 'text/plain' })).status).toBe(415);
    const huge = JSON.stringify({ signals: [metrics], padding: 'x'.repeat(1024 * 1024) });
    expect((await post(huge)).status).toBe(413);
  });

  it('answers 400, not a fault, for a JSON request sent without a body (curl -X POST without -d)', async () => {
    const response = await SELF.fetch(url('/v1/signals'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'invalid_json' });
  });

  it('refuses an error signal whose attributes could not travel in one queue message', async () => {
    const attributes = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`attribute${i}`, 'v'.repeat(2048)]),
    );
    const response = await post({
      signals: [{ type: 'error', service: 'checkout', at: metrics.at, summary: 'Boom', attributes }],
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe(
      '/signals/0/attributes',
    );
  });

  it('answers unknown paths with a problem document, and a known path with the wrong method with 405', async () => {
    const response = await SELF.fetch(url('/nope'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    for (const [method, path, allow] of [
      ['DELETE', '/v1/signals', 'POST'],
      ['GET', '/v1/incidents/INC-1/acknowledge', 'POST'],
      ['POST', '/v1/admin/keys/key_1', 'DELETE'],
      ['PATCH', '/v1/admin/services/checkout/settings', 'PUT, GET, DELETE, HEAD'],
    ] as const) {
      const wrong = await SELF.fetch(url(path), { method });
      expect(wrong.status, `${method} ${path}`).toBe(405);
      expect(wrong.headers.get('allow')).toBe(allow);
      expect(await wrong.json()).toMatchObject({ status: 405, code: 'method_not_allowed' });
    }
  });
});
