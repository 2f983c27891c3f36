import type { ImpactEstimate } from '../../rules/impact';
import type { Severity } from '../../severity/severity';
import type { Triage } from '../../triage/triage';
import { triage as runTriage } from '../../triage/triage';
import type { ActionItemStatus } from '../actionItem';
import type { Actor } from '../actor';
import type {
  AcknowledgeIncident,
  AddActionItem,
  AddNote,
  AttemptMitigation,
  ChangeActionItemStatus,
  ChangeSeverity,
  DeclareIncident,
  DetectIncident,
  DraftPostmortem,
  EscalateIncident,
  IdentifyRootCause,
  MarkMitigated,
  PostStatusUpdate,
  PublishPostmortem,
  RecordMitigationResult,
  RecordNotificationFailed,
  RecordNotificationSent,
  ReopenIncident,
  ReportRelapse,
  ResolveIncident,
  TriageIncident,
} from '../commands';
import type {
  ActionItemAdded,
  ActionItemStatusChanged,
  IncidentAcknowledged,
  IncidentDeclared,
  IncidentDetected,
  IncidentEscalated,
  IncidentMitigated,
  IncidentRelapsed,
  IncidentReopened,
  IncidentResolved,
  IncidentTriaged,
  MitigationAttempted,
  MitigationResultRecorded,
  NoteAdded,
  NotificationFailed,
  NotificationSent,
  PostmortemDrafted,
  PostmortemPublished,
  RootCauseIdentified,
  SeverityChanged,
  StatusUpdatePosted,
} from '../events';

// The language of incidents for tests: commands in the imperative, events in the past
// tense, each pair sharing defaults so `when(acknowledge(alice))` yields `acknowledged(alice)`.

export const T0 = '2025-03-01T10:00:00.000Z';
export const minutesAfterStart = (minutes: number): string =>
  new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const incidentId = 'INC-01JN8JC080-19EP';
export const alice: Actor = { kind: 'human', id: 'u_alice', name: 'Alice' };
export const bob: Actor = { kind: 'human', id: 'u_bob', name: 'Bob' };
export const errorRateRule: Actor = { kind: 'detector', id: 'rule:error_rate' };
export const notifier: Actor = { kind: 'system', id: 'notifier' };

export const highImpact: ImpactEstimate = { usersAffected: 70, revenueImpact: 7, severity: 'high' };
export const P0: Severity = 'P0';
export const P1: Severity = 'P1';
export const P2: Severity = 'P2';
export const P3: Severity = 'P3';

const opening = (severity: Severity) => ({
  incidentId,
  service: 'checkout',
  kind: 'error_rate',
  severity,
  title: 'Checkout error rate above 5%',
  startedAt: T0,
  detectedAt: minutesAfterStart(2),
  impact: highImpact,
});

export const detect = (severity: Severity = P1): DetectIncident => ({
  type: 'DetectIncident',
  data: {
    ...opening(severity),
    measurement: { value: 0.07, threshold: 0.05 },
    dedupKey: 'checkout:error_rate',
    at: minutesAfterStart(2),
    by: errorRateRule,
  },
});
export const detected = (severity: Severity = P1): IncidentDetected => ({
  type: 'IncidentDetected',
  data: {
    ...opening(severity),
    measurement: { value: 0.07, threshold: 0.05 },
    source: null,
    dedupKey: 'checkout:error_rate',
    at: minutesAfterStart(2),
    by: errorRateRule,
  },
});

export const declare = (by: Actor = alice, severity: Severity = P2): DeclareIncident => ({
  type: 'DeclareIncident',
  data: {
    incidentId,
    service: 'checkout',
    severity,
    title: 'Customers report failed payments',
    startedAt: T0,
    impact: highImpact,
    at: minutesAfterStart(3),
    by,
  },
});
export const declared = (by: Actor = alice, severity: Severity = P2): IncidentDeclared => ({
  type: 'IncidentDeclared',
  data: {
    incidentId,
    service: 'checkout',
    kind: 'manual',
    severity,
    title: 'Customers report failed payments',
    startedAt: T0,
    detectedAt: minutesAfterStart(3),
    impact: highImpact,
    at: minutesAfterStart(3),
    by,
  },
});

export const triageResult = (severity: Severity = P1): Triage =>
  runTriage({
    incident: { id: incidentId, service: 'checkout', kind: 'error_rate', severity, impact: highImpact },
    history: [],
  });
export const triageIt = (result: Triage = triageResult(), at = minutesAfterStart(3)): TriageIncident => ({
  type: 'TriageIncident',
  data: { incidentId, triage: result, at, by: { kind: 'system', id: 'triage' } },
});
export const triaged = (result: Triage = triageResult(), at = minutesAfterStart(3)): IncidentTriaged => ({
  type: 'IncidentTriaged',
  data: { incidentId, triage: result, at, by: { kind: 'system', id: 'triage' } },
});

export const acknowledge = (by: Actor = alice, at = minutesAfterStart(5)): AcknowledgeIncident => ({
  type: 'AcknowledgeIncident',
  data: { incidentId, at, by },
});
export const acknowledged = (by: Actor = alice, at = minutesAfterStart(5)): IncidentAcknowledged => ({
  type: 'IncidentAcknowledged',
  data: { incidentId, at, by },
});

