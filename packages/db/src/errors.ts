/** Another writer appended to the stream first: re-read, re-decide and retry. */
export class ConcurrencyError extends Error {
  readonly code = 'stream_version_conflict';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number | 'any',
    readonly actualVersion: number,
  ) {
    super(`stream ${streamId}: expected version ${expectedVersion}, found ${actualVersion}`);
    this.name = 'ConcurrencyError';
  }
}

/** A command handler gave up after its bounded number of retries on conflict. */
export class RetriesExhaustedError extends Error {
  readonly code = 'stream_contention';
  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super(`stream ${streamId}: still conflicting after ${attempts} attempts`);
    this.name = 'RetriesExhaustedError';
  }
}

/** The idempotency key was first used for a different stream. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'idempotency_key_reused';
  constructor(
    readonly key: string,
    readonly firstStreamId: string,
  ) {
    super(`idempotency key ${key} was first used for stream ${firstStreamId}`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** A D1 error's message with its cause, where the SQLite text of the error is. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
}

/** Whether a D1 error is one of the log's own guards (unique version, contiguity trigger). */
export function isVersionConflict(error: unknown): boolean {
  const message = errorText(error);
  return (
    message.includes('vigil: stream version conflict') ||
    message.includes('UNIQUE constraint failed: events.stream_id, events.version')
  );
}

export function isIdempotencyConflict(error: unknown): boolean {
  const message = errorText(error);
  return message.includes('UNIQUE constraint failed: idempotency_keys.key');
}

export function isCheckpointMoved(error: unknown): boolean {
  const message = errorText(error);
  return message.includes('vigil: checkpoint moved');
}

/** Another consumer marked some of the same signal ids folded first: check them again. */
export function isFoldRace(error: unknown): boolean {
  const message = errorText(error);
  return message.includes('UNIQUE constraint failed: folded_signals.id');
}
