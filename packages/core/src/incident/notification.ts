/**
 * The kinds of channel the notifier delivers to; others are accepted for custom integrations.
 *
 * @example
 * const channel: ChannelType = 'slack';
 */
export type ChannelType = 'slack' | 'pagerduty' | 'email' | 'webhook' | 'statuspage' | (string & {});

/**
 * Identifies one delivery attempt, so a notifier woken twice records it once.
 *
 * @example
 * notificationKey({ channelId: 'slack-ops', forEventSeq: 42, attempt: 1 }); // 'slack-ops#42#1'
 */
export function notificationKey(delivery: {
  readonly channelId: string;
  readonly forEventSeq: number;
  readonly attempt: number;
}): string {
  return `${delivery.channelId}#${delivery.forEventSeq}#${delivery.attempt}`;
}

const BUCKETS = 64;

/**
 * The delivery attempts an incident has recorded: an immutable set of `notificationKey`s in
 * 64 buckets. Recording one copies the list of buckets and one bucket, never every key, so
 * folding an incident with thousands of deliveries (re-pages of a long incident add up) stays
 * cheap; a copied map would make the fold quadratic (10,000 deliveries took 13 s).
 */
export type RecordedNotifications = readonly (readonly string[])[];

export const noRecordedNotifications: RecordedNotifications = Array.from({ length: BUCKETS }, () => []);

function bucketOf(key: string): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0;
  return (hash >>> 0) % BUCKETS;
}

export function isRecorded(recorded: RecordedNotifications, key: string): boolean {
  return recorded[bucketOf(key)]?.includes(key) ?? false;
}

/** The set with `key` added; the same set when it is there already. */
export function withRecorded(recorded: RecordedNotifications, key: string): RecordedNotifications {
  if (isRecorded(recorded, key)) return recorded;
  const bucket = bucketOf(key);
  const next = recorded.slice();
  next[bucket] = [...(recorded[bucket] ?? []), key];
  return next;
}
