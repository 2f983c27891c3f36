import type { ExistingIncident, IncidentEvent } from '@vigil/core';
import {
  type Channel,
  type DeliveryStatus,
  type Page,
  type PlannedDelivery,
  type RecordedEvent,
  redactTarget,
} from '@vigil/db';
import { deliveryId } from './deliveryId';
import { foldable, routesTo, severityOf, severityRank } from './routing';

/** An event from the log with the incident as it stood right after it. */
export interface Situation {
  event: RecordedEvent<IncidentEvent>;
  incident: ExistingIncident;
}

interface OpenPage {
  eventSeq: number;
  severity: Page['severity'];
  windowEndsAt: string;
  digestId: string;
  /** The digest has not left yet (or does not exist yet): events may still fold into it. */
  digestOpen: boolean;
  digestPlanned: boolean;
}

/**
 * Turns new events into deliveries: every event × every channel that wants it. An event that
 * falls inside a channel's repage window for its incident (opened by the last page, timed by
 * the log's own clock) is folded into one digest due when the window ends — unless the severity
 * rose above the page's, which pages at once and opens a new window. Deterministic: the same
 * events, channels and pages always give the same plan, with the same ids.
 *
 * @example
 * const planned = await planDeliveries({ situations, channels, pages, digestStatuses, repageWindowMs, now });
 */
export async function planDeliveries(input: {
  situations: readonly Situation[];
  channels: readonly Channel[];
  pages: readonly Page[];
  digestStatuses: ReadonlyMap<string, DeliveryStatus>;
  repageWindowMs: number;
  now: Date;
}): Promise<PlannedDelivery[]> {
  const { situations, channels, repageWindowMs, now } = input;
  const open = new Map<string, OpenPage>();
  for (const page of input.pages) {
    const digestId = await deliveryId(page.channelId, page.eventSeq, 'digest');
    const status = input.digestStatuses.get(digestId);
    open.set(pageKey(page.channelId, page.incidentId), {
      ...page,
      digestId,
      digestOpen: status === undefined || status === 'pending',
      digestPlanned: status !== undefined,
    });
  }

  const planned: PlannedDelivery[] = [];
  for (const { event, incident } of situations) {
    for (const channel of channels) {
      if (!routesTo(channel, event, incident)) continue;
      const severity = severityOf(event, incident);
      const windowEndsAt = new Date(Date.parse(event.recordedAt) + repageWindowMs).toISOString();
      const delivery: PlannedDelivery = {
        id: await deliveryId(channel.id, event.seq, 'event'),
        kind: 'event',
        channelId: channel.id,
        channelType: channel.type,
        target: redactTarget(channel.type, channel.target),
        incidentId: incident.id,
        eventSeq: event.seq,
        eventType: event.type,
        severity,
        digestId: null,
        windowEndsAt: null,
        dueAt: now.toISOString(),
      };
      if (!foldable(channel, event)) {
        planned.push(delivery);
        continue;
      }
      const key = pageKey(channel.id, incident.id);
      const page = open.get(key);
      const inWindow = page !== undefined && event.recordedAt < page.windowEndsAt;
      const rises = page !== undefined && severityRank(severity) < severityRank(page.severity);
      if (page && inWindow && !rises && page.digestOpen) {
        if (!page.digestPlanned) {
          planned.push({
            ...delivery,
            id: page.digestId,
            kind: 'digest',
            eventType: 'Digest',
            dueAt: page.windowEndsAt,
          });
          page.digestPlanned = true;
        }
        // If the digest leaves before this commits, the event goes out on its own and opens this window.
        planned.push({ ...delivery, digestId: page.digestId, windowEndsAt });
        continue;
      }
      planned.push({ ...delivery, windowEndsAt });
      open.set(key, {
        eventSeq: event.seq,
        severity,
        windowEndsAt,
        digestId: await deliveryId(channel.id, event.seq, 'digest'),
        digestOpen: true,
        digestPlanned: false,
      });
    }
  }
  return planned;
}

const pageKey = (channelId: string, incidentId: string) => `${channelId}\u0000${incidentId}`;
