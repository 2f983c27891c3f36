/**
 * The incident an external status page holds for a Vigil incident, per channel, so the first
 * public update creates it there and every later one amends it.
 *
 * @example
 * const externalId = await new ExternalIncidents(env.DB).get(channel.id, incidentId);
 */
export class ExternalIncidents {
  constructor(private readonly db: D1Database) {}

  async get(channelId: string, incidentId: string): Promise<string | undefined> {
    const row = await this.db
      .prepare(
        'SELECT external_id FROM notification_external_incidents WHERE channel_id = ? AND incident_id = ?',
      )
      .bind(channelId, incidentId)
      .first<{ external_id: string }>();
    return row?.external_id;
  }

  async remember(channelId: string, incidentId: string, externalId: string, now: Date): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO notification_external_incidents (channel_id, incident_id, external_id, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel_id, incident_id) DO UPDATE SET external_id = excluded.external_id`,
      )
      .bind(channelId, incidentId, externalId, now.toISOString())
      .run();
  }
}
