import {
  evolve,
  type IncidentEvent,
  type IncidentState,
  initialIncidentState,
  isKnownIncidentEvent,
} from '@vigil/core';
import { Deliveries, type Delivery, EventStore } from '@vigil/db';
import type { Notification } from './notification';
import type { NotifierSettings } from './settings';

/**
 * What a delivery tells: its event (or the events folded into its digest) read back from the
 * log, with the incident as it stood once the append that recorded the last of them was complete
 * (so a detection shows its triage) — the same content on every retry.
 * Undefined when there is nothing left to tell (the incident's stream no longer folds).
 *
 * @example
 * const notification = await composeNotification(db, delivery, settings);
 */
export async function composeNotification(
  db: D1Database,
  delivery: Delivery,
  settings: Pick<NotifierSettings, 'publicUrl' | 'statusPageUrl'>,
): Promise<Notification | undefined> {
  const seqs = new Set(
    delivery.kind === 'digest' ? await new Deliveries(db).foldedInto(delivery.id) : [delivery.eventSeq],
  );
  if (seqs.size === 0) return undefined;
  const lastSeq = Math.max(...seqs);
  const stream = await new EventStore(db).readStream<IncidentEvent>(delivery.incidentId);
  let incident: IncidentState = initialIncidentState;
  let lastRecordedAt: string | undefined;
  for (const event of stream) {
    // Events appended together (detection and its triage) are one moment: show the incident after all of them.
    if (event.seq > lastSeq && event.recordedAt !== lastRecordedAt) break;
    // A newer Worker's event type (deployed before this one) leaves the rest to describe.
    if (!isKnownIncidentEvent(event)) continue;
    incident = evolve(incident, event);
    if (event.seq <= lastSeq) lastRecordedAt = event.recordedAt;
  }
  if (incident.status === 'none') return undefined;
  return {
    deliveryId: delivery.id,
    kind: delivery.kind,
    incident,
    events: stream.filter((event) => seqs.has(event.seq) && isKnownIncidentEvent(event)),
    links: {
      incident: `${settings.publicUrl}/v1/incidents/${encodeURIComponent(delivery.incidentId)}`,
      statusPage: settings.statusPageUrl,
    },
  };
}
