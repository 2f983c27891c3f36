import { describe, expect, it } from 'vitest';
import {
  acknowledged,
  bob,
  detected,
  identified,
  minutesAfterStart,
  mitigated,
  noteAdded,
  P1,
  relapsed,
  reopened,
  resolved,
  severityChanged,
} from '../incident/testing/fixtures';
import { incidentRecord } from './incidentRecord';
import { incidentTimes } from './incidentTimes';

const relapsing = [
  detected(P1), // started T0, detected at +2 min
  acknowledged(), // +5
  identified(), // +12
  mitigated(), // +18
  relapsed(), // +25
  mitigated(undefined, minutesAfterStart(30)),
  resolved(), // +45
  reopened(), // +90
  acknowledged(bob, minutesAfterStart(95)),
  resolved(bob, minutesAfterStart(120)),
];

describe('incident times', () => {
  it('keeps the first and last time of each milestone', () => {
    const times = incidentTimes(relapsing);
    expect(times?.mitigated).toEqual({ first: minutesAfterStart(18), last: minutesAfterStart(30) });
    expect(times?.acknowledged).toEqual({ first: minutesAfterStart(5), last: minutesAfterStart(95) });
    expect(times?.resolved).toEqual({ first: minutesAfterStart(45), last: minutesAfterStart(120) });
    expect(times?.identified).toEqual({ first: minutesAfterStart(12), last: minutesAfterStart(12) });
  });
  it('measures durations in seconds from the first times', () => {
    expect(incidentTimes(relapsing)?.durations).toEqual({
      timeToDetect: 120,
      timeToAcknowledge: 180,
      timeToIdentify: 720,
      timeToMitigate: 1080,
      timeToResolve: 2700,
    });
  });
  it('leaves milestones not reached empty', () => {
    const times = incidentTimes([detected(P1), noteAdded()]);
    expect(times?.resolved).toBeNull();
    expect(times?.durations.timeToResolve).toBeNull();
    expect(times?.durations.timeToAcknowledge).toBeNull();
  });
  it('has no times without an opening', () => {
    expect(incidentTimes([])).toBeNull();
  });
});

describe('incident record', () => {
  it('uses the latest severity', () => {
    const record = incidentRecord([detected(P1), severityChanged('P1', 'P0'), resolved()]);
    expect(record).toMatchObject({
      id: detected().data.incidentId,
      severity: 'P0',
      service: 'checkout',
      kind: 'error_rate',
    });
  });
  it('is null without an opening', () => {
    expect(incidentRecord([])).toBeNull();
  });
});
