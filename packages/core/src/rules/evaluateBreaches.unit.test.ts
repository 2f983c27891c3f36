import { describe, expect, it } from 'vitest';
import { evaluateBreaches } from './evaluateBreaches';
import { estimateImpact } from './impact';
import { defaultThresholds, mergeThresholds, thresholdsFor } from './thresholds';

describe('detection thresholds', () => {
  it('defaults to the runbook: 5% errors, 2000 ms p95, 99.5% availability', () => {
    expect(defaultThresholds).toEqual({ errorRate: 0.05, responseTimeP95: 2000, availability: 99.5 });
  });
  it('merges a service override over the defaults', () => {
    expect(mergeThresholds(defaultThresholds, { responseTimeP95: 800 })).toEqual({
      errorRate: 0.05,
      responseTimeP95: 800,
      availability: 99.5,
    });
  });
  it('uses a service override only for that service', () => {
    const overrides = { checkout: { errorRate: 0.01 } };
    expect(thresholdsFor('checkout', overrides).errorRate).toBe(0.01);
    expect(thresholdsFor('search', overrides)).toBe(defaultThresholds);
  });
});

describe('evaluating a metric window', () => {
  it('reports nothing at exactly the thresholds', () => {
    expect(
      evaluateBreaches({ errorRate: 0.05, responseTimeP95: 2000, availability: 99.5 }, defaultThresholds),
    ).toEqual([]);
  });
  it('reports each metric past its threshold with its ladder severity and impact', () => {
    const breaches = evaluateBreaches(
      { errorRate: 0.12, responseTimeP95: 2500, availability: 98.5 },
      defaultThresholds,
    );
    expect(breaches.map((b) => [b.kind, b.severity, b.value, b.threshold])).toEqual([
      ['error_rate', 'P0', 0.12, 0.05],
      ['response_time', 'P1', 2500, 2000],
      ['availability', 'P0', 98.5, 99.5],
    ]);
    expect(breaches[0]?.impact.severity).toBe('critical');
  });
  it('gives P2 and P3 breaches when a service lowers its thresholds', () => {
    const strict = mergeThresholds(defaultThresholds, { errorRate: 0.01 });
    expect(evaluateBreaches({ errorRate: 0.03 }, strict)[0]?.severity).toBe('P2');
    expect(evaluateBreaches({ errorRate: 0.015 }, strict)[0]?.severity).toBe('P3');
  });
  it('ignores metrics the window has no samples for', () => {
    expect(evaluateBreaches({}, defaultThresholds)).toEqual([]);
  });
});

describe('impact estimate', () => {
  it('follows the runbook models', () => {
    expect(estimateImpact('error_rate', 0.07)).toEqual({
      usersAffected: 70,
      revenueImpact: 7,
      severity: 'high',
    });
    expect(estimateImpact('error_rate', 0.2)).toEqual({
      usersAffected: 100,
      revenueImpact: 20,
      severity: 'critical',
    });
    expect(estimateImpact('response_time', 6000)).toEqual({
      usersAffected: 80,
      revenueImpact: 60,
      severity: 'critical',
    });
    expect(estimateImpact('response_time', 2500)).toEqual({
      usersAffected: 50,
      revenueImpact: 25,
      severity: 'high',
    });
    expect(estimateImpact('availability', 99.2).severity).toBe('high');
    expect(estimateImpact('availability', 98).usersAffected).toBe(20);
    expect(estimateImpact('availability', 99.95)).toEqual({
      usersAffected: 0.5,
      revenueImpact: 0.5,
      severity: 'high',
    });
    expect(estimateImpact('availability', 98).severity).toBe('critical');
  });
  it('reports no measured impact for kinds without a model', () => {
    expect(estimateImpact('security', 1)).toEqual({ usersAffected: 0, revenueImpact: 0, severity: 'low' });
  });
});
