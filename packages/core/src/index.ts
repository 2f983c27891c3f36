export type { Command, Event } from './event';
export { encodeTime, newId, newIncidentId } from './ids';
export {
  type ActionItemKind,
  type ActionItemOwner,
  type ActionItemStatus,
  actionItemTransitions,
} from './incident/actionItem';
export type { Actor } from './incident/actor';
export * from './incident/commands';
export { decide } from './incident/decide';
export * from './incident/errors';
export * from './incident/events';
export { evolve, foldIncident } from './incident/evolve';
export type { IncidentKind, MetricKind } from './incident/kind';
export type { MitigationAction, MitigationOutcome, MitigationParams } from './incident/mitigation';
export {
  type ChannelType,
  isRecorded,
  noRecordedNotifications,
  notificationKey,
  type RecordedNotifications,
  withRecorded,
} from './incident/notification';
export type { PostmortemDraft } from './incident/postmortem';
export type { KnownRole, Role } from './incident/roles';
export { alertSlot, metricSlot, ownSlot, slotOf } from './incident/slots';
export * from './incident/state';
export type { PublicStatus, Visibility } from './incident/statusUpdate';
export * from './metrics/compliance';
export * from './metrics/frequencyPerMonth';
export * from './metrics/incidentRecord';
export * from './metrics/incidentTimes';
export * from './metrics/repeatRate';
export * from './metrics/summarize';
export * from './rules/evaluateBreaches';
export * from './rules/impact';
export * from './rules/severityLadders';
export * from './rules/thresholds';
export { defaultRunbooks } from './runbooks/defaultRunbooks';
export { escalationsDue } from './runbooks/escalationsDue';
export type { EscalationCondition, EscalationRule, Runbook } from './runbooks/runbook';
export { runbookFor } from './runbooks/runbookFor';
export * from './runbooks/severityPolicies';
export { type Severity, severities, severityScore } from './severity/severity';
export { earlierOf, isInstant, millisOf, secondsBetween } from './time';
export { categoryOf, type IncidentCategory } from './triage/category';
export { type ExpectedResolution, expectedResolutionFor } from './triage/expectedResolution';
export { ownerRoleFor } from './triage/ownerRole';
export { priorityOf } from './triage/priority';
export { recommendedActions } from './triage/recommendedActions';
export * from './triage/similarIncidents';
export * from './triage/triage';
