import {
  type Actor,
  decide,
  evolve,
  type IncidentCommand,
  type IncidentEvent,
  initialIncidentState,
  type Severity,
} from '@vigil/core';
import { EventStore, IncidentProjection, type NewEvent, withBusyRetry } from '@vigil/db';

// The benchmark probe. Storage benchmarks run here, inside workerd, against a scratch D1
// (SCRATCH) so that each measurement and its raw baseline share one runtime and one run.
// Pipeline benchmarks use the stack's D1 (DB) only to seed data and to watch the log.

const system: Actor = { kind: 'system', id: 'bench' };
const note = (n: number): NewEvent => ({
  type: 'BenchNoted',
  data: { n, text: `benchmark event ${n} with a realistic payload size` },
  metadata: { actor: system },
});

async function time<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

/**
 * Appends `streams × perStream` events with optimistic concurrency (expected version 0 for
 * every stream, `streamsPerBatch` streams per D1 batch), then inserts the same rows with a
 * bare `INSERT … SELECT … FROM json_each(?)` into a copy of the table without triggers.
 */
async function appendBenchmark(env: Env, streams: number, perStream: number, streamsPerBatch: number) {
  const store = new EventStore(env.SCRATCH);
  const run = crypto.randomUUID().slice(0, 8);
  const ids = Array.from({ length: streams }, (_, i) => `BENCH-${run}-${i}`);
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += streamsPerBatch) batches.push(ids.slice(i, i + streamsPerBatch));

  const appended = await time(async () => {
    for (const batch of batches) {
      await store.appendToStreams(
        batch.map((streamId) => ({
          streamId,
          expectedVersion: 0,
          events: Array.from({ length: perStream }, (_, n) => note(n)),
        })),
      );
    }
  });

  await env.SCRATCH.prepare(
    `CREATE TABLE IF NOT EXISTS bench_raw_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT NOT NULL,
      version INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL,
      metadata TEXT NOT NULL, idempotency_key TEXT, recorded_at TEXT NOT NULL)`,
  ).run();
  await env.SCRATCH.prepare(
    'CREATE UNIQUE INDEX IF NOT EXISTS bench_raw_stream_version ON bench_raw_events (stream_id, version)',
  ).run();
  const raw = await time(async () => {
    const recordedAt = new Date().toISOString();
    for (const batch of batches) {
      const rows = batch.flatMap((streamId) =>
        Array.from({ length: perStream }, (_, n) => {
          const event = note(n);
          return { s: streamId, v: n + 1, t: event.type, d: event.data, m: event.metadata };
        }),
      );
      await env.SCRATCH.prepare(
        `INSERT INTO bench_raw_events (stream_id, version, type, schema_version, data, metadata, recorded_at)
         SELECT e.value ->> 's', e.value ->> 'v', e.value ->> 't', 1, e.value -> 'd', e.value -> 'm', ?2 FROM json_each(?1) AS e`,
      )
        .bind(JSON.stringify(rows), recordedAt)
        .run();
    }
  });
  const events = streams * perStream;
  return { events, appendMs: appended.ms, rawMs: raw.ms };
}

const minutes = (at: number, n: number) => new Date(at + n * 60_000).toISOString();
const SEVERITIES: Severity[] = ['P0', 'P1', 'P2', 'P3'];

/** A realistic resolved incident: detected, acknowledged, identified, mitigated, resolved. */
function incidentHistory(id: string, service: string, startedAt: number, index: number): IncidentEvent[] {
  const by: Actor = { kind: 'human', id: `responder-${index % 7}` };
  const detector: Actor = { kind: 'detector', id: 'vigil-detector' };
  const severity = SEVERITIES[index % 4]!;
  const commands: IncidentCommand[] = [
    {
      type: 'DetectIncident',
      data: {
        incidentId: id,
        at: minutes(startedAt, 2),
        by: detector,
        service,
        kind: index % 3 === 0 ? 'response_time' : 'error_rate',
        severity,
        title: `${service} incident ${index}`,
        startedAt: minutes(startedAt, 0),
        detectedAt: minutes(startedAt, 2),
        impact: { usersAffected: 10, revenueImpact: 5, severity: 'high' },
      },
    },
    { type: 'AcknowledgeIncident', data: { incidentId: id, at: minutes(startedAt, 4 + (index % 9)), by } },
    {
      type: 'IdentifyRootCause',
      data: { incidentId: id, at: minutes(startedAt, 10 + (index % 13)), by, rootCause: 'Bad deploy' },
    },
    { type: 'MarkMitigated', data: { incidentId: id, at: minutes(startedAt, 20 + (index % 17)), by } },
    {
      type: 'ResolveIncident',
      data: { incidentId: id, at: minutes(startedAt, 40 + (index % 50)), by, resolution: 'Rolled back' },
    },
  ];
  const events: IncidentEvent[] = [];
  let state = initialIncidentState;
  for (const command of commands) {
    for (const event of decide(command, state)) {
      state = evolve(state, event);
      events.push(event);
    }
  }
  return events;
}

