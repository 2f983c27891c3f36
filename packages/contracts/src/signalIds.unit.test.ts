import { describe, expect, it } from 'vitest';
import { newSignalIds } from './signalIds';
import { MAX_SIGNALS_PER_REQUEST } from './signals';

describe('newSignalIds', () => {
  it('reads sig_ + time + random + position, fits an envelope id and sorts by time, then position', () => {
    const [first, second] = newSignalIds(new Date('2026-11-29T10:00:00Z'), 2);
    const [later] = newSignalIds(new Date('2026-11-29T10:00:00.001Z'), 1);
    expect(first).toMatch(/^sig_[0-9a-z]{9}[0-9a-f]{16}0000$/);
    expect(second).toMatch(/^sig_[0-9a-z]{9}[0-9a-f]{16}0001$/);
    expect(first! < second! && second! < later!).toBe(true);
  });

  it('gives distinct ids across calls at the same instant and within the largest request', () => {
    const ids = newSignalIds(new Date(0), MAX_SIGNALS_PER_REQUEST);
    expect(new Set([...ids, ...newSignalIds(new Date(0), MAX_SIGNALS_PER_REQUEST)]).size).toBe(
      2 * MAX_SIGNALS_PER_REQUEST,
    );
    expect(ids.every((id) => id.length <= 64)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });
});
