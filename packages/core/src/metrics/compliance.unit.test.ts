import { describe, expect, it } from 'vitest';
import type { Severity } from '../severity/severity';
import { compliance } from './compliance';
import type { IncidentRecord } from './incidentRecord';

const day = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(Date.UTC(2025, 0, 1) + days * day).toISOString();

const record = (
  id: string,
  severity: Severity,
  startDay: number,
  durations: Partial<IncidentRecord['times']['durations']>,
  kind = 'error_rate',
): IncidentRecord => ({
  id,
  service: 'checkout',
  kind,
  severity,
  startedAt: at(startDay),
  times: {
    started: at(startDay),
    detected: at(startDay),
    acknowledged: null,
    identified: null,
    mitigated: null,
    resolved: null,
    durations: {
      timeToDetect: 0,
      timeToAcknowledge: null,
      timeToIdentify: null,
      timeToMitigate: null,
      timeToResolve: null,
      ...durations,
    },
  },
});

describe('compliance with the runbook targets', () => {
  it('passes and fails each target on the mean, strictly below the target', () => {
    const result = compliance({
      from: at(0),
      to: at(30),
      incidents: [
        record('p1-fast', 'P1', 1, { timeToResolve: 1800 }),
        record('p1-slow', 'P1', 2, { timeToResolve: 5400 }), // mean 3600: not below 1 h
        record('p0', 'P0', 3, { timeToIdentify: 600, timeToMitigate: 1800 }, 'availability'),
      ],
    });
    expect(result.mttrP1).toEqual({ target: 3600, unit: 'seconds', measured: 3600, pass: false });
    expect(result.mttiP0).toEqual({ target: 900, unit: 'seconds', measured: 600, pass: true });
    expect(result.mttmP0).toEqual({ target: 1800, unit: 'seconds', measured: 1800, pass: false });
    expect(result.frequency).toEqual({ target: 5, unit: 'incidents per month', measured: 3, pass: true });
    // p1-slow repeats p1-fast (same service and kind, a day later): 1 of 3.
    expect(result.repeats.measured).toBeCloseTo(1 / 3);
    expect(result.repeats.pass).toBe(false);
  });
  it('reports nothing measured as pass null, not as a pass', () => {
    const result = compliance({
      from: at(0),
      to: at(30),
      incidents: [record('p3', 'P3', 1, { timeToResolve: 60 })],
    });
    expect(result.mttrP1).toEqual({ target: 3600, unit: 'seconds', measured: null, pass: null });
    expect(result.mttiP0.pass).toBeNull();
    expect(result.mttmP0.pass).toBeNull();
    expect(result.repeats).toEqual({ target: 0.1, unit: 'ratio', measured: 0, pass: true });
  });
  it('counts only incidents that started in the window, remembering earlier ones for repeats', () => {
    const result = compliance({
      from: at(30),
      to: at(60),
      incidents: [
        record('before', 'P1', 1, { timeToResolve: 99_999 }),
        record('inside', 'P1', 31, { timeToResolve: 60 }),
      ],
    });
    expect(result.mttrP1.measured).toBe(60);
    expect(result.frequency.measured).toBe(1);
    // 'inside' started 30 days after 'before': a repeat, though 'before' is outside the window.
    expect(result.repeats.measured).toBe(1);
  });
  it('fails frequency at five incidents a month', () => {
    const five = [1, 2, 3, 4, 5].map((d) => record(`i${d}`, 'P3', d, {}, `kind-${d}`));
    expect(compliance({ from: at(0), to: at(30), incidents: five }).frequency.pass).toBe(false);
  });
});
