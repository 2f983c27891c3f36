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
 * Turns new events into deliveries: every event × every channel that wants it (`told` names the
 * channels already told of each incident: they hear its follow-ups whatever the severity). An
 * event that falls inside a channel's repage window for its incident (opened by the last page,
 * timed by the log's own clock) is folded into one digest due when the window ends — unless the
 * severity rose above the page's, which pages at once and opens a new window. A resolution and
 * a reopen are never folded: both go at once, and the resolution ends the window, so the channel
 * hears them in the log's order. Deterministic: the same events, channels, pages and told
 * channels always give the same plan, with the same ids.
 *
 * @example
 * const planned = await planDeliveries({ situations, channels, pages, told, digestStatuses, repageWindowMs, now });
 */
export async function planDeliveries(input: {
  situations: readonly Situation[];
  channels: readonly Channel[];
  pages: readonly Page[];
  told: readonly { channelId: string; incidentId: string }[];
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
  const told = new Set(input.told.map(({ channelId, incidentId }) => pageKey(channelId, incidentId)));

  const planned: PlannedDelivery[] = [];
  for (const { event, incident } of situations) {
    for (const channel of channels) {
      const key = pageKey(channel.id, incident.id);
      if (!routesTo(channel, event, incident, told.has(key))) continue;
      told.add(key);
      const severity = severityOf(event, incident);
      const windowEndsAt = windowAfter(channel, event, repageWindowMs);
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
        windowEndsAt,
        dueAt: now.toISOString(),
      };
      const page = open.get(key);
      const inWindow = page !== undefined && event.recordedAt < page.windowEndsAt;
      const rises = page !== undefined && severityRank(severity) < severityRank(page.severity);
      if (foldable(channel, event) && page && inWindow && !rises && page.digestOpen) {
        if (!page.digestPlanned) {
          planned.push({
            ...delivery,
            id: page.digestId,
            kind: 'digest',
            eventType: 'Digest',
            windowEndsAt: null,
            dueAt: page.windowEndsAt,
          });
          page.digestPlanned = true;
        }
        // If the digest leaves before this commits, the event goes out on its own and sets this window.
        planned.push({ ...delivery, digestId: page.digestId });
        continue;
      }
      planned.push(delivery);
      if (windowEndsAt === null) continue;
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

/**
 * The repage window an event that goes out on its own leaves its channel with: status page
 * updates and PagerDuty acknowledgements are not pages and leave the window as it was; a
 * resolution ends it, so whatever follows (a reopen above all) pages at once; anything else is
 * a page and opens a window.
 */
function windowAfter(channel: Channel, event: Situation['event'], repageWindowMs: number): string | null {
  if (channel.type === 'statuspage') return null;
  if (channel.type === 'pagerduty' && event.type === 'IncidentAcknowledged') return null;
  if (event.type === 'IncidentResolved') return event.recordedAt;
  return new Date(Date.parse(event.recordedAt) + repageWindowMs).toISOString();
}

const pageKey = (channelId: string, incidentId: string) => `${channelId}\u0000${incidentId}`;
