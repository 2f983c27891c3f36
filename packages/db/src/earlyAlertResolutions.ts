/**
 * Alert resolves that came before any incident to resolve, by alert slot, with the time the
 * producer received them: a trigger received before such a resolve, but processed after it
 * (queues are unordered, and a batch is sorted by the senders' clocks), opens already resolved.
 * The detector's retention prunes what no trigger used.
 *
 * @example
 * await early.remember('alert:pagerduty@key_1:db-disk', '2026-11-29T10:02:00.000Z');
 * await early.receivedSince('alert:pagerduty@key_1:db-disk', '2026-11-29T10:00:00.000Z'); // true
 */
export class EarlyAlertResolutions {
  constructor(private readonly db: D1Database) {}

  /** Keeps the latest resolve received for the slot. */
  async remember(slot: string, receivedAt: string): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO early_alert_resolutions (slot, received_at) VALUES (?1, ?2)
         ON CONFLICT (slot) DO UPDATE SET received_at = max(received_at, excluded.received_at)`,
      )
      .bind(slot, receivedAt)
      .run();
  }

  /** Whether a resolve for the slot was received at or after `receivedAt`. */
  async receivedSince(slot: string, receivedAt: string): Promise<boolean> {
    const row = await this.db
      .prepare('SELECT 1 AS found FROM early_alert_resolutions WHERE slot = ?1 AND received_at >= ?2')
      .bind(slot, receivedAt)
      .first();
    return row !== null;
  }

  /** Drops the slot's resolve once a trigger used it. */
  async forget(slot: string): Promise<void> {
    await this.db.prepare('DELETE FROM early_alert_resolutions WHERE slot = ?1').bind(slot).run();
  }
}
