import type { Severity } from '@vigil/core';
import { describeEvent } from '../describeEvent';
import {
  assignee,
  headline,
  impactText,
  lastEvent,
  type Notification,
  runbookActions,
  truncate,
} from '../notification';

/** PagerDuty's Events API v2 severities for Vigil's P0–P3. */
export const pagerDutySeverities: Readonly<Record<Severity, 'critical' | 'error' | 'warning' | 'info'>> = {
  P0: 'critical',
  P1: 'error',
  P2: 'warning',
  P3: 'info',
};

export type PagerDutyAction = 'trigger' | 'acknowledge' | 'resolve';

/** Acknowledging and resolving change the page; everything else (re)triggers it, deduplicated by incident. */
export function pagerDutyAction(event: { type: string }): PagerDutyAction {
  if (event.type === 'IncidentAcknowledged') return 'acknowledge';
  if (event.type === 'IncidentResolved') return 'resolve';
  return 'trigger';
}

/**
 * Whether a later event of the incident, sent to PagerDuty or still to be, makes an earlier
 * action stale. PagerDuty's alert for an incident acts on each action as it arrives, so the
 * earlier one must not follow the later: a trigger after the acknowledge would page people for an
 * incident someone owns, a trigger after the resolve would open a new alert for a resolved
 * incident (and an acknowledge after it says nothing). A resolve is stale once anything but a
 * resolve follows it on PagerDuty: routing gives PagerDuty nothing else for a resolved incident
 * (a reclassification in its review is not sent), so whatever follows is of the incident open
 * again, whether or not the channel hears the reopen itself.
 *
 * @example
 * supersedes({ type: 'IncidentResolved' }, 'trigger'); // true: a digest due after the resolve is dropped
 * supersedes({ type: 'SeverityChanged' }, 'resolve'); // true: only a reopened incident's change reaches PagerDuty
 */
export function supersedes(later: { type: string }, earlier: PagerDutyAction): boolean {
  switch (earlier) {
    case 'trigger':
      return pagerDutyAction(later) !== 'trigger';
    case 'acknowledge':
      return pagerDutyAction(later) === 'resolve';
    case 'resolve':
      return pagerDutyAction(later) !== 'resolve';
  }
}

/** `checkout: title`, without naming the service twice when the title already starts with it. */
const withService = (service: string, title: string) =>
  title.startsWith(`${service}:`) ? title : `${service}: ${title}`;

/**
 * A PagerDuty Events API v2 event, `dedup_key` = the incident id so every event of one
 * incident lands on one PagerDuty alert. A trigger carries the full payload; acknowledge and
 * resolve need only the key and the action. A digest acts as its last event does.
 *
 * @example
 * pagerDutyEvent(notification, routingKey).event_action; // 'trigger'
 */
export function pagerDutyEvent(notification: Notification, routingKey: string) {
  const { incident, links } = notification;
  const action = pagerDutyAction(lastEvent(notification));
  const base = { routing_key: routingKey, event_action: action, dedup_key: incident.id };
  if (action !== 'trigger') return base;
  return {
    ...base,
    payload: {
      summary: truncate(
        `[${incident.severity}] ${withService(incident.service, incident.title)} — ${headline(notification)}`,
        1024,
      ),
      source: incident.service,
      severity: pagerDutySeverities[incident.severity],
      timestamp: lastEvent(notification).recordedAt,
      component: incident.service,
      group: incident.triage?.category ?? 'unknown',
      class: incident.kind,
      custom_details: {
        incident_id: incident.id,
        severity: incident.severity,
        status: incident.status,
        assignee_role: assignee(incident),
        started_at: incident.startedAt,
        category: incident.triage?.category ?? null,
        priority: incident.triage?.priority ?? null,
        impact: impactText(incident),
        expected_resolution: incident.triage?.expectedResolution.text ?? null,
        runbook_actions: runbookActions(incident),
        updates: notification.events.map((event) => {
          const { title, detail } = describeEvent(event);
          return detail ? `${title}: ${detail}` : title;
        }),
      },
    },
    client: 'Vigil',
    client_url: links.incident,
    links: [
      { href: links.incident, text: `Vigil incident ${incident.id}` },
      { href: links.statusPage, text: 'Status page' },
    ],
  };
}
