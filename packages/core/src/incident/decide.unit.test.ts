import { describe, expect, it } from 'vitest';
import type { IncidentCommand } from './commands';
import { decide } from './decide';
import { DomainError, IllegalTransitionError, InvalidCommandError, NotFoundError } from './errors';
import { initialIncidentState } from './state';
import {
  acknowledge,
  acknowledged,
  actionItemAdded,
  actionItemMoved,
  addActionItem,
  addNote,
  alice,
  attemptRollback,
  bob,
  changeSeverity,
  declare,
  declared,
  detect,
  detected,
  draftPostmortem,
  errorRateRule,
  escalate,
  escalated,
  identified,
  identify,
  markMitigated,
  minutesAfterStart,
  mitigated,
  moveActionItem,
  noteAdded,
  notificationFailed,
  notificationSent,
  P0,
  P1,
  P2,
  postmortemDrafted,
  postmortemPublished,
  postUpdate,
  publishPostmortem,
  recordFailed,
  recordResult,
  recordSent,
  relapsed,
  reopen,
  reopened,
  reportRelapse,
  resolve,
  resolved,
  resultRecorded,
  rollbackAttempted,
  severityChanged,
  triaged,
  triageIt,
  triageResult,
  updatePosted,
} from './testing/fixtures';
import { given } from './testing/given';

const open = [detected(P1)];
const acked = [detected(P1), acknowledged(alice)];
const closed = [detected(P1), acknowledged(alice), resolved()];

describe('detecting an incident', () => {
  it('opens a detected incident from a breach', () => {
    const state = given([])
      .when(detect(P1))
      .then([detected(P1)]);
    expect(state.status).toBe('detected');
  });
  it('refuses to open an incident twice', () => {
    given(open).when(detect(P1)).thenThrows('incident_already_exists');
  });
  it('refuses a start after the detection', () => {
    const late = detect();
    given([])
      .when({ ...late, data: { ...late.data, startedAt: minutesAfterStart(10) } })
      .thenThrows('invalid_command');
  });
  it('refuses an empty title', () => {
    given([])
      .when({ ...detect(), data: { ...detect().data, title: '  ' } })
      .thenThrows('invalid_command');
  });
});

describe('declaring an incident', () => {
  it('lets a person declare one, as a manual incident detected when declared', () => {
    const state = given([])
      .when(declare(alice))
      .then([declared(alice)]);
    expect(state.status === 'detected' && state.kind).toBe('manual');
  });
  it('refuses a declaration from a detector', () => {
    given([]).when(declare(errorRateRule)).thenThrows('actor_not_allowed');
  });
  it('refuses to declare an incident that exists', () => {
    given(open).when(declare(alice)).thenThrows('incident_already_exists');
  });
  it('refuses a start in the future of the declaration', () => {
    given([])
      .when({ ...declare(alice), data: { ...declare(alice).data, startedAt: minutesAfterStart(60) } })
      .thenThrows('invalid_command');
  });
});

describe('triaging', () => {
  it('records the triage result and moves a detected incident to triaged', () => {
    expect(given(open).when(triageIt()).then([triaged()]).status).toBe('triaged');
  });
  it('keeps an acknowledged incident acknowledged when triaged again', () => {
    const again = triageResult(P0);
    expect(
      given(acked)
        .when(triageIt(again))
        .then([triaged(again)]).status,
    ).toBe('acknowledged');
  });
  it('refuses to triage a resolved incident', () => {
    given(closed).when(triageIt()).thenThrows('incident_already_resolved');
  });
  it('refuses to triage an incident that does not exist', () => {
    given([]).when(triageIt()).thenThrows('incident_not_found');
  });
});

