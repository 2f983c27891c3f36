import type { Signal } from '@vigil/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Outbox, type PendingSignal } from './outbox';

const deploy = (n: number): PendingSignal => ({
  id: `sig_${n}`,
  signal: {
    type: 'deployment',
    service: 'checkout',
    at: '2026-11-29T10:00:00.000Z',
    version: `v${n}`,
  } as Signal,
});
const ids = (signals: PendingSignal[]) => signals.map((pending) => pending.id);

describe('Outbox', () => {
  it('holds at most its capacity, dropping and counting the oldest', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 20 }),
        (capacity, additions) => {
          const outbox = new Outbox({ capacity, leaseMs: 30_000 });
          let next = 0;
          for (const count of additions) {
            outbox.add(Array.from({ length: count }, () => deploy(next++)));
            expect(outbox.size).toBeLessThanOrEqual(capacity);
          }
          expect(outbox.size).toBe(Math.min(next, capacity));
          expect(outbox.dropped).toBe(Math.max(0, next - capacity));
          const kept = Array.from({ length: outbox.size }, (_, i) => `sig_${next - outbox.size + i}`);
          expect(ids(outbox.lease(Number.MAX_SAFE_INTEGER, 0))).toEqual(kept);
        },
      ),
    );
  });

  it('leases the oldest waiting entries, and offers released ones again in order', () => {
    const outbox = new Outbox({ capacity: 10, leaseMs: 30_000 });
    outbox.add([deploy(1), deploy(2), deploy(3)]);
    const first = outbox.lease(2, 1_000);
    expect(ids(first)).toEqual(['sig_1', 'sig_2']);
    expect(ids(outbox.lease(10, 1_000))).toEqual(['sig_3']);
    expect(outbox.lease(10, 1_000)).toEqual([]);
    outbox.settle(first, 'release');
    expect(ids(outbox.lease(10, 1_000))).toEqual(['sig_1', 'sig_2']);
    expect(outbox.size).toBe(3);
  });

  it('forgets what was delivered, even if it was dropped meanwhile', () => {
    const outbox = new Outbox({ capacity: 2, leaseMs: 30_000 });
    outbox.add([deploy(1), deploy(2)]);
    const sending = outbox.lease(10, 0);
    outbox.add([deploy(3)]);
    expect(outbox.dropped).toBe(1);
    outbox.settle(sending, 'remove');
    expect(outbox.size).toBe(1);
    expect(ids(outbox.lease(10, 0))).toEqual(['sig_3']);
  });

  it('offers entries again once a flush has held them for the whole lease without settling', () => {
    const outbox = new Outbox({ capacity: 10, leaseMs: 30_000 });
    outbox.add([deploy(1)]);
    expect(ids(outbox.lease(10, 0))).toEqual(['sig_1']);
    expect(outbox.lease(10, 29_999)).toEqual([]);
    expect(ids(outbox.lease(10, 30_000))).toEqual(['sig_1']);
  });
});
