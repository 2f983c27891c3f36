import type { Deliveries, Delivery } from '@vigil/db';
import { pagerDutyAction, supersedes } from './channels/pagerDuty';
import { lastEvent, type Notification } from './notification';
import type { NotifierSettings } from './settings';

// Which earlier deliveries of the same incident and channel hold a delivery back, by channel type.
const waitsFor: Readonly<Record<string, readonly ('pending' | 'sending')[]>> = {
  statuspage: ['pending', 'sending'],
  pagerduty: ['sending'],
};

// An earlier delivery past due (its message late, or its sender gone) is looked at again after as
// long as it has been overdue, so a lost one costs a few looks before the sweep, not one a second.
const MAX_OVERDUE_WAIT_SECONDS = 60;

/**
 * How long a delivery must wait for an earlier one of the same incident to the same channel, in
 * seconds; undefined when it may go. A status page gets an incident's updates in order (the
 * first creates it there), so an update waits for every earlier one still open, until that one's
 * retry is due or its sender's lease ends. PagerDuty waits only for an earlier delivery being
 * sent, so two actions for one alert are never in flight at once, and only while its sender's
 * lease lasts: past it, that sender died mid-call, and the later one goes (the earlier one, tried
 * again, is dropped if the later one supersedes it). A later one never waits for an earlier
 * one's retry, which it supersedes instead (`supersededOnPagerDuty`).
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
  const dueInMs = Date.parse(earlier.dueAt) - now.getTime();
  if (dueInMs <= 0) {
    if (delivery.channelType === 'pagerduty') return undefined;
    return Math.min(MAX_OVERDUE_WAIT_SECONDS, Math.max(1, Math.ceil(-dueInMs / 1000)));
  }
  const seconds = Math.ceil(dueInMs / 1000);
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
  const superseding = later.find((type) => supersedes({ type }, action));
  return superseding && `superseded by the later ${superseding}`;
}
