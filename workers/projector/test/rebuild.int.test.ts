import { env, SELF } from 'cloudflare:test';
import type { Actor } from '@vigil/core';
import { ApiKeys, IncidentProjection, IncidentStore, MetricRollups, READ_MODEL_TABLES } from '@vigil/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildReadModels } from '../src/adminRebuild';
import { randomHistory, seeded } from './randomHistory';

let adminKey: string;
let readKey: string;

beforeAll(async () => {
  const keys = new ApiKeys(env.DB);
  adminKey = (await keys.create({ name: 'admin', scopes: ['admin'] })).key;
  readKey = (await keys.create({ name: 'reader', scopes: ['read'] })).key;
});

// Every read-model row, minus what is not derived from the log: the wall-clock `updated_at` of
// incidents and the write counters of rollup buckets (only whether a bucket is clean matters).
async function snapshot() {
  const tables: Record<string, unknown[]> = {};
  for (const table of READ_MODEL_TABLES) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all<
      Record<string, unknown>
    >();
    tables[table] = results.map((row) => {
      if (table === 'incidents') {
        const { updated_at: _wallClock, ...rest } = row;
        return rest;
      }
      if (table === 'rollup_buckets')
        return { period: row.period, bucket: row.bucket, clean: row.generation === row.rolled_generation };
      return row;
    });
  }
  return tables;
}

// A D1 after each of whose write batches the cron's rollup runs: a cron firing between every
// two pages of a long rebuild.
function cronAfterEveryBatch(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          const results = await target.batch(statements);
          await new MetricRollups(target).rollDirty();
          return results;
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function declare(id: string, startedAt: string, at: string) {
  const alice: Actor = { kind: 'human', id: 'u_alice', name: 'Alice' };
  await new IncidentStore(env.DB).execute(id, [
    {
      type: 'DeclareIncident',
      data: {
        incidentId: id,
        at,
        by: alice,
        service: 'billing',
        severity: 'P2',
        title: 'billing errors',
        startedAt,
        impact: { usersAffected: 5, revenueImpact: 0, severity: 'medium' },
      },
    },
  ]);
}

describe('rebuilding the read models', () => {
  it('gives the same rows as the live projection after a long random history projected with redelivery', async () => {
    const projection = new IncidentProjection(env.DB);
    const chaos = seeded(7);
    const { accepted, incidents } = await randomHistory(env.DB, {
      seed: 42,
      steps: 400,
      start: new Date('2026-09-01T08:00:00Z'),
      // Wake-ups arrive at random, sometimes doubled and racing, with pages of varying size.
      between: async () => {
        const roll = chaos.next();
        if (roll < 0.3) await projection.catchUp({ pageSize: 1 + Math.floor(chaos.next() * 7) });
        else if (roll < 0.4)
          await Promise.all([projection.catchUp({ pageSize: 3 }), projection.catchUp({ pageSize: 5 })]);
        else if (roll < 0.45) await new MetricRollups(env.DB).rollDirty();
      },
    });
    expect(accepted).toBeGreaterThan(300);
    expect(incidents.length).toBeGreaterThan(20);
    await projection.catchUp();
    await new MetricRollups(env.DB).rollDirty();
    const live = await snapshot();
    expect(live.incidents).toHaveLength(incidents.length);
    expect((live.action_items as unknown[]).length).toBeGreaterThan(0);
    expect((live.metric_rollups as unknown[]).length).toBeGreaterThan(0);

    const metricsBefore = await (
      await SELF.fetch('http://projector.test/v1/metrics?from=2026-09-01T00:00:00Z&to=2026-12-01T00:00:00Z', {
        headers: { authorization: `Bearer ${readKey}` },
      })
    ).json();

    const response = await SELF.fetch('http://projector.test/v1/admin/rebuild', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { replayedEvents: number; tables: Record<string, number> };
    expect(result.replayedEvents).toBe(accepted);
    expect(result.tables.incidents).toBe(incidents.length);
    expect(result.tables.timeline_entries).toBe(accepted);

    expect(await snapshot()).toEqual(live);
    const metricsAfter = await (
      await SELF.fetch('http://projector.test/v1/metrics?from=2026-09-01T00:00:00Z&to=2026-12-01T00:00:00Z', {
        headers: { authorization: `Bearer ${readKey}` },
      })
    ).json();
    expect(metricsAfter).toEqual(metricsBefore);
  });

  it('keeps repeat counts right when the cron rolls up between the pages of the replay', async () => {
    // INC-A started first but was declared last: INC-B is its repeat, though the log has B first.
    await declare('INC-B', '2026-11-10T00:00:00.000Z', '2026-11-10T00:05:00.000Z');
    await declare('INC-A', '2026-11-05T00:00:00.000Z', '2026-11-12T00:00:00.000Z');
    await new IncidentProjection(env.DB).catchUp();
    await new MetricRollups(env.DB).rollDirty();
    const repeats = async () =>
      (
        (await (
          await SELF.fetch(
            'http://projector.test/v1/metrics?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&service=billing',
            { headers: { authorization: `Bearer ${readKey}` } },
          )
        ).json()) as { repeats: { repeats: number } }
      ).repeats.repeats;
    expect(await repeats()).toBe(1);

    await rebuildReadModels(cronAfterEveryBatch(env.DB), { pageSize: 1 });
    const dirty = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM rollup_buckets WHERE generation > rolled_generation',
    ).first<{ n: number }>();
    // Every bucket clean: the answer comes from the rollups the rebuild left.
    expect(dirty?.n).toBe(0);
    expect(await repeats()).toBe(1);
  });

  it('is an admin command', async () => {
    const response = await SELF.fetch('http://projector.test/v1/admin/rebuild', {
      method: 'POST',
      headers: { authorization: `Bearer ${readKey}` },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
