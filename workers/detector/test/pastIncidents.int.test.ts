import { env } from 'cloudflare:test';
import { pastIncidents } from '@vigil/db';
import { describe, expect, it } from 'vitest';

const minute = (n: number) => new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString();

describe('past incidents for triage', () => {
  it("is the service's latest 100 with everyone's latest 50 among them, newest first", async () => {
    // 150 incidents of checkout, every other minute; 80 of other services in between, and the
    // newest 30 of all belong to search.
    const rows = [
      ...Array.from({ length: 150 }, (_, n) => ({
        id: `INC-PAST-C${n}`,
        service: 'checkout',
        at: minute(2 * n),
      })),
      ...Array.from({ length: 80 }, (_, n) => ({
        id: `INC-PAST-O${n}`,
        service: `other-${n % 4}`,
        at: minute(2 * n + 1),
      })),
      ...Array.from({ length: 30 }, (_, n) => ({
        id: `INC-PAST-S${n}`,
        service: 'search',
        at: minute(1000 + n),
      })),
    ];
    await env.DB.batch(
      rows.map((row) =>
        env.DB.prepare(
          `INSERT INTO incidents (id, service, kind, severity, status, title, started_at, detected_at, version, last_seq, state, updated_at)
           VALUES (?1, ?2, 'error_rate', 'P2', 'resolved', 't', ?3, ?3, 1, 1, '{}', ?3)`,
        ).bind(row.id, row.service, row.at),
      ),
    );
    // What "the service's or the latest 50" means, over every row: the definition the query must meet.
    const byStart = [...rows].sort((a, b) => (a.at < b.at ? 1 : -1));
    const latest50 = new Set(byStart.slice(0, 50).map((row) => row.id));
    const expected = byStart
      .filter((row) => row.service === 'checkout' || latest50.has(row.id))
      .slice(0, 100);

    const past = await pastIncidents(env.DB, 'checkout');
    expect(past.map((incident) => incident.id)).toEqual(expected.map((row) => row.id));
    expect(past.filter((incident) => incident.service === 'search')).toHaveLength(30);
  });
});