/** Seeds `count` resolved incidents spread over `days` days into the stack's log. */
async function seedIncidents(env: Env, count: number, days: number, services: number) {
  const store = new EventStore(env.DB);
  const run = crypto.randomUUID().slice(0, 6).toUpperCase();
  const end = Date.now() - 3 * 3_600_000;
  const span = days * 86_400_000;
  const seeded = await time(async () => {
    for (let offset = 0; offset < count; offset += 200) {
      const appends = [];
      for (let i = offset; i < Math.min(count, offset + 200); i++) {
        const id = `INC-SEED${run}${String(i).padStart(7, '0')}`;
        const startedAt = end - Math.floor(((i * 7919) % count) * (span / count));
        const history = incidentHistory(id, `svc-${i % services}`, startedAt, i);
        appends.push({
          streamId: id,
          expectedVersion: 0,
          events: history.map((event) => ({ ...event, metadata: { actor: event.data.by } })),
        });
      }
      await store.appendToStreams(appends);
    }
  });
  return { incidents: count, ms: seeded.ms, head: await store.headPosition() };
}

/** One incident with `events` notes: the timeline benchmark's subject. */
async function seedLongIncident(env: Env, events: number) {
  const store = new EventStore(env.DB);
  const id = `INC-LONG${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
  const opening = incidentHistory(id, 'timeline', Date.now() - 86_400_000, 1).slice(0, 1);
  await store.appendToStream(
    id,
    opening.map((event) => ({ ...event, metadata: { actor: event.data.by } })),
    {
      expectedVersion: 0,
    },
  );
  const by: Actor = { kind: 'human', id: 'scribe' };
  for (let done = 0; done < events - 1; done += 1000) {
    const chunk = Array.from({ length: Math.min(1000, events - 1 - done) }, (_, n) => ({
      type: 'NoteAdded',
      data: { incidentId: id, at: new Date().toISOString(), by, text: `Observation ${done + n}` },
      metadata: { actor: by },
    }));
    await store.appendToStream(id, chunk);
  }
  return { incidentId: id, events };
}

/**
 * Rebuild against raw reading: seeds `incidents` histories into SCRATCH, then times a full
 * rebuild of the incident read models and a plain sequential read of the same log.
 */
async function rebuildBenchmark(env: Env, incidents: number) {
  const store = new EventStore(env.SCRATCH);
  await env.SCRATCH.prepare("DELETE FROM checkpoints WHERE name = 'bench-projector'").run();
  const run = crypto.randomUUID().slice(0, 6).toUpperCase();
  for (let offset = 0; offset < incidents; offset += 200) {
    const appends = [];
    for (let i = offset; i < Math.min(incidents, offset + 200); i++) {
      const id = `INC-RB${run}${String(i).padStart(7, '0')}`;
      const history = incidentHistory(id, `svc-${i % 20}`, Date.now() - 86_400_000 - i * 60_000, i);
      appends.push({
        streamId: id,
        expectedVersion: 0,
        events: history.map((e) => ({ ...e, metadata: { actor: e.data.by } })),
      });
    }
    await store.appendToStreams(appends);
  }
  const events = await store.headPosition();
  const rebuilt = await time(() => new IncidentProjection(env.SCRATCH, 'bench-projector').rebuild());
  const raw = await time(async () => {
    let after = 0;
    let read = 0;
    for (;;) {
      const page = await store.readAll({ after, limit: 1000 });
      if (page.length === 0) return read;
      read += page.length;
      after = page.at(-1)!.seq;
    }
  });
  const floor = await rowsFloor(env.SCRATCH, store, { timeline: true });
  const floorWithoutTimeline = await rowsFloor(env.SCRATCH, store, { timeline: false });
  return {
    events,
    rebuildMs: rebuilt.ms,
    rawReadMs: raw.ms,
    rawRead: raw.value,
    floorMs: floor,
    floorWithoutTimelineMs: floorWithoutTimeline,
  };
}

// The narrowest rows point 1's read models need, with the indexes their queries read: a timeline
// row per event, and per incident a list row, a metric fact, a status-page model and an outage
// period. Positional JSON arrays, the cheapest json_each form measured here.
const FLOOR_TABLES = {
  bench_floor_timeline: [
    'CREATE TABLE bench_floor_timeline (seq INTEGER PRIMARY KEY, incident_id TEXT NOT NULL, summary TEXT NOT NULL)',
    'CREATE INDEX bench_floor_timeline_incident ON bench_floor_timeline (incident_id, seq)',
  ],
  bench_floor_incidents: [
    `CREATE TABLE bench_floor_incidents (id TEXT PRIMARY KEY, service TEXT NOT NULL, status TEXT NOT NULL,
      severity TEXT NOT NULL, started_at TEXT NOT NULL, version INTEGER NOT NULL)`,
    'CREATE INDEX bench_floor_incidents_started ON bench_floor_incidents (started_at DESC, id DESC)',
    'CREATE INDEX bench_floor_incidents_service ON bench_floor_incidents (service, started_at DESC)',
    'CREATE INDEX bench_floor_incidents_status ON bench_floor_incidents (status, started_at DESC)',
  ],
  bench_floor_facts: [
    `CREATE TABLE bench_floor_facts (id TEXT PRIMARY KEY, service TEXT NOT NULL, kind TEXT NOT NULL,
      started_at TEXT NOT NULL, mtta REAL, mttr REAL)`,
    'CREATE INDEX bench_floor_facts_started ON bench_floor_facts (started_at)',
    'CREATE INDEX bench_floor_facts_repeat ON bench_floor_facts (service, kind, started_at)',
  ],
  bench_floor_public: [
    `CREATE TABLE bench_floor_public (id TEXT PRIMARY KEY, service TEXT NOT NULL, status TEXT NOT NULL,
      resolved_at TEXT, model TEXT NOT NULL)`,
    'CREATE INDEX bench_floor_public_active ON bench_floor_public (resolved_at, service)',
    'CREATE INDEX bench_floor_public_resolved ON bench_floor_public (resolved_at DESC)',
  ],
  bench_floor_periods: [
    `CREATE TABLE bench_floor_periods (incident_id TEXT NOT NULL, ordinal INTEGER NOT NULL, service TEXT NOT NULL,
      started_at TEXT NOT NULL, ended_at TEXT, PRIMARY KEY (incident_id, ordinal))`,
    'CREATE INDEX bench_floor_periods_service ON bench_floor_periods (service, ended_at)',
    'CREATE INDEX bench_floor_periods_ended ON bench_floor_periods (ended_at)',
  ],
};

const insertArrays = (table: string, columns: number) =>
  `INSERT OR REPLACE INTO ${table} SELECT ${Array.from({ length: columns }, (_, i) => `r.value ->> ${i}`).join(', ')}
   FROM json_each(?1) AS r`;

/**
 * What no rebuild of these read models can beat here: the raw read of the log plus a bare insert
 * of the narrowest rows they need, with no projection at all (each row holds placeholder values
 * taken from the page's last event of each incident). Without the timeline it is the floor of a
 * rebuild that would serve timelines from the log itself. Answers the milliseconds it took.
 */
async function rowsFloor(db: D1Database, store: EventStore, { timeline }: { timeline: boolean }) {
  await db.batch(
    Object.entries(FLOOR_TABLES).flatMap(([table, create]) => [
      db.prepare(`DROP TABLE IF EXISTS ${table}`),
      ...create.map((sql) => db.prepare(sql)),
    ]),
  );
  const floor = await time(async () => {
    let after = 0;
    for (;;) {
      const page = await store.readAll<IncidentEvent>({ after, limit: 1000 });
      if (page.length === 0) return;
      const lastOfIncident = new Map(page.map((event) => [event.streamId, event]));
      const rows = {
        incidents: [] as unknown[],
        facts: [] as unknown[],
        public: [] as unknown[],
        periods: [] as unknown[],
      };
      for (const [id, event] of lastOfIncident) {
        rows.incidents.push([id, 'svc', 'resolved', 'P1', event.recordedAt, event.version]);
        rows.facts.push([id, 'svc', 'error_rate', event.recordedAt, 60, 600]);
        rows.public.push([
          id,
          'svc',
          'resolved',
          event.recordedAt,
          '{"title":"Elevated errors","updates":[]}',
        ]);
        rows.periods.push([id, 0, 'svc', event.recordedAt, event.recordedAt]);
      }
      const statements = [
        db.prepare(insertArrays('bench_floor_incidents', 6)).bind(JSON.stringify(rows.incidents)),
        db.prepare(insertArrays('bench_floor_facts', 6)).bind(JSON.stringify(rows.facts)),
        db.prepare(insertArrays('bench_floor_public', 5)).bind(JSON.stringify(rows.public)),
        db.prepare(insertArrays('bench_floor_periods', 5)).bind(JSON.stringify(rows.periods)),
      ];
      if (timeline) {
        const entries = page.map((event) => [
          event.seq,
          event.streamId,
          `${event.type} by ${event.metadata.actor.id}`,
        ]);
        statements.push(db.prepare(insertArrays('bench_floor_timeline', 3)).bind(JSON.stringify(entries)));
      }
      await db.batch(statements);
      after = page.at(-1)!.seq;
    }
  });
  return floor.ms;
}

/** The raw baseline of ingest: the same signal rows inserted with json_each, 1,000 per statement. */
async function rawSignals(env: Env, count: number) {
  await env.SCRATCH.prepare(
    `CREATE TABLE IF NOT EXISTS bench_raw_signals (id TEXT PRIMARY KEY, service TEXT NOT NULL, minute TEXT NOT NULL,
      requests INTEGER NOT NULL, errors INTEGER NOT NULL, p95 REAL)`,
  ).run();
  const run = crypto.randomUUID().slice(0, 8);
  const inserted = await time(async () => {
    for (let offset = 0; offset < count; offset += 1000) {
      const rows = Array.from({ length: Math.min(1000, count - offset) }, (_, n) => ({
        id: `sig_${run}_${offset + n}`,
        service: `svc-${(offset + n) % 20}`,
        minute: new Date(Date.now() - ((offset + n) % 60) * 60_000).toISOString().slice(0, 16),
        requests: 1000,
        errors: 3,
        p95: 180,
      }));
      await env.SCRATCH.prepare(
        `INSERT INTO bench_raw_signals (id, service, minute, requests, errors, p95)
         SELECT s.value ->> 'id', s.value ->> 'service', s.value ->> 'minute', s.value ->> 'requests', s.value ->> 'errors', s.value ->> 'p95'
         FROM json_each(?1) AS s`,
      )
        .bind(JSON.stringify(rows))
        .run();
    }
  });
  return { rows: count, ms: inserted.ms };
}

async function json(request: Request): Promise<Record<string, number>> {
  return request.headers.get('content-type')?.includes('json')
    ? ((await request.json()) as Record<string, number>)
    : {};
}

export default {
  async fetch(request, rawEnv) {
    // The probe shares the stack's SQLite file with four other processes: retry "database is locked".
    // A projector catch-up of a large log holds the write lock for seconds: wait longer than Workers do.
    const env = {
      ...rawEnv,
      DB: withBusyRetry(rawEnv.DB, { attempts: 60 }),
      SCRATCH: withBusyRetry(rawEnv.SCRATCH, { attempts: 60 }),
    };
    const url = new URL(request.url);
    const body = request.method === 'POST' ? await json(request) : {};
    switch (url.pathname) {
      case '/append':
        return Response.json(
          await appendBenchmark(env, body.streams ?? 1000, body.perStream ?? 10, body.streamsPerBatch ?? 50),
        );
      case '/raw/signals':
        return Response.json(await rawSignals(env, body.count ?? 20_000));
      case '/seed/incidents':
        return Response.json(
          await seedIncidents(env, body.count ?? 1000, body.days ?? 365, body.services ?? 10),
        );
      case '/seed/long-incident':
        return Response.json(await seedLongIncident(env, body.events ?? 10_000));
      case '/rebuild':
        return Response.json(await rebuildBenchmark(env, body.incidents ?? 5000));
      case '/log': {
        // What the pipeline benchmarks watch: counts and positions in the stack's D1.
        const row = await env.DB.prepare(
          `SELECT (SELECT COALESCE(MAX(seq), 0) FROM events) AS head,
             (SELECT COUNT(*) FROM folded_signals) AS folded,
             (SELECT COALESCE(MAX(position), 0) FROM checkpoints WHERE name = 'projector') AS projector,
             (SELECT COUNT(*) FROM rollup_buckets WHERE generation > rolled_generation) AS dirty`,
        ).first();
        return Response.json(row);
      }
      case '/detected': {
        const service = url.searchParams.get('service') ?? '';
        const row = await env.DB.prepare(
          "SELECT recorded_at FROM events WHERE type = 'IncidentDetected' AND data ->> 'service' = ? LIMIT 1",
        )
          .bind(service)
          .first<{ recorded_at: string }>();
        return Response.json({ recordedAt: row?.recorded_at ?? null });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
} satisfies ExportedHandler<Env>;
