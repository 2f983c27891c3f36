import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRecorded, noRecordedNotifications, notificationKey, withRecorded } from './notification';

describe('recorded notifications', () => {
  it('holds exactly the keys added, like a set, whatever the order and repeats', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 300 }),
        fc.array(fc.string({ maxLength: 12 })),
        (added, probes) => {
          const recorded = added.reduce(withRecorded, noRecordedNotifications);
          const model = new Set(added);
          for (const key of [...added, ...probes]) expect(isRecorded(recorded, key)).toBe(model.has(key));
          expect(recorded.flat().sort()).toEqual([...model].sort());
        },
      ),
    );
  });

  it('adding a key copies one bucket and shares the others; the previous set is unchanged', () => {
    let recorded = noRecordedNotifications;
    for (let seq = 0; seq < 5000; seq++) {
      const key = notificationKey({ channelId: `channel-${seq % 7}`, forEventSeq: seq, attempt: 1 });
      const next = withRecorded(recorded, key);
      const copied = next.filter((bucket, i) => bucket !== recorded[i]);
      expect(copied).toHaveLength(1);
      expect(isRecorded(recorded, key)).toBe(false);
      expect(withRecorded(next, key)).toBe(next);
      recorded = next;
    }
    // Keys spread over the buckets, so a bucket stays a small fraction of the set.
    expect(Math.max(...recorded.map((bucket) => bucket.length))).toBeLessThan(5000 / 16);
  });
});
