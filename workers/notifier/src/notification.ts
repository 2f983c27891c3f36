import type { ExistingIncident, IncidentEvent } from '@vigil/core';
import type { RecordedEvent } from '@vigil/db';
import { describeEvent } from './describeEvent';

/**
 * What one delivery tells a channel: one event, or the events folded into a digest, with the
 * incident as it stood after the last of them and the links people follow.
 */
export interface Notification {
  deliveryId: string;
  kind: 'event' | 'digest';
  incident: ExistingIncident;
  events: RecordedEvent<IncidentEvent>[];
  links: { incident: string; statusPage: string };
}

/**
 * The one-line headline of a notification.
 *
 * @example
 * headline(notification); // 'Acknowledged by Alice' or '3 updates'
 */
export function headline(notification: Notification): string {
  const [only] = notification.events;
  if (notification.kind === 'event' && only) return describeEvent(only).title;
  return `${notification.events.length} update${notification.events.length === 1 ? '' : 's'}`;
}

/** Who owns the incident: the acknowledger if any, else the triaged owner role. */
export function assignee(incident: ExistingIncident): string {
  const role = incident.triage?.ownerRole ?? 'unassigned';
  const owner = incident.acknowledgement?.by;
  return owner ? `${role} (${owner.name ?? owner.id})` : role;
}

/** The triage's category, as the runbook's pages name it: technical, security or operational. */
export function category(incident: ExistingIncident): string {
  return incident.triage?.category ?? 'not triaged yet';
}

/**
 * The estimated impact in words, as pages quote it.
 *
 * @example
 * impactText(incident); // '70% of users, revenue impact 7 (high)'
 */
export function impactText(incident: ExistingIncident): string {
  const { usersAffected, revenueImpact, severity } = incident.impact;
  return `${usersAffected}% of users, revenue impact ${revenueImpact} (${severity})`;
}

/**
 * What the runbook says to do, from triage (a suspect deploy's rollback first), while the
 * incident is open: the responder a page reaches starts from these. None once it is resolved.
 *
 * @example
 * runbookActions(incident)[0]; // 'Roll back checkout to v41'
 */
export function runbookActions(incident: ExistingIncident): readonly string[] {
  return incident.status === 'resolved' ? [] : (incident.triage?.actions ?? []);
}

/** The last event of the notification: digests act on where the incident ended up. */
export function lastEvent(notification: Notification): RecordedEvent<IncidentEvent> {
  return notification.events.at(-1)!;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
