import { byteLength, type WakeUp } from '@vigil/contracts';
import type { DomainEvent, RecordedEvent } from './eventStore';

// What a wake-up carries at most, in bytes of JSON: a queue message holds 128 KB.
const CARRY_BUDGET = 96 * 1024;

/**
 * The events a wake-up can carry: the appended events in log order, as many from the oldest
 * as fit the budget (a consumer can only use a run that starts right after its checkpoint).
 */
export function carryable(events: readonly RecordedEvent[]): RecordedEvent[] {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  let size = 0;
  const carried: RecordedEvent[] = [];
  for (const event of ordered) {
    size += byteLength(JSON.stringify(event)) + 1;
    if (size > CARRY_BUDGET) break;
    carried.push(event);
  }
  return carried;
}

/** The events a batch of wake-ups carried, once each, in log order. */
export function carriedBy(wakeUps: readonly WakeUp[]): RecordedEvent[] {
  const bySeq = new Map<number, RecordedEvent>();
  for (const wakeUp of wakeUps) {
    for (const event of wakeUp.events ?? []) bySeq.set(event.seq, event);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The page of the log right after `after`, when carried events hold it: the carried events
 * whose sequence numbers follow `after` one by one (at most `limit`). A run with no gap from
 * `after + 1` holds every event of the log in that range, since each sequence number names one
 * event. Otherwise undefined, and the caller reads the log.
 *
 * @example
 * const page = carriedPage(carried, checkpoint, 500) ?? (await store.readAll({ after: checkpoint, limit: 500 }));
 */
export function carriedPage<E extends DomainEvent = DomainEvent>(
  carried: readonly RecordedEvent[],
  after: number,
  limit: number,
): RecordedEvent<E>[] | undefined {
  const start = carried.findIndex((event) => event.seq === after + 1);
  if (start < 0) return undefined;
  const page: RecordedEvent[] = [];
  for (let i = start; i < carried.length && page.length < limit; i++) {
    const event = carried[i]!;
    if (event.seq !== after + 1 + page.length) break;
    page.push(event);
  }
  return page as RecordedEvent<E>[];
}