export const escalate = (toRole: string, ruleId?: string, at = minutesAfterStart(32)): EscalateIncident => ({
  type: 'EscalateIncident',
  data: {
    incidentId,
    toRole,
    reason: 'Not resolved in 30 minutes',
    ...(ruleId ? { ruleId } : {}),
    at,
    by: notifier,
  },
});
export const escalated = (
  toRole: string,
  ruleId?: string,
  at = minutesAfterStart(32),
): IncidentEscalated => ({
  type: 'IncidentEscalated',
  data: {
    incidentId,
    toRole,
    reason: 'Not resolved in 30 minutes',
    ruleId: ruleId ?? null,
    at,
    by: notifier,
  },
});

export const changeSeverity = (to: Severity, at = minutesAfterStart(8)): ChangeSeverity => ({
  type: 'ChangeSeverity',
  data: { incidentId, to, reason: 'Payments fail for every region', at, by: alice },
});
export const severityChanged = (
  from: Severity,
  to: Severity,
  at = minutesAfterStart(8),
): SeverityChanged => ({
  type: 'SeverityChanged',
  data: { incidentId, from, to, reason: 'Payments fail for every region', at, by: alice },
});

export const identify = (
  rootCause = 'Payment client v42 drops the idempotency header',
  at = minutesAfterStart(12),
): IdentifyRootCause => ({
  type: 'IdentifyRootCause',
  data: { incidentId, rootCause, at, by: alice },
});
export const identified = (
  rootCause = 'Payment client v42 drops the idempotency header',
  at = minutesAfterStart(12),
): RootCauseIdentified => ({ type: 'RootCauseIdentified', data: { incidentId, rootCause, at, by: alice } });

export const postUpdate = (updateId = 'upd-1', at = minutesAfterStart(6)): PostStatusUpdate => ({
  type: 'PostStatusUpdate',
  data: {
    incidentId,
    updateId,
    status: 'investigating',
    message: 'We are looking into failed payments',
    visibility: 'public',
    at,
    by: alice,
  },
});
export const updatePosted = (updateId = 'upd-1', at = minutesAfterStart(6)): StatusUpdatePosted => ({
  type: 'StatusUpdatePosted',
  data: {
    incidentId,
    updateId,
    status: 'investigating',
    message: 'We are looking into failed payments',
    visibility: 'public',
    at,
    by: alice,
  },
});

export const attemptRollback = (mitigationId = 'mit-1', at = minutesAfterStart(14)): AttemptMitigation => ({
  type: 'AttemptMitigation',
  data: {
    incidentId,
    mitigationId,
    action: 'rollback',
    description: 'Roll back checkout to v41',
    params: { targetVersion: 'v41' },
    at,
    by: alice,
  },
});
export const rollbackAttempted = (
  mitigationId = 'mit-1',
  at = minutesAfterStart(14),
): MitigationAttempted => ({
  type: 'MitigationAttempted',
  data: {
    incidentId,
    mitigationId,
    action: 'rollback',
    description: 'Roll back checkout to v41',
    params: { targetVersion: 'v41' },
    at,
    by: alice,
  },
});

export const recordResult = (
  outcome: 'succeeded' | 'failed' = 'succeeded',
  mitigationId = 'mit-1',
  at = minutesAfterStart(16),
): RecordMitigationResult => ({
  type: 'RecordMitigationResult',
  data: { incidentId, mitigationId, outcome, message: `Rollback ${outcome}`, at, by: alice },
});
export const resultRecorded = (
  outcome: 'succeeded' | 'failed' = 'succeeded',
  mitigationId = 'mit-1',
  at = minutesAfterStart(16),
): MitigationResultRecorded => ({
  type: 'MitigationResultRecorded',
  data: { incidentId, mitigationId, outcome, message: `Rollback ${outcome}`, at, by: alice },
});

export const markMitigated = (mitigationId?: string, at = minutesAfterStart(18)): MarkMitigated => ({
  type: 'MarkMitigated',
  data: { incidentId, ...(mitigationId ? { mitigationId } : {}), at, by: errorRateRule },
});
export const mitigated = (mitigationId?: string, at = minutesAfterStart(18)): IncidentMitigated => ({
  type: 'IncidentMitigated',
  data: { incidentId, mitigationId: mitigationId ?? null, at, by: errorRateRule },
});

export const reportRelapse = (at = minutesAfterStart(25)): ReportRelapse => ({
  type: 'ReportRelapse',
  data: { incidentId, reason: 'Error rate back above 5%', at, by: errorRateRule },
});
export const relapsed = (at = minutesAfterStart(25)): IncidentRelapsed => ({
  type: 'IncidentRelapsed',
  data: { incidentId, reason: 'Error rate back above 5%', at, by: errorRateRule },
});

export const resolve = (by: Actor = alice, at = minutesAfterStart(45)): ResolveIncident => ({
  type: 'ResolveIncident',
  data: { incidentId, resolution: 'Rolled back to v41; error rate normal for 20 minutes', at, by },
});
export const resolved = (by: Actor = alice, at = minutesAfterStart(45)): IncidentResolved => ({
  type: 'IncidentResolved',
  data: { incidentId, resolution: 'Rolled back to v41; error rate normal for 20 minutes', at, by },
});

