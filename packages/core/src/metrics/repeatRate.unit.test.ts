import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repeatRate } from './repeatRate';

const day = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(Date.UTC(2025, 0, 1) + days * day).toISOString();
const incident = (id: string, service: string, kind: string, days: number) => ({
  id,
  service,
  kind,
  startedAt: at(days),
});

describe('repeat rate', () => {
  it('counts a repeat of the same service and kind within 30 days', () => {
    const result = repeatRate([
      incident('a', 'checkout', 'error_rate', 0),
      incident('b', 'checkout', 'error_rate', 30), // exactly 30 days later: a repeat
      incident('c', 'checkout', 'error_rate', 61), // 31 days after b: not a repeat
      incident('d', 'checkout', 'response_time', 62), // another kind
      incident('e', 'search', 'error_rate', 63), // another service
    ]);
    expect(result).toEqual({ total: 5, repeats: 1, rate: 0.2, repeatIds: ['b'] });
  });
  it('does not call simultaneous incidents repeats of each other', () => {
    expect(repeatRate([incident('a', 's', 'k', 1), incident('b', 's', 'k', 1)]).repeats).toBe(0);
  });
  it('counts only the window but remembers incidents before it', () => {
    const incidents = [incident('a', 's', 'k', 0), incident('b', 's', 'k', 20)];
    expect(repeatRate(incidents, { from: at(10), to: at(40) })).toEqual({
      total: 1,
      repeats: 1,
      rate: 1,
      repeatIds: ['b'],
    });
  });
  it('has no rate without incidents', () => {
    expect(repeatRate([]).rate).toBeNull();
  });
  it('matches a brute-force computation', () => {
    const arbitraryIncident = fc.record({
      service: fc.constantFrom('checkout', 'search'),
      kind: fc.constantFrom('error_rate', 'availability'),
      hours: fc.integer({ min: 0, max: 24 * 120 }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryIncident, { maxLength: 40 }), (rows) => {
        const incidents = rows.map((r, i) => ({
          id: `i${i}`,
          service: r.service,
          kind: r.kind,
          startedAt: new Date(Date.UTC(2025, 0, 1) + r.hours * 3_600_000).toISOString(),
        }));
        let repeats = 0;
        for (const a of incidents) {
          const isRepeat = incidents.some((b) => {
            const gap = Date.parse(a.startedAt) - Date.parse(b.startedAt);
            return b.service === a.service && b.kind === a.kind && gap > 0 && gap <= 30 * day;
          });
          if (isRepeat) repeats++;
        }
        const result = repeatRate(incidents);
        expect(result.repeats).toBe(repeats);
        expect(result.rate).toBe(incidents.length === 0 ? null : repeats / incidents.length);
      }),
    );
  });
});