describe('acknowledging', () => {
  it('records who took ownership', () => {
    expect(
      given(open)
        .when(acknowledge(alice))
        .then([acknowledged(alice)]).status,
    ).toBe('acknowledged');
  });
  it('refuses a second acknowledgement', () => {
    given(acked).when(acknowledge(bob)).thenThrows('already_acknowledged');
  });
  it('refuses to acknowledge a resolved incident', () => {
    given(closed).when(acknowledge(bob)).thenThrows('incident_already_resolved');
  });
  it('asks for a fresh acknowledgement after a reopen', () => {
    given([...closed, reopened()])
      .when(acknowledge(bob, minutesAfterStart(95)))
      .then([acknowledged(bob, minutesAfterStart(95))]);
  });
  it('treats a command for another incident as not found', () => {
    const other = acknowledge(alice);
    given(open)
      .when({ ...other, data: { ...other.data, incidentId: 'INC-OTHER' } })
      .thenThrows('incident_not_found');
  });
  it('refuses a command whose clock is not an ISO-8601 instant', () => {
    given(open).when(acknowledge(alice, 'yesterday')).thenThrows('invalid_command');
  });
});

describe('escalating', () => {
  const rule = 'high-error-rate/unresolved-30m/team-lead';
  it('records an escalation by rule', () => {
    given(acked)
      .when(escalate('team-lead', rule))
      .then([escalated('team-lead', rule)]);
  });
  it('refuses to record the same rule for the same role twice', () => {
    given([...acked, escalated('team-lead', rule)])
      .when(escalate('team-lead', rule))
      .thenThrows('escalation_already_recorded');
  });
  it('lets a person page the same role again by hand', () => {
    given([...acked, escalated('team-lead')])
      .when(escalate('team-lead'))
      .then([escalated('team-lead')]);
  });
  it('refuses to escalate a resolved incident', () => {
    given(closed).when(escalate('vp-engineering')).thenThrows('incident_already_resolved');
  });
});

describe('changing severity', () => {
  it('records the change from and to', () => {
    const state = given(acked)
      .when(changeSeverity(P0))
      .then([severityChanged(P1, P0)]);
    expect(state.status !== 'none' && state.severity).toBe('P0');
  });
  it('refuses a change to the same severity', () => {
    given(acked).when(changeSeverity(P1)).thenThrows('severity_unchanged');
  });
  it('allows reclassification during review after resolution', () => {
    given(closed)
      .when(changeSeverity(P2))
      .then([severityChanged(P1, P2)]);
  });
  it('refuses a change without a reason', () => {
    given(acked)
      .when({ ...changeSeverity(P0), data: { ...changeSeverity(P0).data, reason: '' } })
      .thenThrows('invalid_command');
  });
});

describe('identifying the root cause', () => {
  it('moves the incident to identified', () => {
    expect(given(acked).when(identify()).then([identified()]).status).toBe('identified');
  });
  it('refuses the same root cause twice', () => {
    given([...acked, identified()])
      .when(identify())
      .thenThrows('root_cause_unchanged');
  });
  it('accepts a better explanation', () => {
    given([...acked, identified()])
      .when(identify('Expired TLS certificate'))
      .then([identified('Expired TLS certificate')]);
  });
  it('accepts a root cause found after resolution, leaving the incident resolved', () => {
    expect(given(closed).when(identify()).then([identified()]).status).toBe('resolved');
  });
  it('refuses a root cause on a missing incident', () => {
    given([]).when(identify()).thenThrows('incident_not_found');
  });
});

describe('posting status updates', () => {
  it('posts an update', () => {
    given(acked)
      .when(postUpdate('upd-1'))
      .then([updatePosted('upd-1')]);
  });
  it('refuses to post the same update twice', () => {
    given([...acked, updatePosted('upd-1')])
      .when(postUpdate('upd-1'))
      .thenThrows('status_update_already_posted');
  });
  it('posts a final update after resolution', () => {
    given(closed)
      .when(postUpdate('upd-9'))
      .then([updatePosted('upd-9')]);
  });
  it('refuses an empty message', () => {
    given(acked)
      .when({ ...postUpdate(), data: { ...postUpdate().data, message: '' } })
      .thenThrows('invalid_command');
  });
});

