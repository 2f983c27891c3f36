import type { ExistingIncident } from './state';

/**
 * An open-incident slot: the detector opens at most one incident per slot, and every signal
 * that belongs to a slot joins the incident holding it.
 */

/** The slot of a service's rule kind: one open incident per service and rule. */
export const metricSlot = (service: string, kind: string) => `metric:${service}:${kind}`;

/**
 * The slot of an alert's dedup key, per integration (the ingest key it came through), as
 * PagerDuty scopes dedup keys to an integration: an acknowledge or resolve without a payload
 * finds its trigger whatever service the payload named. Without an integration (alerts from
 * older producers) the key is the source's alone.
 */
export const alertSlot = (source: string, integration: string | null, dedupKey: string) =>
  integration === null ? `alert:${source}:${dedupKey}` : `alert:${source}@${integration}:${dedupKey}`;

/** The slot of an incident nothing else shares: declared ones, and a reopened one whose slot was taken. */
export const ownSlot = (incidentId: string) => `incident:${incidentId}`;

/**
 * The slot an incident holds while open: its alert's or its metric rule's when a detector
 * opened it, else its own.
 *
 * @example
 * slotOf(reopened); // 'alert:pagerduty@key_3f9a0c…:srv01/mysql'
 */
export function slotOf(incident: ExistingIncident): string {
  if (incident.source === 'detector') return metricSlot(incident.service, incident.kind);
  if (incident.source !== null && incident.dedupKey !== null)
    return alertSlot(incident.source, incident.integration, incident.dedupKey);
  return ownSlot(incident.id);
}
