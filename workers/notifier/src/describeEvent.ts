import type { Actor, IncidentEvent } from '@vigil/core';

/** An event told in a line for people: a short title and, when there is one, the detail. */
export interface EventDescription {
  title: string;
  detail: string;
}

const who = (actor: Actor): string => actor.name ?? actor.id;

/**
 * Tells an incident event in words, for the messages responders read (not for the public
 * status page, which only shows public updates).
 *
 * @example
 * describeEvent(acknowledged).title; // 'Acknowledged by Alice'
 */
export function describeEvent(event: IncidentEvent): EventDescription {
  switch (event.type) {
    case 'IncidentDetected':
      return { title: 'Incident detected', detail: event.data.title };
    case 'IncidentDeclared':
      return { title: `Incident declared by ${who(event.data.by)}`, detail: event.data.title };
    case 'IncidentTriaged':
      return {
        title: 'Triaged',
        detail: `priority ${event.data.triage.priority}, owner ${event.data.triage.ownerRole}`,
      };
    case 'IncidentAcknowledged':
      return { title: `Acknowledged by ${who(event.data.by)}`, detail: '' };
    case 'IncidentEscalated':
      return { title: `Escalated to ${event.data.toRole}`, detail: event.data.reason };
    case 'SeverityChanged':
      return { title: `Severity ${event.data.from} → ${event.data.to}`, detail: event.data.reason };
    case 'RootCauseIdentified':
      return { title: 'Root cause identified', detail: event.data.rootCause };
    case 'StatusUpdatePosted':
      return {
        title: `Status update: ${event.data.status} (${event.data.visibility})`,
        detail: event.data.message,
      };
    case 'MitigationAttempted':
      return { title: `Mitigation started: ${event.data.action}`, detail: event.data.description };
    case 'MitigationResultRecorded':
      return { title: `Mitigation ${event.data.outcome}`, detail: event.data.message };
    case 'IncidentMitigated':
      return { title: 'Mitigated', detail: '' };
    case 'IncidentRelapsed':
      return { title: 'Relapsed', detail: event.data.reason };
    case 'IncidentResolved':
      return { title: `Resolved by ${who(event.data.by)}`, detail: event.data.resolution };
    case 'IncidentReopened':
      return { title: `Reopened by ${who(event.data.by)}`, detail: event.data.reason };
    case 'NoteAdded':
      return { title: `Note from ${who(event.data.by)}`, detail: event.data.text };
    case 'NotificationSent':
      return { title: `Notification sent via ${event.data.channelType}`, detail: event.data.target };
    case 'NotificationFailed':
      return { title: `Notification failed via ${event.data.channelType}`, detail: event.data.reason };
    case 'PostmortemDrafted':
      return { title: `Postmortem drafted (revision ${event.data.revision})`, detail: '' };
    case 'PostmortemPublished':
      return { title: 'Postmortem published', detail: '' };
    case 'ActionItemAdded':
      return { title: 'Action item added', detail: event.data.title };
    case 'ActionItemStatusChanged':
      return { title: `Action item ${event.data.to}`, detail: event.data.reason ?? '' };
    default: {
      const unhandled: never = event;
      return { title: (unhandled as { type: string }).type, detail: '' };
    }
  }
}
