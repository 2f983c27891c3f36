import { describe, expect, it } from 'vitest';
import { frequencyPerMonth } from './frequencyPerMonth';

const day = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(Date.UTC(2025, 0, 1) + days * day).toISOString();

describe('frequency per month', () => {
  it('counts incidents started in [from, to) per 30-day month', () => {
    const incidents = [0, 10, 29.9, 30, 59, 60].map((d) => ({ startedAt: at(d) }));
    expect(frequencyPerMonth(incidents, at(0), at(60))).toEqual({ count: 5, months: 2, perMonth: 2.5 });
  });
  it('refuses an empty window', () => {
    expect(() => frequencyPerMonth([], at(1), at(1))).toThrow(RangeError);
  });
});
