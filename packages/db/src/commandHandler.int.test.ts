import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { type Decider, handleCommand } from './commandHandler';
import { ConcurrencyError } from './errors';
import { EventStore } from './eventStore';

// A small decider of its own keeps this test about the handler, not about incidents.
type Tally = { count: number; voters: string[] };
type Vote = { voter: string };
type Voted = { type: 'Voted'; data: { voter: string; position: number } };
const tally: Decider<Tally, Vote, Voted> = {
  initialState: { count: 0, voters: [] },
  decide: (command, state) => {
    if (state.voters.includes(command.voter)) throw new Error(`${command.voter} already voted`);
    return [{ type: 'Voted', data: { voter: command.voter, position: state.count + 1 } }];
  },
  evolve: (state, event) => ({ count: state.count + 1, voters: [...state.voters, event.data.voter] }),
};
const metadata = { actor: { kind: 'human', id: 'test' } } as const;

describe('command handler', () => {
  it('100 concurrent commands on one stream all land, each decided on the state it appended after', async () => {
    const store = new EventStore(env.DB);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        handleCommand(store, 'TALLY-1', tally, { voter: `v${i}` }, { metadata, maxAttempts: 200 }),
      ),
    );
    const events = await store.readStream<Voted>('TALLY-1');
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // Each event was decided on the exact state it was appended to: position equals version.
    expect(events.every((e) => e.data.position === e.version)).toBe(true);
    expect(new Set(results.map((r) => r.version)).size).toBe(100);
  }, 60_000);

  it('with an expected version from the caller, a stale command fails instead of retrying', async () => {
    const store = new EventStore(env.DB);
    await handleCommand(store, 'TALLY-2', tally, { voter: 'a' }, { metadata });
    await expect(
      handleCommand(store, 'TALLY-2', tally, { voter: 'b' }, { metadata, expectedVersion: 0 }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    const ok = await handleCommand(store, 'TALLY-2', tally, { voter: 'b' }, { metadata, expectedVersion: 1 });
    expect(ok.version).toBe(2);
  });

  it('a repeated idempotency key returns the first result even when deciding again would refuse', async () => {
    const store = new EventStore(env.DB);
    const first = await handleCommand(
      store,
      'TALLY-3',
      tally,
      { voter: 'a' },
      { metadata, idempotencyKey: 'vote-a' },
    );
    await handleCommand(store, 'TALLY-3', tally, { voter: 'b' }, { metadata });
    const again = await handleCommand(
      store,
      'TALLY-3',
      tally,
      { voter: 'a' },
      { metadata, idempotencyKey: 'vote-a' },
    );
    expect(again.duplicate).toBe(true);
    expect(again.version).toBe(first.version);
    expect(again.state).toEqual(first.state);
    expect((await store.readStream('TALLY-3')).length).toBe(2);
  });

  it('gives up with a typed error after the bounded number of attempts', async () => {
    const store = new EventStore(env.DB);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        handleCommand(store, 'TALLY-4', tally, { voter: `v${i}` }, { metadata, maxAttempts: 1 }),
      ),
    );
    const failed = outcomes.filter((o) => o.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((o) => (o.reason as { code?: string }).code === 'stream_contention')).toBe(true);
    const events = await store.readStream('TALLY-4');
    expect(events.length).toBe(30 - failed.length);
  });
});