describe('attempting a mitigation', () => {
  it('records the attempt with its parameters', () => {
    const state = given(acked).when(attemptRollback()).then([rollbackAttempted()]);
    expect(state.status !== 'none' && state.mitigations['mit-1']?.params).toEqual({ targetVersion: 'v41' });
  });
  it('refuses a second attempt with the same id', () => {
    given([...acked, rollbackAttempted()])
      .when(attemptRollback())
      .thenThrows('mitigation_already_exists');
  });
  it('refuses a mitigation on a resolved incident', () => {
    given(closed).when(attemptRollback()).thenThrows('incident_already_resolved');
  });
});

describe('recording a mitigation result', () => {
  it('records the outcome', () => {
    given([...acked, rollbackAttempted()])
      .when(recordResult('failed'))
      .then([resultRecorded('failed')]);
  });
  it('refuses a result for an unknown mitigation', () => {
    given(acked).when(recordResult()).thenThrows('mitigation_not_found');
  });
  it('refuses a second result', () => {
    given([...acked, rollbackAttempted(), resultRecorded()])
      .when(recordResult())
      .thenThrows('mitigation_already_recorded');
  });
  it('records a result that arrives after resolution', () => {
    given([...acked, rollbackAttempted(), resolved()])
      .when(recordResult())
      .then([resultRecorded()]);
  });
});

describe('marking mitigated', () => {
  it('moves the incident to mitigated, crediting the mitigation', () => {
    const history = [...acked, rollbackAttempted(), resultRecorded()];
    expect(
      given(history)
        .when(markMitigated('mit-1'))
        .then([mitigated('mit-1')]).status,
    ).toBe('mitigated');
  });
  it('refuses to mark mitigated twice without a relapse', () => {
    given([...acked, mitigated()])
      .when(markMitigated())
      .thenThrows('already_mitigated');
  });
  it('refuses to credit an unknown mitigation', () => {
    given(acked).when(markMitigated('mit-9')).thenThrows('mitigation_not_found');
  });
  it('refuses to mitigate a resolved incident', () => {
    given(closed).when(markMitigated()).thenThrows('incident_already_resolved');
  });
  it('can mitigate before anyone acknowledges (an automatic rollback)', () => {
    expect(given(open).when(markMitigated()).then([mitigated()]).status).toBe('mitigated');
  });
});

describe('reporting a relapse', () => {
  it('returns a mitigated incident to the stage its facts support', () => {
    const state = given([...acked, identified(), mitigated()])
      .when(reportRelapse())
      .then([relapsed()]);
    expect(state.status).toBe('identified');
    expect(state.status !== 'none' && state.relapseCount).toBe(1);
  });
  it('lets a relapsed incident be mitigated again', () => {
    given([...acked, mitigated(), relapsed()])
      .when(markMitigated(undefined, minutesAfterStart(30)))
      .then([mitigated(undefined, minutesAfterStart(30))]);
  });
  it('refuses a relapse of an incident that is not mitigated', () => {
    given(acked).when(reportRelapse()).thenThrows('incident_not_mitigated');
  });
  it('refuses a relapse of a resolved incident (reopen it instead)', () => {
    given(closed).when(reportRelapse()).thenThrows('incident_already_resolved');
  });
});

describe('resolving', () => {
  it('resolves a mitigated incident', () => {
    expect(
      given([...acked, mitigated()])
        .when(resolve())
        .then([resolved()]).status,
    ).toBe('resolved');
  });
  it('resolves straight from detection (a false alarm)', () => {
    given(open).when(resolve()).then([resolved()]);
  });
  it('refuses to resolve twice', () => {
    given(closed).when(resolve()).thenThrows('incident_already_resolved');
  });
  it('refuses a resolution without text', () => {
    given(acked)
      .when({ ...resolve(), data: { ...resolve().data, resolution: '' } })
      .thenThrows('invalid_command');
  });
});

