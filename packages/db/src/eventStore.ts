import {
  ConcurrencyError,
  IdempotencyKeyReusedError,
  isIdempotencyConflict,
  isVersionConflict,
} from './errors';
import { jsonArraysOf } from './jsonArrays';

/** Who or what caused an event: a person, the detector, an external source, or Vigil itself. */
export interface EventActor {
  kind: 'human' | 'detector' | 'source' | 'system';
  id: string;
  name?: string;
}

export interface EventMetadata {
  actor: EventActor;
  causationId?: string;
  correlationId?: string;
  source?: string;
}

/** The domain part of an event: a past-tense type and its data. */
export interface DomainEvent {
  type: string;
  data: unknown;
}

export type NewEvent<E extends DomainEvent = DomainEvent> = E & {
  schemaVersion?: number;
  metadata: EventMetadata;
};

export type RecordedEvent<E extends DomainEvent = DomainEvent> = E & {
  seq: number;
  streamId: string;
  version: number;
  schemaVersion: number;
  metadata: EventMetadata;
  idempotencyKey: string | null;
  recordedAt: string;
};

/** A number is the version the writer last saw (0: the stream must not exist yet); 'any' skips the check. */
export type ExpectedVersion = number | 'any';

export interface AppendOptions {
  expectedVersion?: ExpectedVersion;
  idempotencyKey?: string;
  /**
   * Statements committed in the same D1 batch as the events, after them: index rows that
   * must exist exactly when the events do (e.g. "the open incident for this service").
   */
  alsoRun?: D1PreparedStatement[];
}

export interface StreamAppend<E extends DomainEvent = DomainEvent> extends AppendOptions {
  streamId: string;
  events: NewEvent<E>[];
}

export interface AppendResult<E extends DomainEvent = DomainEvent> {
  streamId: string;
  /** The stream's version after the append: pass it as the next expectedVersion. */
  nextExpectedVersion: number;
  events: RecordedEvent<E>[];
  /** True when the idempotency key had been used: nothing was appended, the first result is returned. */
  duplicate: boolean;
}

interface EventRow {
  seq: number;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  idempotency_key: string | null;
  recorded_at: string;
}

// A statement's events travel as one JSON parameter, so an append is not bounded by
// D1's 100 bound parameters; jsonArraysOf keeps each parameter under D1's value size limit.
const COLUMNS = 'seq, stream_id, version, type, schema_version, data, metadata, idempotency_key, recorded_at';

const INSERT_ROWS = `INSERT INTO events (stream_id, version, type, schema_version, data, metadata, idempotency_key, recorded_at)
SELECT e.value ->> '$.streamId', e.value ->> '$.version', e.value ->> '$.type', e.value ->> '$.schemaVersion',
  e.value -> '$.data', e.value -> '$.metadata', e.value ->> '$.idempotencyKey', ?2
FROM json_each(?1) AS e ORDER BY e.key RETURNING seq, stream_id, version`;

// The current version is read in a CTE that SQLite evaluates once, before the first row is inserted.
const INSERT_AT_END = `WITH current AS MATERIALIZED (SELECT COALESCE(MAX(version), 0) AS version FROM events WHERE stream_id = ?1)
INSERT INTO events (stream_id, version, type, schema_version, data, metadata, idempotency_key, recorded_at)
SELECT ?1, current.version + e.key + 1, e.value ->> '$.type', e.value ->> '$.schemaVersion', e.value -> '$.data', e.value -> '$.metadata', ?2, ?3
FROM json_each(?4) AS e, current ORDER BY e.key RETURNING seq, stream_id, version`;

const RECORD_IDEMPOTENCY_KEY = `INSERT INTO idempotency_keys (key, stream_id, first_seq, last_seq, next_expected_version, recorded_at)
SELECT ?1, ?2, MIN(seq), MAX(seq), MAX(version), ?3 FROM events WHERE stream_id = ?2 AND idempotency_key = ?1`;

/**
 * The append-only log on D1. Appends are atomic (one D1 batch), optimistic (the database
 * refuses a version that is not the next one) and idempotent (a repeated key appends nothing).
 *
 * @example
 * const store = new EventStore(env.DB);
 * const { nextExpectedVersion } = await store.appendToStream('INC-01J…', [event], { expectedVersion: 0 });
 */
