import type { Deliveries, Delivery } from '@vigil/db';
import { pagerDutyAction, supersedes } from './channels/pagerDuty';
import { lastEvent, type Notification } from './notification';
import type { NotifierSettings } from './settings';

// Which earlier deliveries of the same incident and channel hold a delivery back, by channel type.
const waitsFor: Readonly<Record<string, readonly ('pending' | 'sending')[]>> = {
  statuspage: ['pending', 'sending'],
  pagerduty: ['sending'],
};

/**
 * How long a delivery must wait for an earlier one of the same incident to the same channel, in
 * seconds; undefined when it may go. A status page gets an incident's updates in order (the
 * first creates it there), so an update waits for every earlier one still open, until that one's
 * retry is due. PagerDuty waits only for an earlier delivery being sent, so two actions for one
 * alert are never in flight at once; a later one never waits for an earlier one's retry, which
 * it supersedes instead (`supersededOnPagerDuty`).
 *
 * @example
 * const wait = await waitForEarlier(deliveries, delivery, now, settings); // 118: the first update retries in 118 s
 */
export async function waitForEarlier(
  deliveries: Deliveries,
  delivery: Delivery,
  now: Date,
  settings: Pick<NotifierSettings, 'timeoutMs'>,
): Promise<number | undefined> {
  const statuses = waitsFor[delivery.channelType];
  if (!statuses) return undefined;
  const earlier = await deliveries.earlierOpen(delivery, statuses);
  if (!earlier) return undefined;
  const seconds = Math.max(1, Math.ceil((Date.parse(earlier.dueAt) - now.getTime()) / 1000));
  // A delivery being sent is over within one call's time limit, long before its lease runs out.
  return earlier.status === 'sending' ? Math.min(seconds, Math.ceil(settings.timeoutMs / 1000)) : seconds;
}

/**
 * Why a PagerDuty delivery must not be sent, if it must not: a later event of the incident,
 * sent to the same channel or still to be, supersedes its action (a trigger, or a digest, after
 * the resolve; a resolve after the reopen). Undefined when it may go.
 *
 * @example
 * await supersededOnPagerDuty(deliveries, digest, notification); // 'superseded by the later IncidentResolved'
 */
export async function supersededOnPagerDuty(
  deliveries: Deliveries,
  delivery: Delivery,
  notification: Notification,
): Promise<string | undefined> {
  const last = lastEvent(notification);
  const action = pagerDutyAction(last);
  const later = await deliveries.laterEventTypes(delivery, last.seq);
  const superseding = later.find((type) => supersedes(pagerDutyAction({ type }), action));
  return superseding && `superseded by the later ${superseding}`;
}
