/**
 * Alert resolves that came before any incident to resolve, by alert slot, with the time the
 * producer received them: a trigger received before such a resolve, but processed after it
 * (queues are unordered, and a batch is sorted by the senders' clocks), opens already resolved.
 * The resolve is kept once a trigger used it, with that trigger's receive time, so that the
 * trigger's repeats (received after it, before the resolve) do not open another incident. The
 * detector's retention prunes them.
 *
 * @example
 * await early.remember('alert:pagerduty@key_1:db-disk', '2026-11-29T10:02:00.000Z');
 * await early.receivedSince('alert:pagerduty@key_1:db-disk', '2026-11-29T10:00:00.000Z');
 * // { usedByTriggerReceivedAt: null }
 */
export class EarlyAlertResolutions {
  constructor(private readonly db: D1Database) {}

  /**
   * Keeps the latest resolve received for the slot. A newer one ends another firing: no trigger
   * has used it yet.
   */
  async remember(slot: string, receivedAt: string): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO early_alert_resolutions (slot, received_at) VALUES (?1, ?2)
         ON CONFLICT (slot) DO UPDATE SET received_at = max(received_at, excluded.received_at),
           trigger_received_at = CASE WHEN excluded.received_at > received_at THEN NULL ELSE trigger_received_at END`,
      )
      .bind(slot, receivedAt)
      .run();
  }

  /**
   * The slot's resolve received at or after `receivedAt`, if any, with the receive time of the
   * trigger that already opened an incident with it (null while none has).
   */
  async receivedSince(
    slot: string,
    receivedAt: string,
  ): Promise<{ usedByTriggerReceivedAt: string | null } | undefined> {
    const row = await this.db
      .prepare(
        'SELECT trigger_received_at FROM early_alert_resolutions WHERE slot = ?1 AND received_at >= ?2',
      )
      .bind(slot, receivedAt)
      .first<{ trigger_received_at: string | null }>();
    return row === null ? undefined : { usedByTriggerReceivedAt: row.trigger_received_at };
  }

  /** Records that a trigger received at `triggerReceivedAt` opened its incident with the slot's resolve. */
  async use(slot: string, triggerReceivedAt: string): Promise<void> {
    await this.db
      .prepare(
        `UPDATE early_alert_resolutions SET trigger_received_at = min(coalesce(trigger_received_at, ?2), ?2)
         WHERE slot = ?1`,
      )
      .bind(slot, triggerReceivedAt)
      .run();
  }
}

/**
 * Alert acknowledges that came before any incident to acknowledge, by alert slot, with the time
 * the producer received them: a trigger received before such an acknowledge, but processed after
 * it, opens its incident acknowledged. The detector's retention prunes them.
 *
 * @example
 * await acks.remember('alert:pagerduty@key_1:db-disk', '2026-11-29T10:01:00.000Z');
 * await acks.receivedSince('alert:pagerduty@key_1:db-disk', '2026-11-29T10:00:00.000Z'); // true
 */
export class EarlyAlertAcknowledgements {
  constructor(private readonly db: D1Database) {}

  /** Keeps the latest acknowledge received for the slot. */
  async remember(slot: string, receivedAt: string): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO early_alert_acknowledgements (slot, received_at) VALUES (?1, ?2)
         ON CONFLICT (slot) DO UPDATE SET received_at = max(received_at, excluded.received_at)`,
      )
      .bind(slot, receivedAt)
      .run();
  }

  /** Whether an acknowledge for the slot was received at or after `receivedAt`. */
  async receivedSince(slot: string, receivedAt: string): Promise<boolean> {
    const row = await this.db
      .prepare('SELECT 1 AS found FROM early_alert_acknowledgements WHERE slot = ?1 AND received_at >= ?2')
      .bind(slot, receivedAt)
      .first();
    return row !== null;
  }
}
