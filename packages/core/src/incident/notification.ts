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
