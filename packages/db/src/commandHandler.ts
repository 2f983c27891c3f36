import { ConcurrencyError, IdempotencyKeyReusedError, RetriesExhaustedError } from './errors';
import type { AppendResult, DomainEvent, EventMetadata, EventStore, RecordedEvent } from './eventStore';

/** The decider a stream is handled with: pure functions from the domain. */
export interface Decider<S, C, E extends DomainEvent> {
  decide: (command: C, state: S) => E[];
  evolve: (state: S, event: E) => S;
  initialState: S;
}

export interface HandleOptions<S = unknown> {
  metadata: EventMetadata;
  /** Statements to commit atomically with the events, given the state they were decided on. */
  alsoRun?: (decided: { before: S; after: S; version: number }) => D1PreparedStatement[];
  idempotencyKey?: string;
  /** The version the caller saw (HTTP If-Match): a mismatch fails at once instead of retrying. */
  expectedVersion?: number;
  /** Runs on the loaded state before deciding, e.g. whether the caller may act on it; throws to refuse. */
  check?: (state: S) => void;
  maxAttempts?: number;
}

export interface HandleResult<S, E extends DomainEvent> {
  state: S;
  version: number;
  events: RecordedEvent<E>[];
  duplicate: boolean;
}

/**
 * Load, decide, append with the version that was loaded; on a conflict re-load and decide
 * again, a bounded number of times. A repeated idempotency key returns the first result.
 *
 * @example
 * const { state, version } = await handleCommand(store, incidentId, incidentDecider, acknowledge, { metadata });
 */
export function handleCommand<S, C, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<S, C, E>,
  command: C,
  options: HandleOptions<S>,
): Promise<HandleResult<S, E>> {
  return handleCommands(store, streamId, decider, [command], options);
}

/**
 * Several commands decided one after the other on the same loaded state and appended
 * together, atomically: e.g. detect and triage, so no incident exists without its triage.
 */
export async function handleCommands<S, C, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<S, C, E>,
  commands: C[],
  options: HandleOptions<S>,
): Promise<HandleResult<S, E>> {
  const maxAttempts = options.maxAttempts ?? 5;
  if (options.idempotencyKey !== undefined) {
    const first = await store.findIdempotentResult<E>(options.idempotencyKey);
    if (first && first.streamId !== streamId)
      throw new IdempotencyKeyReusedError(options.idempotencyKey, first.streamId);
    if (first) return replay(store, decider, first);
  }
  for (let attempt = 1; ; attempt++) {
    const { state, version } = await store.aggregateStream<S, E>(
      streamId,
      decider.evolve,
      decider.initialState,
    );
    options.check?.(state);
    if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
      throw new ConcurrencyError(streamId, options.expectedVersion, version);
    }
    const decided: E[] = [];
    let next = state;
    for (const command of commands) {
      const events = decider.decide(command, next);
      next = events.reduce(decider.evolve, next);
      decided.push(...events);
    }
    try {
      const appended = await store.appendToStream<E>(
        streamId,
        decided.map((event) => ({ ...event, metadata: options.metadata })),
        {
          expectedVersion: version,
          ...(options.idempotencyKey !== undefined && { idempotencyKey: options.idempotencyKey }),
          ...(options.alsoRun && { alsoRun: options.alsoRun({ before: state, after: next, version }) }),
        },
      );
      if (appended.duplicate) return replay(store, decider, appended);
      return {
        state: appended.events.reduce(decider.evolve, state),
        version: appended.nextExpectedVersion,
        events: appended.events,
        duplicate: false,
      };
    } catch (error) {
      const retryable = error instanceof ConcurrencyError && options.expectedVersion === undefined;
      if (!retryable) throw error;
      if (attempt >= maxAttempts) throw new RetriesExhaustedError(streamId, attempt);
      // Jittered backoff spreads racing writers out, so contention costs retries, not a stampede.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 4 * 2 ** attempt)));
    }
  }
}

async function replay<S, C, E extends DomainEvent>(
  store: EventStore,
  decider: Decider<S, C, E>,
  first: AppendResult<E>,
): Promise<HandleResult<S, E>> {
  const events = await store.readStream<E>(first.streamId);
  const upTo = events.filter((event) => event.version <= first.nextExpectedVersion);
  return {
    state: upTo.reduce(decider.evolve, decider.initialState),
    version: first.nextExpectedVersion,
    events: first.events,
    duplicate: true,
  };
}
