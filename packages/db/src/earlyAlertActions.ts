/** The alert actions that can arrive before the trigger they act on. */
export type EarlyAction = 'resolve' | 'acknowledge';

/**
 * Alert resolves and acknowledges that came before any incident to act on, by alert slot, with
 * the time the producer received them: a trigger received before one, but processed after it
 * (queues are unordered, and a batch is sorted by the senders' clocks), opens its incident
 * already resolved or acknowledged. A resolve stays kept once a trigger used it, with that
 * trigger's receive time, so that the firing's repeats (received after that trigger, before the
 * resolve) open nothing. The detector's retention prunes them.
 *
 * @example
 * await early.remember('alert:pagerduty@key_1:db-disk', 'resolve', '2026-11-29T10:02:00.000Z');
 * await early.receivedSince('alert:pagerduty@key_1:db-disk', 'resolve', '2026-11-29T10:00:00.000Z');
 * // { usedByTriggerReceivedAt: null }
 */
export class EarlyAlertActions {
  constructor(private readonly db: D1Database) {}

  /** Keeps the latest action received for the slot; a newer resolve ends another firing, unused. */
  async remember(slot: string, action: EarlyAction, receivedAt: string): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO early_alert_actions (slot, action, received_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (slot, action) DO UPDATE SET received_at = max(received_at, excluded.received_at),
           trigger_received_at = CASE WHEN excluded.received_at > received_at THEN NULL ELSE trigger_received_at END`,
      )
      .bind(slot, action, receivedAt)
      .run();
  }

  /**
   * A resolve that closed its incident: every trigger received before it belongs to that firing,
   * unless a later resolve, which ends another firing, is kept already.
   */
  async rememberClosing(slot: string, receivedAt: string): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO early_alert_actions (slot, action, received_at, trigger_received_at) VALUES (?1, 'resolve', ?2, '')
         ON CONFLICT (slot, action) DO UPDATE SET received_at = excluded.received_at, trigger_received_at = ''
         WHERE excluded.received_at >= early_alert_actions.received_at`,
      )
      .bind(slot, receivedAt)
      .run();
  }

  /**
   * The slot's action received at or after `receivedAt`, if any, with the receive time of the
   * trigger that already opened an incident with it (null while none has).
   */
  async receivedSince(
    slot: string,
    action: EarlyAction,
    receivedAt: string,
  ): Promise<{ usedByTriggerReceivedAt: string | null } | undefined> {
    const row = await this.db
      .prepare(
        'SELECT trigger_received_at FROM early_alert_actions WHERE slot = ?1 AND action = ?2 AND received_at >= ?3',
      )
      .bind(slot, action, receivedAt)
      .first<{ trigger_received_at: string | null }>();
    return row === null ? undefined : { usedByTriggerReceivedAt: row.trigger_received_at };
  }

  /** Records that a trigger received at `triggerReceivedAt` opened its incident with the slot's resolve. */
  async use(slot: string, triggerReceivedAt: string): Promise<void> {
    await this.db
      .prepare(
        `UPDATE early_alert_actions SET trigger_received_at = min(coalesce(trigger_received_at, ?2), ?2)
         WHERE slot = ?1 AND action = 'resolve'`,
      )
      .bind(slot, triggerReceivedAt)
      .run();
  }
}
