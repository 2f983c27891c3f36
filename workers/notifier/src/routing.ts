import {
  type ExistingIncident,
  type IncidentEvent,
  type IncidentEventType,
  type Severity,
  severities,
} from '@vigil/core';
import type { Channel } from '@vigil/db';
import { pagerDutyAction } from './channels/pagerDuty';

/**
 * What a channel hears when its `eventTypes` is empty: detection (and its returns: reopen,
 * relapse), severity changes, escalations, acknowledgements, status updates, mitigation and
 * resolution. Notes, triage details, postmortems and action items do not notify by default.
 */
export const defaultEventTypes: readonly IncidentEventType[] = [
  'IncidentDetected',
  'IncidentDeclared',
  'IncidentReopened',
  'IncidentRelapsed',
  'SeverityChanged',
  'IncidentEscalated',
  'IncidentAcknowledged',
  'StatusUpdatePosted',
  'IncidentMitigated',
  'IncidentResolved',
];

// The notifier's own outcomes never notify: that would loop.
const neverNotify: ReadonlySet<string> = new Set(['NotificationSent', 'NotificationFailed']);

// PagerDuty has trigger, acknowledge and resolve; a status page only shows public updates.
const supportedByType: Readonly<Record<string, ReadonlySet<string>>> = {
  pagerduty: new Set([
    'IncidentDetected',
    'IncidentDeclared',
    'IncidentReopened',
    'IncidentRelapsed',
    'SeverityChanged',
    'IncidentEscalated',
    'IncidentAcknowledged',
    'IncidentResolved',
  ]),
  statuspage: new Set(['StatusUpdatePosted', 'IncidentResolved']),
};

// What settles a page: a channel already told of the incident hears these whatever the severity now.
const followUps: ReadonlySet<string> = new Set([
  'IncidentAcknowledged',
  'IncidentResolved',
  'IncidentReopened',
]);

/** Lower is more severe: P0 is 0. */
export const severityRank = (severity: Severity): number => severities.indexOf(severity);

/**
 * The severity an event is judged by: the incident's, except that a severity change counts at
 * the higher of its two ends, so a channel that was paged also hears of the downgrade.
 */
export function severityOf(event: IncidentEvent, incident: ExistingIncident): Severity {
  if (event.type !== 'SeverityChanged') return incident.severity;
  return severityRank(event.data.from) < severityRank(event.data.to) ? event.data.from : event.data.to;
}

/**
 * Whether a channel wants an event: enabled, the event type wanted (or a default one) and one
 * the channel's kind can carry, the incident's service among the channel's (or any), and the
 * severity at least the channel's minimum — except that a channel already `told` of the
 * incident hears its acknowledgement, resolution and reopening whatever the severity now, so a
 * page is never left open by a downgrade. PagerDuty hears nothing that would trigger the alert
 * of an incident resolved at that point of its log (a severity change in its review): that would
 * open the alert again for good. A status page only ever gets public updates, and the
 * resolution of an incident it was told of (one of its updates went there).
 *
 * @example
 * routesTo(slackOps, acknowledged, incident); // true with the defaults
 * routesTo(pagerDutyP1, resolvedAfterDowngradeToP2, incident, true); // true: it was paged
 * routesTo(pagerDutyP1, reclassifiedAfterResolve, incident, true); // false: it would re-trigger
 */
export function routesTo(
  channel: Channel,
  event: IncidentEvent,
  incident: ExistingIncident,
  told = false,
): boolean {
  if (!channel.enabled || neverNotify.has(event.type)) return false;
  const wanted = channel.eventTypes.length > 0 ? channel.eventTypes : defaultEventTypes;
  if (!wanted.includes(event.type)) return false;
  const supported = supportedByType[channel.type];
  if (supported && !supported.has(event.type)) return false;
  if (channel.services.length > 0 && !channel.services.includes(incident.service)) return false;
  const severeEnough = severityRank(severityOf(event, incident)) <= severityRank(channel.minSeverity);
  if (!severeEnough && !(told && followUps.has(event.type))) return false;
  if (channel.type === 'pagerduty')
    return incident.status !== 'resolved' || pagerDutyAction(event) !== 'trigger';
  // A resolution only closes what the page shows: one it never showed would appear there resolved.
  if (channel.type === 'statuspage')
    return isPublic(event, incident) && (told || event.type !== 'IncidentResolved');
  return true;
}

function isPublic(event: IncidentEvent, incident: ExistingIncident): boolean {
  if (event.type === 'StatusUpdatePosted') return event.data.visibility === 'public';
  if (event.type !== 'IncidentResolved') return false;
  const published = Object.values(incident.statusUpdates)
    .filter((update) => update.visibility === 'public')
    .sort((a, b) => a.at.localeCompare(b.at));
  // Resolving closes what the page shows, unless a public "resolved" update already did.
  return published.length > 0 && published.at(-1)!.status !== 'resolved';
}

/**
 * Whether an event may be folded into a digest when it falls inside a repage window. Public
 * status updates are not pages, and PagerDuty's acknowledge changes the page itself: holding it
 * back would let PagerDuty keep escalating an incident someone already owns. A resolution and a
 * reopen are never folded, on any channel: the resolution goes at once and ends the window (held
 * in a digest, it would reach the channel after a reopen that follows it), and a reopen is the
 * incident back after its resolution went out, which must page now.
 */
export function foldable(channel: Pick<Channel, 'type'>, event: Pick<IncidentEvent, 'type'>): boolean {
  if (channel.type === 'statuspage') return false;
  if (event.type === 'IncidentResolved' || event.type === 'IncidentReopened') return false;
  return !(channel.type === 'pagerduty' && event.type === 'IncidentAcknowledged');
}
