import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compliance } from '../metrics/compliance';
import type { IncidentRecord } from '../metrics/incidentRecord';
import { repeatRate } from '../metrics/repeatRate';
import { summarize } from '../metrics/summarize';
import { severities } from '../severity/severity';
import {
  ALL_SERVICES,
  type CountedFact,
  metricsReport,
  type PeriodRollup,
  rollupFacts,
} from './metricRollup';

const from = '2026-11-01T00:00:00.000Z';
const to = '2026-12-01T00:00:00.000Z';
const span = Date.parse(to) - Date.parse(from);

const incident = fc.record({
  service: fc.constantFrom('checkout', 'search', 'login'),
  kind: fc.constantFrom('error_rate', 'response_time'),
  severity: fc.constantFrom(...severities),
  offset: fc.integer({ min: 0, max: span - 1 }),
  detect: fc.integer({ min: 0, max: 600 }),
  acknowledge: fc.option(fc.integer({ min: 0, max: 3600 })),
  identify: fc.option(fc.integer({ min: 60, max: 7200 })),
  mitigate: fc.option(fc.integer({ min: 60, max: 7200 })),
  resolve: fc.option(fc.integer({ min: 60, max: 20_000 })),
  bucket: fc.integer({ min: 0, max: 5 }),
});

describe('metric rollups', () => {
  it('give the same metrics and compliance as the per-incident arithmetic, however the facts are bucketed', () => {
    fc.assert(
      fc.property(fc.array(incident, { minLength: 1, maxLength: 60 }), (generated) => {
        const at = (millis: number) => new Date(millis).toISOString();
        const records: IncidentRecord[] = generated.map((g, index) => {
          const started = Date.parse(from) + g.offset;
          const times = (seconds: number | null) =>
            seconds === null
              ? null
              : { first: at(started + seconds * 1000), last: at(started + seconds * 1000) };
          return {
            id: `INC-${index}`,
            service: g.service,
            kind: g.kind,
            severity: g.severity,
            startedAt: at(started),
            times: {
              started: at(started),
              detected: at(started + g.detect * 1000),
              acknowledged: times(g.acknowledge === null ? null : g.detect + g.acknowledge),
              identified: times(g.identify),
              mitigated: times(g.mitigate),
              resolved: times(g.resolve),
              durations: {
                timeToDetect: g.detect,
                timeToAcknowledge: g.acknowledge,
                timeToIdentify: g.identify,
                timeToMitigate: g.mitigate,
                timeToResolve: g.resolve,
              },
            },
          };
        });
        const repeats = new Set(repeatRate(records).repeatIds);
        const facts: (CountedFact & { bucket: number })[] = records.map((r, index) => ({
          incidentId: r.id,
          service: r.service,
          kind: r.kind,
          severity: r.severity,
          startedAt: r.startedAt,
          ...r.times.durations,
          repeat: repeats.has(r.id),
          bucket: generated[index]!.bucket,
        }));
        const rollups: PeriodRollup[] = [0, 1, 2, 3, 4, 5].flatMap((bucket) =>
          rollupFacts(facts.filter((f) => f.bucket === bucket))
            .filter((r) => r.service === ALL_SERVICES)
            .map((r) => ({ ...r, bucket: from })),
        );
        const report = metricsReport(rollups, { from, to });
        const expected = compliance({ incidents: records, from, to });
        for (const key of ['mttrP1', 'mttiP0', 'mttmP0', 'frequency', 'repeats'] as const) {
          expect(report.compliance[key].pass).toBe(expected[key].pass);
          if (expected[key].measured === null) expect(report.compliance[key].measured).toBeNull();
          else expect(report.compliance[key].measured).toBeCloseTo(expected[key].measured!, 6);
        }
        const ttr = summarize(records.flatMap((r) => r.times.durations.timeToResolve ?? []));
        expect(report.mttr.count).toBe(ttr.count);
        expect(report.incidents).toBe(records.length);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps one row per service and severity plus the all-services rows, in a stable order', () => {
    const fact = (service: string, severity: 'P0' | 'P1'): CountedFact => ({
      incidentId: `${service}-${severity}`,
      service,
      kind: 'error_rate',
      severity,
      startedAt: from,
      timeToDetect: 60,
      timeToAcknowledge: null,
      timeToIdentify: null,
      timeToMitigate: null,
      timeToResolve: 1200,
      repeat: false,
    });
    const rows = rollupFacts([fact('search', 'P1'), fact('checkout', 'P0'), fact('checkout', 'P1')]);
    expect(rows.map((r) => `${r.service}/${r.severity}/${r.incidents}`)).toEqual([
      '*/P0/1',
      '*/P1/2',
      'checkout/P0/1',
      'checkout/P1/1',
      'search/P1/1',
    ]);
    // The same facts in another order give the same rows in the same order.
    expect(rollupFacts([fact('checkout', 'P1'), fact('search', 'P1'), fact('checkout', 'P0')])).toEqual(rows);
  });
});
