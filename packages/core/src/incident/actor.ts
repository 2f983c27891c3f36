/**
 * Who or what issued a command: a person, a detector rule, an external source
 * (Alertmanager, PagerDuty-compatible senders) or Vigil itself (timers, the notifier).
 *
 * @example
 * const alice: Actor = { kind: 'human', id: 'u_alice', name: 'Alice' };
 */
export type Actor = {
  readonly kind: 'human' | 'detector' | 'source' | 'system';
  readonly id: string;
  readonly name?: string;
};
