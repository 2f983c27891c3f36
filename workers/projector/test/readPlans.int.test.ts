import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { IncidentListQuery, incidentListStatement } from '../src/incidentQueries';

// The open incidents are few and the resolved ones many: listing the open ones must seek them,
// not walk every incident in time order (the dashboard took 200 ms at 100k incidents that way).
describe('incident list reads', () => {
  it('seeks open incidents by status instead of scanning the history in time order', async () => {
    for (const query of [{ status: 'open' }, { status: 'open', limit: '10' }]) {
      const { sql, params } = incidentListStatement(IncidentListQuery.parse(query));
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      const details = results.map((row) => row.detail);
      expect(details).toContainEqual(
        expect.stringMatching(/^SEARCH incidents USING INDEX incidents_status \(status=\?\)/),
      );
      expect(details.some((detail) => /^SCAN incidents\b/.test(detail))).toBe(false);
    }
  });
});
