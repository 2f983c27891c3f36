import {
  evolve,
  type IncidentEvent,
  type IncidentState,
  initialIncidentState,
  isKnownIncidentEvent,
} from '@vigil/core';
import {
  Channels,
  Checkpoints,
  carriedPage,
  Deliveries,
  EventStore,
  isCheckpointMoved,
  type RecordedEvent,
} from '@vigil/db';
import { deliveryId } from './deliveryId';
import type { NotifierContext } from './notifierContext';
import { planDeliveries, type Situation } from './planDeliveries';

export const NOTIFIER = 'notifier';

/**
 * Reads every event after the notifier's checkpoint, whatever the wake-ups said, and records
 * the deliveries they call for in the same D1 batch that moves the checkpoint (compare-and-set):
 * a lost, doubled or reordered wake-up loses or doubles nothing, and two followers racing on
 * one page commit it once. Returns how many events this call handled.
 *
 * @example
 * await followLog(context); // then enqueueDue(context) puts the new jobs on the queue
 */
export async function followLog(
  context: NotifierContext,
  {
    pageSize = 100,
    carried = [],
  }: {
    pageSize?: number;
    /** Events that wake-ups carried: a page they hold is not read from the log again. */
    carried?: readonly RecordedEvent[];
  } = {},
): Promise<number> {
  const { db } = context;
  const store = new EventStore(db);
  const checkpoints = new Checkpoints(db);
  const deliveries = new Deliveries(db);
  const channels = await new Channels(db).enabled();
  let handled = 0;
  for (;;) {
    const from = await checkpoints.position(NOTIFIER);
    const events =
      carriedPage<IncidentEvent>(carried, from, pageSize) ??
      (await store.readAll<IncidentEvent>({ after: from, limit: pageSize }));
    if (events.length === 0) return handled;
    const now = context.clock();
    const planned = channels.length === 0 ? [] : await planFor(context, events, channels, deliveries, store);
    try {
      await db.batch([
        ...deliveries.planStatements(planned, now),
        ...checkpoints.advanceStatements(NOTIFIER, from, events.at(-1)!.seq),
      ]);
      handled += events.length;
    } catch (error) {
      // Another follower committed this page first; read on from where it left the checkpoint.
      if (!isCheckpointMoved(error)) throw error;
    }
  }
}

async function planFor(
  context: NotifierContext,
  events: RecordedEvent<IncidentEvent>[],
  channels: Awaited<ReturnType<Channels['enabled']>>,
  deliveries: Deliveries,
  store: EventStore,
) {
  const situations = await situationsOf(events, store);
  const incidentIds = [...new Set(situations.map((situation) => situation.incident.id))];
  const pages = await deliveries.latestPages(incidentIds);
  const digestIds = await Promise.all(
    pages.map((page) => deliveryId(page.channelId, page.eventSeq, 'digest')),
  );
  return planDeliveries({
    situations,
    channels,
    pages,
    told: await deliveries.channelsTold(incidentIds),
    digestStatuses: await deliveries.statuses(digestIds),
    repageWindowMs: context.settings.repageWindowMs,
    now: context.clock(),
  });
}

/** Each event with its incident's state right after it, folded from the incident's stream. */
async function situationsOf(events: RecordedEvent<IncidentEvent>[], store: EventStore): Promise<Situation[]> {
  const wanted = new Map<string, Set<number>>();
  for (const event of events) {
    if (!isKnownIncidentEvent(event)) continue;
    const seqs = wanted.get(event.streamId) ?? new Set<number>();
    seqs.add(event.seq);
    wanted.set(event.streamId, seqs);
  }
  const situations: Situation[] = [];
  for (const [streamId, seqs] of wanted) {
    const lastSeq = Math.max(...seqs);
    let state: IncidentState = initialIncidentState;
    try {
      for (const event of await store.readStream<IncidentEvent>(streamId)) {
        if (event.seq > lastSeq) break;
        if (!isKnownIncidentEvent(event)) continue;
        state = evolve(state, event);
        if (seqs.has(event.seq) && state.status !== 'none') situations.push({ event, incident: state });
      }
    } catch (error) {
      // A stream that does not fold is not an incident the notifier can describe: skip it, loudly.
      console.error(
        `vigil: notifier skipped stream ${streamId}: ${error instanceof Error ? error.message : error}`,
      );
    }
  }
  return situations.sort((a, b) => a.event.seq - b.event.seq);
}