describe('reopening', () => {
  it('reopens a resolved incident, clearing ownership and mitigation', () => {
    const state = given([...acked, mitigated(), resolved()])
      .when(reopen())
      .then([reopened()]);
    expect(state.status).toBe('detected');
    expect(state.status !== 'none' && [state.reopenCount, state.acknowledgement, state.mitigation]).toEqual([
      1,
      null,
      null,
    ]);
  });
  it('keeps the known root cause after a reopen', () => {
    expect(
      given([...acked, identified(), resolved()])
        .when(reopen())
        .then([reopened()]).status,
    ).toBe('identified');
  });
  it('refuses to reopen an open incident', () => {
    given(acked).when(reopen()).thenThrows('incident_not_resolved');
  });
  it('refuses to reopen once the postmortem is published', () => {
    given([...closed, postmortemDrafted(), postmortemPublished()])
      .when(reopen())
      .thenThrows('postmortem_already_published');
  });
});

describe('notes', () => {
  it('adds a note to an open incident', () => {
    given(acked).when(addNote()).then([noteAdded()]);
  });
  it('adds a note to a resolved incident', () => {
    given(closed).when(addNote()).then([noteAdded()]);
  });
  it('refuses a note on a missing incident', () => {
    given([]).when(addNote()).thenThrows('incident_not_found');
  });
  it('refuses an empty note', () => {
    given(acked).when(addNote('')).thenThrows('invalid_command');
  });
});

describe('notifications', () => {
  it('records a delivered notification', () => {
    given(open)
      .when(recordSent(1, 1))
      .then([notificationSent(1, 1)]);
  });
  it('records the same delivery attempt once', () => {
    given([...open, notificationSent(1, 1)])
      .when(recordSent(1, 1))
      .thenThrows('notification_already_recorded');
  });
  it('records a failed delivery with its reason', () => {
    given(open)
      .when(recordFailed(1, 1))
      .then([notificationFailed(1, 1)]);
  });
  it('records a retry after a failure as a new attempt', () => {
    given([...open, notificationFailed(1, 1)])
      .when(recordSent(1, 2))
      .then([notificationSent(1, 2)]);
  });
  it('refuses a failure already recorded as sent', () => {
    given([...open, notificationSent(1, 1)])
      .when(recordFailed(1, 1))
      .thenThrows('notification_already_recorded');
  });
  it('records notifications about a resolved incident', () => {
    given(closed)
      .when(recordSent(3, 1))
      .then([notificationSent(3, 1)]);
  });
  it('refuses attempt zero', () => {
    given(open).when(recordSent(1, 0)).thenThrows('invalid_command');
  });
  it('refuses a failure without a reason', () => {
    given(open)
      .when(recordFailed(1, 1, ''))
      .thenThrows('invalid_command');
  });
});

describe('drafting the postmortem', () => {
  it('refuses a draft before resolution', () => {
    given(acked).when(draftPostmortem()).thenThrows('postmortem_requires_resolution');
  });
  it('drafts revision 1 after resolution', () => {
    given(closed)
      .when(draftPostmortem())
      .then([postmortemDrafted(1)]);
  });
  it('counts revisions', () => {
    const more = [...['Canary the payment client before a full rollout'], 'Alert on header loss'];
    given([...closed, postmortemDrafted(1)])
      .when(draftPostmortem(more))
      .then([postmortemDrafted(2, more)]);
  });
  it('refuses a draft identical to the current one', () => {
    given([...closed, postmortemDrafted(1)])
      .when(draftPostmortem())
      .thenThrows('postmortem_unchanged');
  });
  it('refuses a draft after publication', () => {
    given([...closed, postmortemDrafted(1), postmortemPublished(1)])
      .when(draftPostmortem(['x']))
      .thenThrows('postmortem_already_published');
  });
});

