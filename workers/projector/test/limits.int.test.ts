import { env } from 'cloudflare:test';
import type { Actor, IncidentCommand } from '@vigil/core';
import { IncidentProjection, IncidentStore, MetricRollups } from '@vigil/db';
import { describe, expect, it } from 'vitest';
import { MetricsQuery, metrics } from '../src/metricsQueries';

// Hosted D1 refuses any single value over 2,000,000 bytes; local D1 does not. A page of the log
// can carry far more text than that (notes are up to 8 KB each), so every write that sends its
// rows as one JSON value must split them, and no read may bind a value that grows with the
// window it is asked about. This D1 refuses what hosted D1 would.
const D1_MAX_VALUE_BYTES = 2_000_000;
let largestValue = 0;

function likeHostedD1(db: D1Database): D1Database {
  const encoder = new TextEncoder();
  return new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') {
        return (query: string) => {
          const statement = target.prepare(query);
          const bind = statement.bind.bind(statement);
          return Object.assign(statement, {
            bind: (...values: unknown[]) => {
              for (const value of values) {
                const bytes = typeof value === 'string' ? encoder.encode(value).byteLength : 0;
                largestValue = Math.max(largestValue, bytes);
                if (bytes > D1_MAX_VALUE_BYTES) throw new Error(`string or blob too big: ${bytes} bytes`);
              }
              return bind(...values);
            },
          });
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** An incident's row as stored: its version and its folded state, with the state's length. */
const storedIncident = (id: string) =>
  env.DB.prepare('SELECT version, LENGTH(state) AS chars, state FROM incidents WHERE id = ?')
    .bind(id)
    .first<{ version: number; chars: number; state: string }>();

const scribe: Actor = { kind: 'human', id: 'scribe' };
const at = (second: number) => new Date(Date.UTC(2026, 10, 2, 9, 0, second)).toISOString();

async function incidentWithNotes(db: D1Database, id: string, notes: number) {
  const incidents = new IncidentStore(db);
  await incidents.execute(id, [
    {
      type: 'DetectIncident',
      data: {
        incidentId: id,
        at: at(0),
        by: { kind: 'detector', id: 'vigil-detector' },
        service: 'notes',
        kind: 'error_rate',
        severity: 'P2',
        title: 'notes errors',
        startedAt: at(0),
        detectedAt: at(0),
        impact: { usersAffected: 1, revenueImpact: 0, severity: 'low' },
      },
    },
  ]);
  const commands: IncidentCommand[] = Array.from({ length: notes }, (_, n) => ({
    type: 'AddNote',
    data: { incidentId: id, at: at(1), by: scribe, text: `${n} `.padEnd(8192, 'x') },
  }));
  if (commands.length > 0) await incidents.execute(id, commands);
}

async function resolvedIncident(id: string, service: string, startedAt: string) {
  const minutesLater = (minutes: number) => new Date(Date.parse(startedAt) + minutes * 60_000).toISOString();
  const by: Actor = { kind: 'human', id: 'u_alice', name: 'Alice' };
  await new IncidentStore(env.DB).execute(id, [
    {
      type: 'DeclareIncident',
      data: {
        incidentId: id,
        at: minutesLater(2),
        by,
        service,
        kind: 'error_rate',
        severity: 'P1',
        title: `${service} errors`,
        startedAt,
        impact: { usersAffected: 5, revenueImpact: 0, severity: 'medium' },
      },
    },
    {
      type: 'ResolveIncident',
      data: { incidentId: id, at: minutesLater(40), by, resolution: 'rolled back' },
    },
  ]);
}

// First in the file: the log is still empty here.
describe('metrics over windows of any length', () => {
  it('answers a window back to 1900 with no incidents in it', async () => {
    largestValue = 0;
    const report = await metrics(
      likeHostedD1(env.DB),
      { from: '1900-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z' },
      new Date('2026-12-01T00:00:00Z'),
    );
    expect(report.incidents).toBe(0);
    expect(largestValue).toBeLessThan(1_000);
  });

  it('counts the same over the widest window as over a tight one, rolled up or not', async () => {
    await resolvedIncident('INC-LIMITS-WIDE-1', 'wide', '2026-10-03T10:00:00.000Z');
    await resolvedIncident('INC-LIMITS-WIDE-2', 'wide', '2026-10-20T23:30:00.000Z');
    await new IncidentProjection(env.DB).catchUp();
    await new MetricRollups(env.DB).rollDirty();
    // Projected after the rollup: its day and hour are dirty and read from the facts.
    await resolvedIncident('INC-LIMITS-WIDE-3', 'wide', '2026-10-21T00:10:00.000Z');
    await new IncidentProjection(env.DB).catchUp();

    largestValue = 0;
    const now = new Date('2026-12-01T00:00:00Z');
    const widest = MetricsQuery.parse({
      from: '0000-01-01T00:00:00Z',
      to: '9999-12-31T23:59:59.999Z',
      service: 'wide',
    });
    const tight = { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z', service: 'wide' };
    const [wide, month] = await Promise.all([
      metrics(likeHostedD1(env.DB), widest, now),
      metrics(likeHostedD1(env.DB), tight, now),
    ]);
    // Everything but the rates per month, which the window's length divides.
    const counts = ({ incidents, mttd, mtta, mtti, mttm, mttr, repeats, frequency }: typeof wide) => ({
      incidents,
      durations: [mttd, mtta, mtti, mttm, mttr],
      repeats,
      byMonth: frequency.byMonth,
    });
    expect(wide.incidents).toBe(3);
    expect(counts(wide)).toEqual(counts(month));
    expect(largestValue).toBeLessThan(1_000);
  });
});

describe('writes bigger than one D1 value', () => {
  it('projects and rebuilds a page whose notes add up to several megabytes', async () => {
    const db = likeHostedD1(env.DB);
    // Six incidents of 100 notes of 8 KB: one page of 1,000 events carries ~4.9 MB of timeline.
    const ids = Array.from({ length: 6 }, (_, n) => `INC-LIMITS-NOTES-${n}`);
    for (const id of ids) await incidentWithNotes(db, id, 100);

    const projection = new IncidentProjection(db);
    const timeline = async () =>
      (
        await env.DB.prepare(
          `SELECT COUNT(*) AS n FROM timeline_entries WHERE incident_id IN (SELECT value FROM json_each(?))`,
        )
          .bind(JSON.stringify(ids))
          .first<{ n: number }>()
      )?.n;
    // Pages of 1,000 events, as a rebuild reads them.
    expect((await projection.catchUp({ pageSize: 1000 })).caughtUp).toBe(true);
    expect(await timeline()).toBe(6 * 101);

    expect((await projection.rebuild()).caughtUp).toBe(true);
    expect(await timeline()).toBe(6 * 101);
    const { results } = await env.DB.prepare(
      'SELECT version FROM incidents WHERE id IN (SELECT value FROM json_each(?))',
    )
      .bind(JSON.stringify(ids))
      .all<{ version: number }>();
    expect(results.map((row) => row.version)).toEqual(ids.map(() => 101));
    // The split values stayed under the limit, and they were big enough for the limit to matter.
    expect(largestValue).toBeGreaterThan(100_000);
    expect(largestValue).toBeLessThanOrEqual(D1_MAX_VALUE_BYTES);
  });

  it('keeps an incident with more notes than one D1 row holds as one small row, notes in the timeline', async () => {
    const db = likeHostedD1(env.DB);
    const id = 'INC-LIMITS-ONE-LONG';
    // 600 notes of 8 KB: ~4.9 MB, more than hosted D1 takes in one row.
    await incidentWithNotes(db, id, 600);
    const projection = new IncidentProjection(db);
    expect((await projection.catchUp({ pageSize: 1000 })).caughtUp).toBe(true);
    expect((await projection.rebuild()).caughtUp).toBe(true);
    const row = await storedIncident(id);
    expect(row?.version).toBe(601);
    expect(row!.chars).toBeLessThan(20_000);
    expect(JSON.parse(row!.state)).not.toHaveProperty('notes');
    const notes = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM timeline_entries WHERE incident_id = ? AND type = 'NoteAdded'",
    )
      .bind(id)
      .first<{ n: number }>();
    expect(notes?.n).toBe(600);
  });

  it('keeps an incident with thousands of recorded deliveries as one small row; each is still recorded once', async () => {
    const db = likeHostedD1(env.DB);
    const id = 'INC-LIMITS-PAGED';
    await incidentWithNotes(db, id, 0);
    const notifier: Actor = { kind: 'system', id: 'notifier' };
    const delivery = (forEventSeq: number, channel: number) => ({
      type: 'RecordNotificationSent' as const,
      data: {
        incidentId: id,
        at: at(2),
        by: notifier,
        channelId: `channel-${channel}`,
        channelType: 'webhook',
        target: 'https://hooks.example/page',
        attempt: 1,
        forEventSeq,
      },
    });
    // Re-pages of a long incident: 600 pages to five channels.
    const incidents = new IncidentStore(db);
    for (let page = 0; page < 600; page += 100) {
      const commands = Array.from({ length: 100 }, (_, n) =>
        Array.from({ length: 5 }, (_, channel) => delivery(page + n, channel)),
      ).flat();
      await incidents.execute(id, commands);
    }
    await expect(incidents.execute(id, [delivery(7, 3)])).rejects.toMatchObject({
      code: 'notification_already_recorded',
    });

    const projection = new IncidentProjection(db);
    expect((await projection.catchUp({ pageSize: 1000 })).caughtUp).toBe(true);
    const live = await storedIncident(id);
    expect(live?.version).toBe(3001);
    expect(live!.chars).toBeLessThan(20_000);
    expect(JSON.parse(live!.state)).not.toHaveProperty('notifications');
    expect((await projection.rebuild()).caughtUp).toBe(true);
    expect(await storedIncident(id)).toEqual(live);
    const sent = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM timeline_entries WHERE incident_id = ? AND type = 'NotificationSent'",
    )
      .bind(id)
      .first<{ n: number }>();
    expect(sent?.n).toBe(3000);
  });
});
