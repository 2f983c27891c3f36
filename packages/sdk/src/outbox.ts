import type { Signal } from '@vigil/contracts';

/** A signal waiting to be sent, with the id it keeps across retries. */
export interface PendingSignal {
  id: string;
  signal: Signal;
}

interface Entry extends PendingSignal {
  /** When a flush took the entry (epoch ms); null while it waits. */
  leasedAtMs: number | null;
}

/**
 * The bounded buffer of signals not yet delivered. A flush leases entries rather than
 * removing them, so a flush that fails (or is cut off by the runtime and never settles)
 * leaves them for the next one; past `capacity` the oldest entries are dropped and counted.
 *
 * @example
 * const outbox = new Outbox({ capacity: 1000, leaseMs: 30_000 });
 * outbox.add([{ id, signal }]);
 * const batch = outbox.lease(1000, Date.now());
 * outbox.settle(batch, delivered ? 'remove' : 'release');
 */
export class Outbox {
  readonly capacity: number;
  readonly #leaseMs: number;
  #entries: Entry[] = [];
  #dropped = 0;

  constructor({ capacity, leaseMs }: { capacity: number; leaseMs: number }) {
    this.capacity = capacity;
    this.#leaseMs = leaseMs;
  }

  add(signals: PendingSignal[]): void {
    for (const pending of signals) this.#entries.push({ ...pending, leasedAtMs: null });
    const excess = this.#entries.length - this.capacity;
    if (excess > 0) {
      this.#entries.splice(0, excess);
      this.#dropped += excess;
    }
  }

  /**
   * Takes up to `max` entries that wait, oldest first. An entry leased longer than the
   * lease ago belongs to a flush the runtime cut off, and is offered again.
   */
  lease(max: number, nowMs: number): PendingSignal[] {
    const leased: Entry[] = [];
    for (const entry of this.#entries) {
      if (leased.length >= max) break;
      if (entry.leasedAtMs === null || nowMs - entry.leasedAtMs >= this.#leaseMs) {
        entry.leasedAtMs = nowMs;
        leased.push(entry);
      }
    }
    return leased.map(({ id, signal }) => ({ id, signal }));
  }

  /** After a flush: `remove` what was delivered (or refused for good), `release` what should be retried. */
  settle(signals: PendingSignal[], outcome: 'remove' | 'release'): void {
    const ids = new Set(signals.map((pending) => pending.id));
    if (outcome === 'remove') {
      this.#entries = this.#entries.filter((entry) => !ids.has(entry.id));
      return;
    }
    for (const entry of this.#entries) if (ids.has(entry.id)) entry.leasedAtMs = null;
  }

  /** Signals held, leased or waiting. */
  get size(): number {
    return this.#entries.length;
  }

  /** Signals dropped because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }
}
