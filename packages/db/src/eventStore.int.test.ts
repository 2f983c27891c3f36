import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ConcurrencyError } from './errors';
import { EventStore, type NewEvent } from './eventStore';

const actor = { kind: 'human', id: 'alice' } as const;
const noted = (text: string): NewEvent => ({ type: 'NoteAdded', data: { text }, metadata: { actor } });

describe('event store on D1', () => {
  it('appends with contiguous versions and reads them back in order', async () => {
    const store = new EventStore(env.DB);
    const first = await store.appendToStream('INC-A', [noted('one'), noted('two')], { expectedVersion: 0 });
    expect(first.nextExpectedVersion).toBe(2);
    await store.appendToStream('INC-A', [noted('three')], { expectedVersion: 2 });
    const events = await store.readStream('INC-A');
    expect(events.map((e) => [e.version, (e.data as { text: string }).text])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
    expect(events[0]!.metadata.actor).toEqual(actor);
  });

  it('refuses a stale expected version and writes nothing', async () => {
    const store = new EventStore(env.DB);
    await store.appendToStream('INC-B', [noted('one')], { expectedVersion: 0 });
    await expect(
      store.appendToStream('INC-B', [noted('late'), noted('later')], { expectedVersion: 0 }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(
      store.appendToStream('INC-B', [noted('ahead')], { expectedVersion: 5 }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await store.readStream('INC-B')).length).toBe(1);
  });

  it('appends at the end with expected version any', async () => {
    const store = new EventStore(env.DB);
    await store.appendToStream('INC-C', [noted('one')]);
    const result = await store.appendToStream('INC-C', [noted('two'), noted('three')]);
    expect(result.events.map((e) => e.version)).toEqual([2, 3]);
  });
});

describe('immutability', () => {
  it('the database itself refuses UPDATE and DELETE on events', async () => {
    const store = new EventStore(env.DB);
    await store.appendToStream('INC-IMM', [noted('original')], { expectedVersion: 0 });
    await expect(
      env.DB.prepare(`UPDATE events SET data = '{"text":"forged"}' WHERE stream_id = 'INC-IMM'`).run(),
    ).rejects.toThrow(/events are immutable/);
    await expect(env.DB.prepare(`DELETE FROM events WHERE stream_id = 'INC-IMM'`).run()).rejects.toThrow(
      /events are immutable/,
    );
    const [event] = await store.readStream('INC-IMM');
    expect(event!.data).toEqual({ text: 'original' });
  });

  it('the database refuses a version that is not the next one, even from raw SQL', async () => {
    await expect(
      env.DB.prepare(
        `INSERT INTO events (stream_id, version, type, data, metadata, recorded_at) VALUES ('INC-GAP', 2, 'NoteAdded', '{}', '{}', 'now')`,
      ).run(),
    ).rejects.toThrow(/stream version conflict/);
  });
});

describe('idempotency', () => {
  it('a repeated key returns the first result and appends nothing', async () => {
    const store = new EventStore(env.DB);
    const first = await store.appendToStream('INC-IDEM', [noted('once')], {
      expectedVersion: 0,
      idempotencyKey: 'k-1',
    });
    const again = await store.appendToStream('INC-IDEM', [noted('once')], {
      expectedVersion: 0,
      idempotencyKey: 'k-1',
    });
    const afterMore = await store.appendToStream('INC-IDEM', [noted('once')], {
      expectedVersion: 'any',
      idempotencyKey: 'k-1',
    });
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.events.map((e) => e.seq)).toEqual(first.events.map((e) => e.seq));
    expect(afterMore.duplicate).toBe(true);
    expect((await store.readStream('INC-IDEM')).length).toBe(1);
  });

  it('a key first used on another stream is refused', async () => {
    const store = new EventStore(env.DB);
    await store.appendToStream('INC-K1', [noted('x')], { idempotencyKey: 'shared' });
    await expect(
      store.appendToStream('INC-K2', [noted('y')], { idempotencyKey: 'shared' }),
    ).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    });
    expect(await store.streamVersion('INC-K2')).toBe(0);
  });
});

describe('bulk and multi-stream appends', () => {
  it('appends thousands of events in one call, beyond D1 bound-parameter limits', async () => {
    const store = new EventStore(env.DB);
    const many = Array.from({ length: 5000 }, (_, i) => noted(`event ${i} ${'x'.repeat(60)}`));
    const result = await store.appendToStream('INC-BULK', many, { expectedVersion: 0 });
    expect(result.nextExpectedVersion).toBe(5000);
    const events = await store.readStream('INC-BULK');
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
    expect(events[4999]!.seq - events[0]!.seq).toBe(4999);
  });

  it('appends to several streams atomically: one conflict writes none of them', async () => {
    const store = new EventStore(env.DB);
    await store.appendToStream('INC-M2', [noted('existing')], { expectedVersion: 0 });
    await expect(
      store.appendToStreams([
        { streamId: 'INC-M1', events: [noted('a')], expectedVersion: 0 },
        { streamId: 'INC-M2', events: [noted('b')], expectedVersion: 0 },
      ]),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.streamVersion('INC-M1')).toBe(0);
    const ok = await store.appendToStreams([
      { streamId: 'INC-M1', events: [noted('a')], expectedVersion: 0 },
      { streamId: 'INC-M2', events: [noted('b')], expectedVersion: 1 },
    ]);
    expect(ok.map((r) => r.nextExpectedVersion)).toEqual([1, 2]);
  });
});

describe('racing writers', () => {
  it('exactly one of many concurrent appends at the same version wins', async () => {
    const store = new EventStore(env.DB);
    await store.appendToStream('INC-RACE', [noted('start')], { expectedVersion: 0 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) =>
        store.appendToStream('INC-RACE', [noted(`writer ${i}`)], { expectedVersion: 1 }),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((o) => o.reason instanceof ConcurrencyError)).toBe(true);
    expect((await store.readStream('INC-RACE')).map((e) => e.version)).toEqual([1, 2]);
  });
});
