import { env, SELF } from 'cloudflare:test';
import { ApiKeys, EventStore } from '@vigil/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../src/router';

// Every route of the producer, fuzzed with a key that has every scope, so what is exercised
// is validation: never a 5xx, always problem details (PagerDuty's shape on its endpoints),
// and nothing appended to the log for a refused request.

let key: string;
let incidentId: string;
const outcomes = new Map<string, number>();
let tried = 0;

beforeAll(async () => {
  key = (await new ApiKeys(env.DB).create({ name: 'fuzzer', scopes: ['admin'] })).key;
  const declared = await SELF.fetch('http://producer.test/v1/incidents', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'fuzzed', severity: 'P2', title: 'Fuzz target' }),
  });
  incidentId = ((await declared.json()) as { id: string }).id;
});

afterAll(() => {
  const byOutcome = [...outcomes.entries()]
    .sort()
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  console.log(`producer fuzzing: ${tried} requests; by status — ${byOutcome}`);
});

const routes = Object.entries(openApi.paths).flatMap(([path, operations]) =>
  Object.keys(operations as object).map((method) => ({ method, path })),
);

const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 64 }),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uFFFF',
    '\uD800',
    '𝕍𝕚𝕘𝕚𝕝',
    '../../etc/passwd',
    "'; DROP TABLE events; --",
    'x'.repeat(5000),
  ),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308),
  fc.boolean(),
  fc.constant(null),
);
// Bodies: arbitrary JSON, objects whose fields are the right names with wrong values, and non-JSON text.
const fieldNames = [
  'signals',
  'type',
  'service',
  'at',
  'severity',
  'title',
  'routing_key',
  'event_action',
  'dedup_key',
  'payload',
  'version',
  'alerts',
  'status',
  'message',
  'name',
  'scopes',
  'target',
  'secret',
  'thresholds',
  'resolution',
  'reason',
  'text',
  'action',
  'outcome',
  'lessonsLearned',
];
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc
    .dictionary(
      fc.constantFrom(...fieldNames),
      fc.oneof(
        nasty,
        fc.array(nasty, { maxLength: 3 }),
        fc.dictionary(fc.constantFrom(...fieldNames), nasty),
      ),
      { maxKeys: 6 },
    )
    .map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '{',
    '[]',
    'null',
    '{"signals":[{"type":"metrics"}]}',
    `{"signals":[${'{},'.repeat(1500)}{}]}`,
  ),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  '',
  'application/x-www-form-urlencoded',
);
const segment = fc.oneof(
  fc.constantFrom('INC-NOPE', 'X1', '%00', '..', 'a'.repeat(300)),
  fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent),
);

describe('producer fuzzing', () => {
  it.each(routes)(
    '$method $path: never a 5xx, always a well-formed refusal, nothing appended when refused',
    async ({ method, path }) => {
      const store = new EventStore(env.DB);
      await fc.assert(
        fc.asyncProperty(body, contentType, segment, fc.boolean(), async (text, type, id, realIncident) => {
          const url = `http://producer.test${path
            .replace('{id}', realIncident ? incidentId : id)
            .replaceAll(/\{\w+\}/g, id)}`;
          const head = await store.headPosition();
          const response = await SELF.fetch(url, {
            method: method.toUpperCase(),
            headers: { authorization: `Bearer ${key}`, ...(type && { 'content-type': type }) },
            ...(method !== 'get' && method !== 'delete' && { body: text }),
          });
          tried++;
          outcomes.set(String(response.status), (outcomes.get(String(response.status)) ?? 0) + 1);
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) {
            const answer = (await response.json()) as Record<string, unknown>;
            if (path.startsWith('/v2/')) {
              expect(answer).toMatchObject({ status: expect.any(String), message: expect.any(String) });
            } else {
              expect(response.headers.get('content-type')).toBe('application/problem+json');
              expect(answer).toMatchObject({
                status: response.status,
                code: expect.any(String),
                title: expect.any(String),
              });
            }
            expect(await store.headPosition()).toBe(head);
          } else {
            await response.arrayBuffer();
          }
        }),
        { numRuns: 40 },
      );
    },
  );
});
