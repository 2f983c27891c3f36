import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carriedBy, carriedPage, carryable } from './carriedEvents';
import type { RecordedEvent } from './eventStore';

const event = (seq: number, text = 'x'): RecordedEvent => ({
  seq,
  streamId: `INC-${seq % 3}`,
  version: seq,
  type: 'NoteAdded',
  schemaVersion: 1,
  data: { text },
  metadata: { actor: { kind: 'human', id: 'alice' } },
  idempotencyKey: null,
  recordedAt: '2026-11-30T00:00:00.000Z',
});

describe('events carried by wake-ups', () => {
  it('a page is the carried run that follows the checkpoint without a gap, or nothing', () => {
    // The log is 1..n; some events are carried (any subset); the page after `after` must be
    // exactly the log's page when carried events hold it, else undefined.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 1, max: 20 }),
        (n, carriedFlags, after, limit) => {
          const log = Array.from({ length: n }, (_, i) => event(i + 1));
          const carried = log.filter((_, i) => carriedFlags[i]);
          const page = carriedPage(carried, after, limit);
          const logPage = log.filter((e) => e.seq > after).slice(0, limit);
          if (page === undefined) {
            expect(carried.some((e) => e.seq === after + 1)).toBe(false);
          } else {
            expect(page.length).toBeGreaterThan(0);
            expect(page).toEqual(logPage.slice(0, page.length));
            // It stops only at the limit or at the first event not carried.
            if (page.length < Math.min(limit, logPage.length)) {
              expect(carried.some((e) => e.seq === after + page.length + 1)).toBe(false);
            }
          }
        },
      ),
    );
  });

  it('gathers what a batch of wake-ups carried once each, in log order', () => {
    const wakeUps = [
      { kind: 'wake-up' as const, upTo: 5, reason: 'a', events: [event(4), event(5)] },
      { kind: 'wake-up' as const, upTo: 5, reason: 'b' },
      { kind: 'wake-up' as const, upTo: 5, reason: 'c', events: [event(5), event(2), event(3)] },
    ];
    expect(carriedBy(wakeUps).map((e) => e.seq)).toEqual([2, 3, 4, 5]);
  });

  it('carries the oldest events that fit in a queue message', () => {
    const big = Array.from({ length: 40 }, (_, i) => event(40 - i, 'y'.repeat(4000)));
    const carried = carryable(big);
    expect(carried.length).toBeGreaterThan(10);
    expect(carried.length).toBeLessThan(40);
    expect(carried.map((e) => e.seq)).toEqual(carried.map((_, i) => i + 1));
    expect(new TextEncoder().encode(JSON.stringify(carried)).byteLength).toBeLessThan(100 * 1024);
    expect(carryable([event(3), event(1)]).map((e) => e.seq)).toEqual([1, 3]);
  });
});
