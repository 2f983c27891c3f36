import { env, SELF } from 'cloudflare:test';
import { ApiKeys, EventStore, IncidentStore } from '@vigil/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectorRoutes } from '../src/openApiRoutes';

// Every route of the projector: an auth matrix, then fuzzed path segments, query strings and
// headers with a key that has every scope. Never a 5xx, always problem details when refused,
// and the log never grows from a read.

let adminKey: string;
let ingestKey: string;
const incidentId = 'INC-FUZZ';
const outcomes = new Map<string, number>();
let tried = 0;

beforeAll(async () => {
  const keys = new ApiKeys(env.DB);
  adminKey = (await keys.create({ name: 'fuzzer', scopes: ['admin'] })).key;
  ingestKey = (await keys.create({ name: 'ingest only', scopes: ['ingest'] })).key;
  await new IncidentStore(env.DB).execute(incidentId, [
    {
      type: 'DeclareIncident',
      data: {
        incidentId,
        at: '2026-11-20T10:00:00.000Z',
        by: { kind: 'human', id: 'alice' },
        service: 'fuzzed',
        severity: 'P2',
        title: 'Fuzz target',
        startedAt: '2026-11-20T09:55:00.000Z',
        impact: { usersAffected: 1, revenueImpact: 0, severity: 'medium' },
      },
    },
  ]);
});

afterAll(() => {
  const byOutcome = [...outcomes.entries()]
    .sort()
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  console.log(`projector fuzzing: ${tried} requests; by status — ${byOutcome}`);
});

const fill = (path: string, segment: string) => path.replaceAll(/\{\w+\}/g, segment);

describe('projector auth matrix', () => {
  const protectedRoutes = projectorRoutes.filter((route) => route.scope !== undefined);
  it.each(protectedRoutes)('$method $path needs a key with scope $scope', async ({ method, path }) => {
    const url = `http://projector.test${fill(path, incidentId)}`;
    const call = (key?: string) =>
      SELF.fetch(url, {
        method: method.toUpperCase(),
        headers: key ? { authorization: `Bearer ${key}` } : {},
      });
    const none = await call();
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect((await call('vgl_wrong')).status).toBe(401);
    expect((await call(ingestKey)).status).toBe(403);
  });
});

const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '201',
    '1e9',
    'NaN',
    'P9',
    'open',
    'all',
    'hour',
    'day',
    '2026-11-20T00:00:00Z',
    '2026-13-45',
    'x'.repeat(3000),
    '𝕍𝕚𝕘𝕚𝕝',
    '%00',
    "' OR 1=1 --",
  ),
  fc.integer().map(String),
);
const names = [
  'status',
  'severity',
  'service',
  'since',
  'until',
  'from',
  'to',
  'cursor',
  'limit',
  'period',
  'visibility',
  'incidentId',
  'incident',
];
const query = fc.array(fc.tuple(fc.constantFrom(...names, 'unknown'), nasty), { maxLength: 5 });
const segment = fc.oneof(
  fc.constant(incidentId),
  fc.constantFrom('INC-NOPE', '..', '%2e%2e', 'a'.repeat(300)),
  fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent),
);
const accept = fc.constantFrom(
  undefined,
  'text/markdown',
  'application/json',
  'text/html',
  '*/*',
  'image/png',
);

describe('projector fuzzing', () => {
  it.each(projectorRoutes)(
    '$method $path: never a 5xx, refusals are problem details, reads append nothing',
    async ({ method, path }) => {
      const store = new EventStore(env.DB);
      await fc.assert(
        fc.asyncProperty(segment, query, accept, fc.boolean(), async (id, pairs, accepts, noneMatch) => {
          const search = new URLSearchParams(pairs).toString();
          const url = `http://projector.test${fill(path, id === incidentId ? incidentId : id)}${search ? `?${search}` : ''}`;
          const head = await store.headPosition();
          const response = await SELF.fetch(url, {
            method: method.toUpperCase(),
            headers: {
              authorization: `Bearer ${adminKey}`,
              ...(accepts && { accept: accepts }),
              ...(noneMatch && { 'if-none-match': '"1"' }),
            },
          });
          tried++;
          outcomes.set(String(response.status), (outcomes.get(String(response.status)) ?? 0) + 1);
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) {
            expect(response.headers.get('content-type')).toBe('application/problem+json');
            expect(await response.json()).toMatchObject({
              status: response.status,
              code: expect.any(String),
            });
          } else {
            await response.arrayBuffer();
          }
          expect(await store.headPosition()).toBe(head);
        }),
        { numRuns: 40 },
      );
    },
  );
});
