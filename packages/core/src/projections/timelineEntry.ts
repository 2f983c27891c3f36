import type { Actor } from '../incident/actor';
import type { IncidentEvent } from '../incident/events';

/**
 * One line of an incident's timeline, as a person reads it. `public` entries are the ones
 * the status page may show: the incident opening and closing, and public status updates.
 *
 * @example
 * timelineEntry(acknowledged).summary; // 'Acknowledged by alice'
 */
export type TimelineEntry = {
  readonly at: string;
  readonly type: IncidentEvent['type'];
  readonly actor: Actor;
  readonly summary: string;
  readonly visibility: 'public' | 'internal';
};

const who = (actor: Actor) => actor.name ?? actor.id;

export function timelineEntry(event: IncidentEvent): TimelineEntry {
  const { at, by } = event.data;
  const entry = (summary: string, visibility: 'public' | 'internal' = 'internal'): TimelineEntry => ({
    at,
    type: event.type,
    actor: by,
    summary,
    visibility,
  });
  switch (event.type) {
    case 'IncidentDetected':
      return entry(
        `${event.data.severity} ${event.data.kind} incident detected on ${event.data.service}: ${event.data.title}`,
        'public',
      );
    case 'IncidentDeclared':
      return entry(
        `${event.data.severity} incident declared on ${event.data.service} by ${who(by)}: ${event.data.title}`,
        'public',
      );
    case 'IncidentTriaged': {
      const t = event.data.triage;
      const suspect = t.suspectDeployment ? `; suspect deploy ${t.suspectDeployment.version}` : '';
      return entry(
        `Triaged: ${t.category}, priority ${t.priority}, owner ${t.ownerRole}, expected resolution ${t.expectedResolution.text}${suspect}`,
      );
    }
    case 'IncidentAcknowledged':
      return entry(`Acknowledged by ${who(by)}`);
    case 'IncidentEscalated':
      return entry(`Escalated to ${event.data.toRole}: ${event.data.reason}`);
    case 'SeverityChanged':
      return entry(
        `Severity changed from ${event.data.from} to ${event.data.to}: ${event.data.reason}`,
        'public',
      );
    case 'RootCauseIdentified':
      return entry(`Root cause identified by ${who(by)}: ${event.data.rootCause}`);
    case 'StatusUpdatePosted':
      return entry(
        `Status ${event.data.status}: ${event.data.message}`,
        event.data.visibility === 'public' ? 'public' : 'internal',
      );
    case 'MitigationAttempted':
      return entry(`Mitigation attempted (${event.data.action}): ${event.data.description}`);
    case 'MitigationResultRecorded':
      return entry(`Mitigation ${event.data.outcome}: ${event.data.message}`);
    case 'IncidentMitigated':
      return entry(
        `Mitigated${by.kind === 'detector' ? ': metrics back within thresholds' : ` by ${who(by)}`}`,
        'public',
      );
    case 'IncidentRelapsed':
      return entry(`Relapsed: ${event.data.reason}`, 'public');
    case 'IncidentResolved':
      return entry(`Resolved by ${who(by)}: ${event.data.resolution}`, 'public');
    case 'IncidentReopened':
      return entry(`Reopened by ${who(by)}: ${event.data.reason}`, 'public');
    case 'NoteAdded':
      return entry(`Note from ${who(by)}: ${event.data.text}`);
    case 'NotificationSent':
      return entry(`Notified ${event.data.channelType} ${event.data.target} (attempt ${event.data.attempt})`);
    case 'NotificationFailed':
      return entry(
        `Notification to ${event.data.channelType} ${event.data.target} failed (attempt ${event.data.attempt}): ${event.data.reason}`,
      );
    case 'PostmortemDrafted':
      return entry(`Postmortem drafted by ${who(by)} (revision ${event.data.revision})`);
    case 'PostmortemPublished':
      return entry(`Postmortem published (revision ${event.data.revision})`, 'public');
    case 'ActionItemAdded':
      return entry(`Action item added: ${event.data.title}`);
    case 'ActionItemStatusChanged':
      return entry(
        `Action item ${event.data.actionItemId} ${event.data.from} → ${event.data.to}${event.data.reason ? `: ${event.data.reason}` : ''}`,
      );
    default: {
      const unhandled: never = event;
      throw new Error(`no timeline text for ${(unhandled as { type: string }).type}`);
    }
  }
}
