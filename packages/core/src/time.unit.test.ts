import { describe, expect, it } from 'vitest';
import { earlierOf } from './time';

describe('earlierOf', () => {
  it('compares instants, not text', () => {
    expect(earlierOf('2026-11-29T10:00:00Z', '2026-11-29T11:00:00+02:00')).toBe('2026-11-29T11:00:00+02:00');
    expect(earlierOf('2026-11-29T10:00:00.500Z', '2026-11-29T10:00:01Z')).toBe('2026-11-29T10:00:00.500Z');
  });
});
