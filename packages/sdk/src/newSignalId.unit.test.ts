import { describe, expect, it } from 'vitest';
import { newSignalId } from './newSignalId';

describe('newSignalId', () => {
  it('reads sig_ + time + random + position, fits an envelope id and sorts by time', () => {
    const earlier = newSignalId(new Date('2026-11-29T10:00:00Z'));
    const later = newSignalId(new Date('2026-11-29T10:00:00.001Z'));
    expect(earlier).toMatch(/^sig_[0-9a-z]{9}[0-9a-f]{16}0000$/);
    expect(earlier.length).toBeLessThanOrEqual(64);
    expect(earlier < later).toBe(true);
    expect(newSignalId(new Date(0))).not.toBe(newSignalId(new Date(0)));
  });
});