describe('publishing the postmortem', () => {
  it('refuses to publish before resolution', () => {
    given(acked).when(publishPostmortem()).thenThrows('postmortem_requires_resolution');
  });
  it('refuses to publish without a draft', () => {
    given(closed).when(publishPostmortem()).thenThrows('postmortem_not_drafted');
  });
  it('publishes the latest draft', () => {
    const state = given([...closed, postmortemDrafted(1), postmortemDrafted(2, ['y'])])
      .when(publishPostmortem())
      .then([postmortemPublished(2)]);
    expect(state.status !== 'none' && state.postmortem.status).toBe('published');
  });
  it('refuses to publish twice', () => {
    given([...closed, postmortemDrafted(1), postmortemPublished(1)])
      .when(publishPostmortem())
      .thenThrows('postmortem_already_published');
  });
});

describe('action items', () => {
  it('adds an action item while the incident is open', () => {
    given(acked).when(addActionItem()).then([actionItemAdded()]);
  });
  it('adds an action item after resolution', () => {
    const state = given(closed).when(addActionItem()).then([actionItemAdded()]);
    expect(state.status !== 'none' && state.actionItems['ai-1']?.status).toBe('pending');
  });
  it('refuses a duplicate id', () => {
    given([...closed, actionItemAdded()])
      .when(addActionItem())
      .thenThrows('action_item_already_exists');
  });
  it('refuses a due date that is not a date', () => {
    given(closed)
      .when({ ...addActionItem(), data: { ...addActionItem().data, dueDate: 'next week' } })
      .thenThrows('invalid_command');
  });
  it('refuses an action item on a missing incident', () => {
    given([]).when(addActionItem()).thenThrows('incident_not_found');
  });
});

describe('action item status', () => {
  const withItem = [...closed, actionItemAdded()];
  it('moves pending to in-progress', () => {
    given(withItem)
      .when(moveActionItem('in-progress'))
      .then([actionItemMoved('pending', 'in-progress')]);
  });
  it('records a failure with its reason', () => {
    const state = given(withItem)
      .when(moveActionItem('failed', 'No budget'))
      .then([actionItemMoved('pending', 'failed', 'No budget')]);
    expect(state.status !== 'none' && state.actionItems['ai-1']?.failureReason).toBe('No budget');
  });
  it('refuses a failure without a reason', () => {
    given(withItem).when(moveActionItem('failed')).thenThrows('reason_required');
  });
  it('retries a failed item', () => {
    given([...withItem, actionItemMoved('pending', 'failed', 'No budget')])
      .when(moveActionItem('in-progress'))
      .then([actionItemMoved('failed', 'in-progress')]);
  });
  it('refuses to reopen a completed item', () => {
    given([...withItem, actionItemMoved('pending', 'completed')])
      .when(moveActionItem('pending'))
      .thenThrows('invalid_status_transition');
  });
  it('refuses a change to the same status', () => {
    given(withItem).when(moveActionItem('pending')).thenThrows('action_item_status_unchanged');
  });
  it('refuses an unknown item', () => {
    given(closed).when(moveActionItem('completed')).thenThrows('action_item_not_found');
  });
});

describe('errors', () => {
  it('separates the public message from the internal one', () => {
    const refusal = given(closed).when(acknowledge(bob)).thenThrows('incident_already_resolved');
    expect(refusal).toBeInstanceOf(IllegalTransitionError);
    expect(refusal.publicMessage).toBe('The incident is resolved; reopen it first.');
    expect(refusal.message).toContain('resolved at');
  });
  it('uses one error class per kind of failure', () => {
    expect(given([]).when(addNote()).thenThrows('incident_not_found')).toBeInstanceOf(NotFoundError);
    expect(given([]).when(declare(errorRateRule)).thenThrows('actor_not_allowed')).toBeInstanceOf(
      InvalidCommandError,
    );
  });
  it('refuses a command outside the union', () => {
    const stranger = { type: 'DeleteIncident', data: acknowledge().data } as unknown as IncidentCommand;
    expect(() => decide(stranger, initialIncidentState)).toThrow(DomainError);
    expect(() => decide(stranger, initialIncidentState)).toThrow(/unknown incident command: DeleteIncident/);
  });
});
