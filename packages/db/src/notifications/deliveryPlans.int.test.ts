import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { CHANNELS_TOLD, EARLIER_OPEN, LATER_EVENT_TYPES } from './deliveries';

// The notifier asks these on every attempt and every plan: they must seek one incident's
// deliveries, not scan every delivery ever made.
async function plan(sql: string, ...params: unknown[]): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((row) => row.detail);
}

const scans = (details: string[], table: string) =>
  details.some((detail) => detail.startsWith(`SCAN ${table}`));

describe('delivery order reads', () => {
  it('finds the earlier and later deliveries of one incident to one channel by index', async () => {
    for (const details of [
      await plan(EARLIER_OPEN, 'ch_1', 'INC-1', 10, '["pending","sending"]'),
      await plan(LATER_EVENT_TYPES, 'ch_1', 'INC-1', 10),
    ]) {
      expect(details).toContainEqual(
        expect.stringMatching(
          /^SEARCH notification_deliveries USING INDEX notification_deliveries_incident \(incident_id=\? AND channel_id=\? AND event_seq[<>]\?\)/,
        ),
      );
      expect(scans(details, 'notification_deliveries')).toBe(false);
    }
  });

  it('finds the channels told of some incidents by index', async () => {
    const details = await plan(CHANNELS_TOLD, '["INC-1","INC-2"]');
    expect(scans(details, 'notification_deliveries')).toBe(false);
    expect(scans(details, 'notification_external_incidents')).toBe(false);
  });
});
