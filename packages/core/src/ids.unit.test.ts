import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeTime, newId, newIncidentId } from './ids';

const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

describe('incident ids', () => {
  it('reads as INC, a fixed-width time part and four random characters', () => {
    const id = newIncidentId(new Date('2025-03-01T10:00:00Z'), sequence(0, 0.5, 0.99, 0.1));
    expect(id).toMatch(/^INC-[0-9A-HJKMNP-TV-Z]{10}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(id.endsWith('-0GZ3')).toBe(true);
  });
  it('never uses I, L, O or U', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 45 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (millis, r) => {
          expect(newIncidentId(new Date(millis), () => r).slice('INC-'.length)).not.toMatch(/[ILOU]/);
        },
      ),
    );
  });
  it('sorts by time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (earlier, gap, r1, r2) => {
          const first = newIncidentId(new Date(earlier), () => r1);
          const second = newIncidentId(new Date(earlier + gap), () => r2);
          expect(first < second).toBe(true);
        },
      ),
    );
  });
  it('encodes the epoch as zeros and refuses times it cannot encode', () => {
    expect(encodeTime(new Date(0))).toBe('0000000000');
    expect(() => encodeTime(new Date(-1))).toThrow(RangeError);
    expect(() => encodeTime(new Date(Number.NaN))).toThrow(RangeError);
  });
  it('makes prefixed ids for things inside an incident', () => {
    expect(newId('mit', new Date('2025-03-01T10:00:00Z'), () => 0.5)).toMatch(/^mit-[0-9A-Z]{10}-G{8}$/);
  });
});