export class EventStore {
  constructor(
    private readonly db: D1Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async appendToStream<E extends DomainEvent>(
    streamId: string,
    events: NewEvent<E>[],
    options: AppendOptions = {},
  ): Promise<AppendResult<E>> {
    try {
      const [result] = await this.appendToStreams<E>([{ streamId, events, ...options }]);
      return result!;
    } catch (error) {
      if (error instanceof DuplicateAppend) return error.first as AppendResult<E>;
      throw error;
    }
  }

  /**
   * Appends to several streams in one D1 batch: all of them or none. A conflict on any
   * stream throws for the whole batch; append to the streams one by one to isolate it.
   */
  async appendToStreams<E extends DomainEvent>(appends: StreamAppend<E>[]): Promise<AppendResult<E>[]> {
    const recordedAt = this.clock().toISOString();
    const statements: D1PreparedStatement[] = [];
    // The statements whose RETURNING rows (seq, stream, version) map events to their sequence numbers.
    const returning: number[] = [];
    // For streams appended at their end: the version their first new event got.
    const firstVersionAtEnd = new Map<string, number>();

    // Streams with an expected version go into shared statements: versions are computed here and
    // the database's unique index and contiguity trigger refuse any row that is not the next one,
    // aborting the whole batch. One statement for many streams is what makes bulk appends cheap.
    const explicit = appends.filter(
      (append) => typeof append.expectedVersion === 'number' && append.events.length > 0,
    );
    const rows: string[] = [];
    for (const append of explicit) {
      append.events.forEach((event, i) => {
        rows.push(
          JSON.stringify({
            streamId: append.streamId,
            version: (append.expectedVersion as number) + i + 1,
            type: event.type,
            schemaVersion: event.schemaVersion ?? 1,
            data: event.data ?? null,
            metadata: event.metadata,
            idempotencyKey: append.idempotencyKey ?? null,
          }),
        );
      });
    }
    for (const chunk of jsonArraysOf(rows)) {
      returning.push(statements.length);
      statements.push(this.db.prepare(INSERT_ROWS).bind(chunk, recordedAt));
    }

    // Streams appended at their end ('any') read their current version in SQL, one statement each.
    for (const append of appends) {
      if (typeof append.expectedVersion === 'number' || append.events.length === 0) continue;
      const serialized = append.events.map((event) =>
        JSON.stringify({
          type: event.type,
          schemaVersion: event.schemaVersion ?? 1,
          data: event.data ?? null,
          metadata: event.metadata,
        }),
      );
      for (const chunk of jsonArraysOf(serialized)) {
        returning.push(statements.length);
        statements.push(
          this.db
            .prepare(INSERT_AT_END)
            .bind(append.streamId, append.idempotencyKey ?? null, recordedAt, chunk),
        );
      }
    }

    for (const append of appends) {
      if (append.events.length === 0) continue;
      if (append.idempotencyKey !== undefined) {
        statements.push(
          this.db.prepare(RECORD_IDEMPOTENCY_KEY).bind(append.idempotencyKey, append.streamId, recordedAt),
        );
      }
      statements.push(...(append.alsoRun ?? []));
    }

    if (statements.length === 0) {
      return Promise.all(appends.map((append) => this.emptyAppend<E>(append)));
    }

    let results: D1Result<{ seq: number; stream_id: string; version: number }>[];
    try {
      results = await this.db.batch<{ seq: number; stream_id: string; version: number }>(statements);
    } catch (error) {
      throw await this.explainAppendFailure(appends, error);
    }

    const seqOf = new Map<string, number>();
    for (const index of returning) {
      for (const row of results[index]?.results ?? []) {
        seqOf.set(`${row.stream_id}\u0000${row.version}`, row.seq);
        const first = firstVersionAtEnd.get(row.stream_id);
        if (first === undefined || row.version < first) firstVersionAtEnd.set(row.stream_id, row.version);
      }
    }
    return Promise.all(
      appends.map(async (append): Promise<AppendResult<E>> => {
        if (append.events.length === 0) return this.emptyAppend<E>(append);
        const firstVersion =
          typeof append.expectedVersion === 'number'
            ? append.expectedVersion + 1
            : firstVersionAtEnd.get(append.streamId)!;
        const recorded = append.events.map((event, i): RecordedEvent<E> => {
          const version = firstVersion + i;
          return {
            ...event,
            schemaVersion: event.schemaVersion ?? 1,
            seq: seqOf.get(`${append.streamId}\u0000${version}`)!,
            streamId: append.streamId,
            version,
            idempotencyKey: append.idempotencyKey ?? null,
            recordedAt,
          };
        });
        return {
          streamId: append.streamId,
          nextExpectedVersion: recorded.at(-1)!.version,
          events: recorded,
          duplicate: false,
        };
      }),
    );
  }

  /** The events of one stream in version order, from `fromVersion` (inclusive) on. */
  async readStream<E extends DomainEvent = DomainEvent>(
    streamId: string,
    { fromVersion = 1 }: { fromVersion?: number } = {},
  ): Promise<RecordedEvent<E>[]> {
    const { results } = await this.db
      .prepare(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND version >= ? ORDER BY version`)
      .bind(streamId, fromVersion)
      .all<EventRow>();
    return results.map((row) => toRecorded<E>(row));
  }

  /** Folds a stream into its current state; version 0 means the stream does not exist. */
  async aggregateStream<S, E extends DomainEvent = DomainEvent>(
    streamId: string,
    evolve: (state: S, event: RecordedEvent<E>) => S,
    initialState: S,
  ): Promise<{ state: S; version: number }> {
    const events = await this.readStream<E>(streamId);
    return {
      state: events.reduce(evolve, initialState),
      version: events.at(-1)?.version ?? 0,
    };
  }

  /** Catch-up read in global order: every event after `after`, at most `limit` of them. */
  async readAll<E extends DomainEvent = DomainEvent>({
    after = 0,
    limit = 500,
  }: {
    after?: number;
    limit?: number;
  } = {}): Promise<RecordedEvent<E>[]> {
    // D1 has one writer and assigns seq at commit, so a reader never sees a later seq before an earlier one.
    const { results } = await this.db
      .prepare(`SELECT ${COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`)
      .bind(after, limit)
      .all<EventRow>();
    return results.map((row) => toRecorded<E>(row));
  }

  /** The global sequence number of the newest event (0 for an empty log). */
  async headPosition(): Promise<number> {
    const row = await this.db
      .prepare('SELECT COALESCE(MAX(seq), 0) AS head FROM events')
      .first<{ head: number }>();
    return row?.head ?? 0;
  }

  async streamVersion(streamId: string): Promise<number> {
    const row = await this.db
      .prepare('SELECT COALESCE(MAX(version), 0) AS version FROM events WHERE stream_id = ?')
      .bind(streamId)
      .first<{ version: number }>();
    return row?.version ?? 0;
  }

  /** The first result of an idempotent append, or undefined when the key is new. */
  async findIdempotentResult<E extends DomainEvent = DomainEvent>(
    key: string,
  ): Promise<AppendResult<E> | undefined> {
    const row = await this.db
      .prepare(
        'SELECT stream_id, first_seq, last_seq, next_expected_version FROM idempotency_keys WHERE key = ?',
      )
      .bind(key)
      .first<{ stream_id: string; first_seq: number; last_seq: number; next_expected_version: number }>();
    if (!row) return undefined;
    const { results } = await this.db
      .prepare(`SELECT ${COLUMNS} FROM events WHERE seq BETWEEN ? AND ? AND stream_id = ? ORDER BY seq`)
      .bind(row.first_seq, row.last_seq, row.stream_id)
      .all<EventRow>();
    return {
      streamId: row.stream_id,
      nextExpectedVersion: row.next_expected_version,
      events: results.map((r) => toRecorded<E>(r)),
      duplicate: true,
    };
  }

  private async emptyAppend<E extends DomainEvent>(append: StreamAppend<E>): Promise<AppendResult<E>> {
    const version = await this.streamVersion(append.streamId);
    if (typeof append.expectedVersion === 'number' && append.expectedVersion !== version) {
      throw new ConcurrencyError(append.streamId, append.expectedVersion, version);
    }
    return { streamId: append.streamId, nextExpectedVersion: version, events: [], duplicate: false };
  }

  private async explainAppendFailure(appends: StreamAppend[], error: unknown): Promise<Error> {
    if (isIdempotencyConflict(error) || isVersionConflict(error)) {
      for (const append of appends) {
        if (append.idempotencyKey === undefined) continue;
        const first = await this.findIdempotentResult(append.idempotencyKey);
        if (first && first.streamId !== append.streamId) {
          return new IdempotencyKeyReusedError(append.idempotencyKey, first.streamId);
        }
        if (first) return new DuplicateAppend(first);
      }
    }
    if (isVersionConflict(error)) {
      for (const append of appends) {
        const actual = await this.streamVersion(append.streamId);
        const expected = append.expectedVersion ?? 'any';
        if (expected !== actual) return new ConcurrencyError(append.streamId, expected, actual);
      }
      const first = appends[0];
      return new ConcurrencyError(first?.streamId ?? '', first?.expectedVersion ?? 'any', -1);
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * appendToStreams throws this when an idempotency key was already used (`first` is that
 * first result); appendToStream returns `first` instead of throwing.
 */
export class DuplicateAppend extends Error {
  constructor(readonly first: AppendResult) {
    super(`idempotency key already used for stream ${first.streamId}`);
    this.name = 'DuplicateAppend';
  }
}

function toRecorded<E extends DomainEvent>(row: EventRow): RecordedEvent<E> {
  return {
    type: row.type,
    data: JSON.parse(row.data),
    seq: row.seq,
    streamId: row.stream_id,
    version: row.version,
    schemaVersion: row.schema_version,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    idempotencyKey: row.idempotency_key,
    recordedAt: row.recorded_at,
  } as RecordedEvent<E>;
}
