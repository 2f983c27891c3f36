import { describe, expect, it } from 'vitest';
import { expectedResolutionFor } from '../triage/expectedResolution';
import { priorityOf } from '../triage/priority';
import { CorruptStreamError, UnknownEventError } from './errors';
import type { IncidentEvent } from './events';
import { incidentEventTypes } from './events';
import { evolve, foldIncident } from './evolve';
import { initialIncidentState } from './state';
import {
  acknowledged,
  actionItemAdded,
  actionItemMoved,
  detected,
  identified,
  minutesAfterStart,
  mitigated,
  noteAdded,
  P1,
  postmortemPublished,
  relapsed,
  resolved,
  resultRecorded,
  severityChanged,
  triaged,
} from './testing/fixtures';

describe('evolve', () => {
  it('derives status from the furthest stage the facts prove', () => {
    expect(foldIncident([]).status).toBe('none');
    expect(foldIncident([detected(P1)]).status).toBe('detected');
    expect(foldIncident([detected(P1), triaged()]).status).toBe('triaged');
    expect(foldIncident([detected(P1), triaged(), acknowledged()]).status).toBe('acknowledged');
    expect(foldIncident([detected(P1), identified()]).status).toBe('identified');
    expect(foldIncident([detected(P1), identified(), mitigated()]).status).toBe('mitigated');
    expect(foldIncident([detected(P1), mitigated(), resolved()]).status).toBe('resolved');
  });

  it('keeps notes out of the state: they are the timeline, and the state stays small', () => {
    const state = foldIncident([detected(P1), acknowledged()]);
    const noted = Array.from({ length: 1000 }, (_, n) => noteAdded(`note ${n}`)).reduce(evolve, state);
    expect(noted).toEqual(state);
    expect(JSON.stringify(noted)).not.toContain('note 1');
  });

  it('takes the measurement a severity change carries; a change without one keeps the last', () => {
    const measured = {
      ...severityChanged(P1, 'P0'),
      data: { ...severityChanged(P1, 'P0').data, measurement: { value: 0.12, threshold: 0.05 } },
    };
    const state = foldIncident([detected(P1), measured]);
    expect(state.status !== 'none' && state.measurement).toEqual({ value: 0.12, threshold: 0.05 });
    const lowered = foldIncident([detected(P1), measured, severityChanged('P0', P1)]);
    expect(lowered.status !== 'none' && lowered.measurement).toEqual({ value: 0.12, threshold: 0.05 });
  });

  it('gives a reclassified incident the owner, priority and expected resolution of its new severity', () => {
    const raised = foldIncident([detected(P1), triaged(), severityChanged(P1, 'P0')]);
    const triage = raised.status !== 'none' ? raised.triage : null;
    const before = triaged().data.triage;
    expect(triage).toEqual({
      ...before,
      severity: 'P0',
      priority: priorityOf('P0', before.impactSeverity),
      ownerRole: 'team-lead',
      expectedResolution: expectedResolutionFor('P0'),
    });
    // Without a triage yet, there is nothing to reclassify.
    const untriaged = foldIncident([detected(P1), severityChanged(P1, 'P0')]);
    expect(untriaged.status !== 'none' && untriaged.triage).toBeNull();
  });

  it('keeps counting relapses across repeated mitigation', () => {
    const state = foldIncident([
      detected(P1),
      mitigated(),
      relapsed(),
      mitigated(undefined, minutesAfterStart(30)),
      relapsed(minutesAfterStart(35)),
    ]);
    expect(state.status === 'detected' && state.relapseCount).toBe(2);
  });

  it('refuses a stream whose first event is not an opening', () => {
    expect(() => foldIncident([noteAdded()])).toThrow(CorruptStreamError);
  });

  it('refuses a second opening', () => {
    expect(() => foldIncident([detected(P1), detected(P1)])).toThrow(CorruptStreamError);
  });

  it('refuses events about things that never happened', () => {
    expect(() => foldIncident([detected(P1), resultRecorded()])).toThrow(CorruptStreamError);
    expect(() => foldIncident([detected(P1), actionItemMoved('pending', 'completed')])).toThrow(
      CorruptStreamError,
    );
    expect(() => foldIncident([detected(P1), resolved(), postmortemPublished()])).toThrow(CorruptStreamError);
  });

  it('refuses an event type it does not know (a newer writer)', () => {
    const future = { type: 'IncidentTeleported', data: noteAdded().data } as unknown as IncidentEvent;
    expect(() => evolve(foldIncident([detected(P1)]), future)).toThrow(UnknownEventError);
  });

  it('tracks action item status and clears a failure reason on retry', () => {
    const state = foldIncident([
      detected(P1),
      actionItemAdded(),
      actionItemMoved('pending', 'failed', 'No budget'),
      actionItemMoved('failed', 'in-progress'),
    ]);
    expect(state.status !== 'none' && state.actionItems['ai-1']).toMatchObject({
      status: 'in-progress',
      failureReason: null,
    });
  });

  it('starts from the empty state', () => {
    expect(initialIncidentState).toEqual({ status: 'none' });
  });

  it('lists every event type once', () => {
    expect(new Set(incidentEventTypes).size).toBe(incidentEventTypes.length);
    expect(incidentEventTypes).toHaveLength(21);
  });
});
