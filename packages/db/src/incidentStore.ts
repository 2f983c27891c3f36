import {
  decide,
  evolve,
  type IncidentCommand,
  type IncidentEvent,
  type IncidentState,
  initialIncidentState,
  ownSlot,
  slotOf,
} from '@vigil/core';
import { type Decider, type HandleResult, handleCommands } from './commandHandler';
import { EventStore, type RecordedEvent } from './eventStore';

export const incidentDecider: Decider<IncidentState, IncidentCommand, IncidentEvent> = {
  decide,
  evolve,
  initialState: initialIncidentState,
};

export interface ExecuteOptions {
  idempotencyKey?: string;
  /** The version the caller saw (If-Match). */
  expectedVersion?: number;
  /** Runs on the loaded incident before deciding (e.g. a service-restricted key's check); throws to refuse. */
  check?: (state: IncidentState) => void;
  /** For a new incident: the slot it takes (e.g. `metric:checkout:error_rate`); one open incident per slot. */
  openSlot?: string;
  source?: string;
  correlationId?: string;
  causationId?: string;
}

/**
 * Incidents on top of the event store: every command goes through the domain's decide,
 * and the open-incident slots change in the same D1 batch as the events that open or
 * resolve an incident, so the index can never disagree with the log.
 *
 * @example
 * const { state } = await incidents.execute(id, [acknowledge], {});
 */
export class IncidentStore {
  readonly events: EventStore;
  /** Every event this store appended, in order: what a wake-up can carry to the consumers. */
  readonly appended: RecordedEvent<IncidentEvent>[] = [];
  constructor(
    private readonly db: D1Database,
    clock: () => Date = () => new Date(),
  ) {
    this.events = new EventStore(db, clock);
  }

  async load(incidentId: string): Promise<{ state: IncidentState; version: number }> {
    return this.events.aggregateStream<IncidentState, IncidentEvent>(
      incidentId,
      evolve,
      initialIncidentState,
    );
  }

  /** The open incident that holds a slot, if any. */
  async openIn(
    slot: string,
  ): Promise<{ incidentId: string; state: IncidentState; version: number } | undefined> {
    const row = await this.db
      .prepare('SELECT incident_id FROM open_incidents WHERE slot = ?')
      .bind(slot)
      .first<{ incident_id: string }>();
    if (!row) return undefined;
    const loaded = await this.load(row.incident_id);
    if (loaded.state.status === 'none' || loaded.state.status === 'resolved') return undefined;
    return { incidentId: row.incident_id, ...loaded };
  }

  async execute(
    incidentId: string,
    commands: IncidentCommand[],
    options: ExecuteOptions = {},
  ): Promise<HandleResult<IncidentState, IncidentEvent>> {
    const first = commands[0];
    if (!first) throw new Error('execute needs at least one command');
    const result = await handleCommands(this.events, incidentId, incidentDecider, commands, {
      metadata: {
        actor: first.data.by,
        ...(options.source !== undefined && { source: options.source }),
        ...(options.correlationId !== undefined && { correlationId: options.correlationId }),
        ...(options.causationId !== undefined && { causationId: options.causationId }),
      },
      ...(options.idempotencyKey !== undefined && { idempotencyKey: options.idempotencyKey }),
      ...(options.expectedVersion !== undefined && { expectedVersion: options.expectedVersion }),
      ...(options.check !== undefined && { check: options.check }),
      alsoRun: ({ before, after }) =>
        this.slotStatements(incidentId, before, after, options.openSlot, commands),
    });
    if (!result.duplicate) this.appended.push(...result.events);
    return result;
  }

  /**
   * Every open incident holds at least one slot (its own, `incident:<id>`, when nothing
   * names a shared one), so timers find all open incidents in one indexed table.
   */
  private slotStatements(
    incidentId: string,
    before: IncidentState,
    after: IncidentState,
    openSlot: string | undefined,
    commands: IncidentCommand[],
  ): D1PreparedStatement[] {
    const at = commands[0]!.data.at;
    if (after.status === 'resolved') {
      return [this.db.prepare('DELETE FROM open_incidents WHERE incident_id = ?').bind(incidentId)];
    }
    if (before.status === 'none' && after.status !== 'none') {
      // A plain INSERT: a second detector racing to open the same slot fails its whole batch.
      return [
        this.db
          .prepare('INSERT INTO open_incidents (slot, incident_id, opened_at) VALUES (?, ?, ?)')
          .bind(openSlot ?? ownSlot(incidentId), incidentId, at),
      ];
    }
    if (before.status === 'resolved' && after.status !== 'none') {
      // Reopened: it takes its slot back (alerts with its dedup key, breaches of its rule join
      // it again), unless another incident opened in that slot since: then its own slot.
      return [
        this.db
          .prepare(
            `INSERT OR IGNORE INTO open_incidents (slot, incident_id, opened_at)
             SELECT CASE WHEN EXISTS (SELECT 1 FROM open_incidents WHERE slot = ?1) THEN ?2 ELSE ?1 END, ?3, ?4`,
          )
          .bind(slotOf(after), ownSlot(incidentId), incidentId, at),
      ];
    }
    return [];
  }
}
