import { describe, expect, it } from 'vitest';
import { jsonArrays, jsonArraysOf } from './jsonArrays';

describe('jsonArrays', () => {
  it('keeps every item once, in order, in arrays no longer than the limit', () => {
    const items = Array.from({ length: 500 }, (_, n) => ({ n, text: 'x'.repeat(n % 37) }));
    const arrays = jsonArrays(items, 1_000);
    expect(arrays.length).toBeGreaterThan(1);
    for (const array of arrays) expect(array.length).toBeLessThanOrEqual(1_000);
    expect(arrays.flatMap((array) => JSON.parse(array))).toEqual(items);
  });

  it('gives an item longer than the limit an array of its own, and nothing for no items', () => {
    const long = 'y'.repeat(50);
    expect(jsonArraysOf(['1', JSON.stringify(long), '2'], 20)).toEqual([
      '[1]',
      `[${JSON.stringify(long)}]`,
      '[2]',
    ]);
    expect(jsonArrays([])).toEqual([]);
  });
});
