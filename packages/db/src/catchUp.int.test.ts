import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Checkpoints } from './checkpoints';
import { EventStore, type NewEvent } from './eventStore';

const actor = { kind: 'system', id: 'test' } as const;
const event = (n: number): NewEvent => ({ type: 'NoteAdded', data: { n }, metadata: { actor } });

/** A consumer that follows the log in pages and records what it handled, with its checkpoint. */
async function follow(name: string, pageSize: number, handled: number[]): Promise<void> {
  const store = new EventStore(env.DB);
  const checkpoints = new Checkpoints(env.DB);
  for (;;) {
    const from = await checkpoints.position(name);
    const page = await store.readAll({ after: from, limit: pageSize });
    if (page.length === 0) return;
    const to = page.at(-1)!.seq;
    if (await checkpoints.advance(name, from, to)) handled.push(...page.map((e) => e.seq));
  }
}

describe('catch-up readers', () => {
  it('several consumers sharing one checkpoint never skip or repeat an event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 4 }),
        async (appendSizes, pageSize, consumers) => {
          const store = new EventStore(env.DB);
          const name = `consumer-${crypto.randomUUID()}`;
          const start = await store.headPosition();
          const checkpoints = new Checkpoints(env.DB);
          await env.DB.batch(checkpoints.advanceStatements(name, 0, start));
          const handled: number[] = [];
          const writers = appendSizes.map((size, i) =>
            store.appendToStream(
              `S-${name}-${i % 3}`,
              Array.from({ length: size }, (_, n) => event(n)),
            ),
          );
          const readers = Array.from({ length: consumers }, () => follow(name, pageSize, handled));
          await Promise.all([...writers, ...readers]);
          await follow(name, pageSize, handled);
          const all = (await store.readAll({ after: start, limit: 10_000 }))
            .filter((e) => e.streamId.startsWith(`S-${name}`))
            .map((e) => e.seq);
          expect([...handled].sort((a, b) => a - b)).toEqual(all);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a checkpoint advance names where it started and fails when another consumer moved it', async () => {
    const checkpoints = new Checkpoints(env.DB);
    expect(await checkpoints.advance('cas', 0, 5)).toBe(true);
    expect(await checkpoints.advance('cas', 0, 7)).toBe(false);
    expect(await checkpoints.advance('cas', 5, 7)).toBe(true);
    expect(await checkpoints.position('cas')).toBe(7);
  });
});