export const reopen = (at = minutesAfterStart(90)): ReopenIncident => ({
  type: 'ReopenIncident',
  data: { incidentId, reason: 'Failures resumed after the cache expired', at, by: bob },
});
export const reopened = (at = minutesAfterStart(90)): IncidentReopened => ({
  type: 'IncidentReopened',
  data: { incidentId, reason: 'Failures resumed after the cache expired', at, by: bob },
});

export const addNote = (text = 'Paged the payments team', at = minutesAfterStart(7)): AddNote => ({
  type: 'AddNote',
  data: { incidentId, text, at, by: bob },
});
export const noteAdded = (text = 'Paged the payments team', at = minutesAfterStart(7)): NoteAdded => ({
  type: 'NoteAdded',
  data: { incidentId, text, at, by: bob },
});

const delivery = (forEventSeq: number, attempt: number, at: string) => ({
  incidentId,
  channelId: 'slack-ops',
  channelType: 'slack',
  target: '#ops (hooks.slack.com/…/XXXX)',
  attempt,
  forEventSeq,
  at,
  by: notifier,
});
export const recordSent = (
  forEventSeq = 1,
  attempt = 1,
  at = minutesAfterStart(2.5),
): RecordNotificationSent => ({
  type: 'RecordNotificationSent',
  data: delivery(forEventSeq, attempt, at),
});
export const notificationSent = (
  forEventSeq = 1,
  attempt = 1,
  at = minutesAfterStart(2.5),
): NotificationSent => ({
  type: 'NotificationSent',
  data: delivery(forEventSeq, attempt, at),
});
export const recordFailed = (
  forEventSeq = 1,
  attempt = 1,
  reason = 'HTTP 503',
  at = minutesAfterStart(2.5),
): RecordNotificationFailed => ({
  type: 'RecordNotificationFailed',
  data: { ...delivery(forEventSeq, attempt, at), reason },
});
export const notificationFailed = (
  forEventSeq = 1,
  attempt = 1,
  reason = 'HTTP 503',
  at = minutesAfterStart(2.5),
): NotificationFailed => ({
  type: 'NotificationFailed',
  data: { ...delivery(forEventSeq, attempt, at), reason },
});

export const lessons = ['Canary the payment client before a full rollout'];
export const draftPostmortem = (
  lessonsLearned: readonly string[] = lessons,
  at = minutesAfterStart(24 * 60),
): DraftPostmortem => ({
  type: 'DraftPostmortem',
  data: { incidentId, lessonsLearned, acknowledgments: ['Alice'], at, by: alice },
});
export const postmortemDrafted = (
  revision = 1,
  lessonsLearned: readonly string[] = lessons,
  at = minutesAfterStart(24 * 60),
): PostmortemDrafted => ({
  type: 'PostmortemDrafted',
  data: {
    incidentId,
    draft: { summary: null, impactNarrative: null, lessonsLearned, acknowledgments: ['Alice'] },
    revision,
    at,
    by: alice,
  },
});
export const publishPostmortem = (at = minutesAfterStart(48 * 60)): PublishPostmortem => ({
  type: 'PublishPostmortem',
  data: { incidentId, at, by: bob },
});
export const postmortemPublished = (revision = 1, at = minutesAfterStart(48 * 60)): PostmortemPublished => ({
  type: 'PostmortemPublished',
  data: { incidentId, revision, at, by: bob },
});

export const addActionItem = (actionItemId = 'ai-1', at = minutesAfterStart(50)): AddActionItem => ({
  type: 'AddActionItem',
  data: {
    incidentId,
    actionItemId,
    title: 'Alert on idempotency header loss',
    ownerRole: 'senior-engineer',
    dueDate: '2025-03-15',
    kind: 'alerting',
    at,
    by: alice,
  },
});
export const actionItemAdded = (actionItemId = 'ai-1', at = minutesAfterStart(50)): ActionItemAdded => ({
  type: 'ActionItemAdded',
  data: {
    incidentId,
    actionItemId,
    title: 'Alert on idempotency header loss',
    owner: { role: 'senior-engineer', person: null },
    dueDate: '2025-03-15',
    kind: 'alerting',
    at,
    by: alice,
  },
});
export const moveActionItem = (
  to: ActionItemStatus,
  reason?: string,
  actionItemId = 'ai-1',
  at = minutesAfterStart(60),
): ChangeActionItemStatus => ({
  type: 'ChangeActionItemStatus',
  data: { incidentId, actionItemId, to, ...(reason ? { reason } : {}), at, by: bob },
});
export const actionItemMoved = (
  from: ActionItemStatus,
  to: ActionItemStatus,
  reason?: string,
  actionItemId = 'ai-1',
  at = minutesAfterStart(60),
): ActionItemStatusChanged => ({
  type: 'ActionItemStatusChanged',
  data: { incidentId, actionItemId, from, to, reason: reason ?? null, at, by: bob },
});
