import { reclassified } from '../triage/triage';
import { CorruptStreamError, UnknownEventError } from './errors';
import type { IncidentDeclared, IncidentDetected, IncidentEvent } from './events';
import { noRecordedNotifications, notificationKey, withRecorded } from './notification';
import {
  type ExistingIncident,
  type IncidentFacts,
  type IncidentState,
  initialIncidentState,
  settle,
} from './state';

/**
 * Applies one event to an incident's state. Pure and total over the union; it does not
 * re-check rules (`decide` did), so a stream always replays to the state it was decided on.
 *
 * @example
 * const state = [detected, acknowledged].reduce(evolve, initialIncidentState);
 */
export function evolve(state: IncidentState, event: IncidentEvent): IncidentState {
  if (event.type === 'IncidentDetected' || event.type === 'IncidentDeclared') {
    if (state.status !== 'none') throw new CorruptStreamError(`${event.type} on open stream ${state.id}`);
    return opened(event);
  }
  if (state.status === 'none') throw new CorruptStreamError(`${event.type} before the incident opened`);
  return settle(apply(state, event));
}

/**
 * The state after replaying a whole stream.
 *
 * @example
 * foldIncident([detected, acknowledged]).status; // 'acknowledged'
 */
export function foldIncident(events: readonly IncidentEvent[]): IncidentState {
  return events.reduce(evolve, initialIncidentState);
}

function opened(event: IncidentDetected | IncidentDeclared): ExistingIncident {
  const { data } = event;
  const detection = event.type === 'IncidentDetected' ? event.data : null;
  return settle({
    id: data.incidentId,
    service: data.service,
    kind: data.kind,
    severity: data.severity,
    title: data.title,
    startedAt: data.startedAt,
    detectedAt: data.detectedAt,
    opened: { by: data.by, at: data.at, how: detection ? 'detected' : 'declared' },
    measurement: detection?.measurement ?? null,
    source: detection?.source ?? null,
    dedupKey: detection?.dedupKey ?? null,
    integration: detection?.integration ?? null,
    impact: data.impact,
    triage: null,
    acknowledgement: null,
    rootCause: null,
    mitigation: null,
    resolution: null,
    escalations: [],
    mitigations: {},
    actionItems: {},
    statusUpdates: {},
    notifications: noRecordedNotifications,
    postmortem: { status: 'none' },
    reopenCount: 0,
    relapseCount: 0,
  });
}

function apply(incident: ExistingIncident, event: IncidentEvent): IncidentFacts {
  const stamp = { by: event.data.by, at: event.data.at };
  switch (event.type) {
    case 'IncidentDetected':
    case 'IncidentDeclared':
      throw new CorruptStreamError(`${event.type} on open stream ${incident.id}`);
    case 'IncidentTriaged':
      return { ...incident, triage: event.data.triage };
    case 'IncidentAcknowledged':
      return { ...incident, acknowledgement: stamp };
    case 'IncidentEscalated': {
      const { toRole, reason, ruleId } = event.data;
      return { ...incident, escalations: [...incident.escalations, { ...stamp, toRole, reason, ruleId }] };
    }
    case 'SeverityChanged':
      return {
        ...incident,
        severity: event.data.to,
        measurement: event.data.measurement ?? incident.measurement,
        // The owner, priority and expected resolution the runbook gives the new severity.
        triage: incident.triage && reclassified(incident.triage, event.data.to),
      };
    case 'RootCauseIdentified':
      return { ...incident, rootCause: { ...stamp, text: event.data.rootCause } };
    case 'StatusUpdatePosted': {
      const { updateId, status, message, visibility } = event.data;
      return {
        ...incident,
        statusUpdates: { ...incident.statusUpdates, [updateId]: { ...stamp, status, message, visibility } },
      };
    }
    case 'MitigationAttempted': {
      const { mitigationId: id, action, description, params } = event.data;
      const mitigation = { id, action, description, params, attempted: stamp, result: null };
      return { ...incident, mitigations: { ...incident.mitigations, [id]: mitigation } };
    }
    case 'MitigationResultRecorded': {
      const { mitigationId, outcome, message } = event.data;
      const attempt = incident.mitigations[mitigationId];
      if (!attempt) throw new CorruptStreamError(`result for unknown mitigation ${mitigationId}`);
      const result = { ...stamp, outcome, message };
      return {
        ...incident,
        mitigations: { ...incident.mitigations, [mitigationId]: { ...attempt, result } },
      };
    }
    case 'IncidentMitigated':
      return { ...incident, mitigation: { ...stamp, mitigationId: event.data.mitigationId } };
    case 'IncidentRelapsed':
      return { ...incident, mitigation: null, relapseCount: incident.relapseCount + 1 };
    case 'IncidentResolved':
      return { ...incident, resolution: { ...stamp, text: event.data.resolution } };
    case 'IncidentReopened':
      return {
        ...incident,
        resolution: null,
        mitigation: null,
        acknowledgement: null,
        reopenCount: incident.reopenCount + 1,
      };
    case 'NoteAdded':
      // A note changes nothing the domain decides on; it lives in the timeline.
      return incident;
    case 'NotificationSent':
    case 'NotificationFailed':
      return {
        ...incident,
        notifications: withRecorded(incident.notifications, notificationKey(event.data)),
      };
    case 'PostmortemDrafted':
      return {
        ...incident,
        postmortem: {
          status: 'drafted',
          draft: event.data.draft,
          revision: event.data.revision,
          drafted: stamp,
        },
      };
    case 'PostmortemPublished': {
      const { postmortem } = incident;
      if (postmortem.status !== 'drafted')
        throw new CorruptStreamError(`publish without a draft on ${incident.id}`);
      return { ...incident, postmortem: { ...postmortem, status: 'published', published: stamp } };
    }
    case 'ActionItemAdded': {
      const { actionItemId: id, title, owner, dueDate, kind } = event.data;
      const item = {
        id,
        title,
        owner,
        dueDate,
        kind,
        status: 'pending' as const,
        failureReason: null,
        added: stamp,
        updatedAt: stamp.at,
      };
      return { ...incident, actionItems: { ...incident.actionItems, [id]: item } };
    }
    case 'ActionItemStatusChanged': {
      const { actionItemId, to, reason } = event.data;
      const item = incident.actionItems[actionItemId];
      if (!item) throw new CorruptStreamError(`status change for unknown action item ${actionItemId}`);
      const changed = {
        ...item,
        status: to,
        failureReason: to === 'failed' ? reason : null,
        updatedAt: stamp.at,
      };
      return { ...incident, actionItems: { ...incident.actionItems, [actionItemId]: changed } };
    }
    default: {
      const unhandled: never = event;
      throw new UnknownEventError(unhandled);
    }
  }
}
