import type { IncidentEvent } from '@vigil/core';
import type { RecordedEvent } from '@vigil/db';
import { describeEvent } from '../describeEvent';
import { assignee, lastEvent, type Notification, runbookActions } from '../notification';

/** `IncidentDetected` → `incident.detected`, `SeverityChanged` → `incident.severity_changed`. */
export function webhookEventType(type: string): string {
  const snake = type
    .replace(/^Incident/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return `incident.${snake}`;
}

/**
 * The body of a signed webhook, in the Standard Webhooks shape `{ type, timestamp, data }`:
 * the incident as it stands (with its impact, triage and the runbook's actions while it is open)
 * and the events delivered (one, or a digest's). It depends only on
 * the delivery, so every retry sends the same bytes.
 *
 * @example
 * webhookPayload(notification).type; // 'incident.acknowledged' (or 'incident.digest')
 */
export function webhookPayload(notification: Notification) {
  const { incident } = notification;
  const last = lastEvent(notification);
  return {
    type: notification.kind === 'digest' ? 'incident.digest' : webhookEventType(last.type),
    timestamp: last.recordedAt,
    data: {
      deliveryId: notification.deliveryId,
      incident: {
        id: incident.id,
        service: incident.service,
        kind: incident.kind,
        title: incident.title,
        severity: incident.severity,
        status: incident.status,
        assignee: assignee(incident),
        startedAt: incident.startedAt,
        detectedAt: incident.detectedAt,
        impact: incident.impact,
        category: incident.triage?.category ?? null,
        priority: incident.triage?.priority ?? null,
        expectedResolution: incident.triage?.expectedResolution.text ?? null,
        suspectDeployment: incident.triage?.suspectDeployment ?? null,
        runbookActions: runbookActions(incident),
        url: notification.links.incident,
      },
      events: notification.events.map(webhookEvent),
    },
  };
}

function webhookEvent(event: RecordedEvent<IncidentEvent>) {
  const { title, detail } = describeEvent(event);
  return {
    seq: event.seq,
    type: event.type,
    at: event.recordedAt,
    summary: detail ? `${title}: ${detail}` : title,
    data: event.data,
  };
}
