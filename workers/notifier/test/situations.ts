// Pure fixtures for unit tests: incident commands decided and folded into logged events.
import {
  decide,
  type ExistingIncident,
  evolve,
  type IncidentCommand,
  type IncidentEvent,
  type IncidentState,
  initialIncidentState,
} from '@vigil/core';
import type { Channel, RecordedEvent } from '@vigil/db';
import type { Situation } from '../src/planDeliveries';

/** Decides each command on the state so far and logs its events with consecutive seqs. */
export function logOf(commands: IncidentCommand[], firstSeq = 1): Situation[] {
  let state: IncidentState = initialIncidentState;
  let seq = firstSeq;
  const situations: Situation[] = [];
  for (const command of commands) {
    for (const event of decide(command, state)) {
      state = evolve(state, event);
      const recorded: RecordedEvent<IncidentEvent> = {
        ...event,
        seq: seq++,
        streamId: command.data.incidentId,
        version: seq - firstSeq,
        schemaVersion: 1,
        metadata: { actor: command.data.by },
        idempotencyKey: null,
        recordedAt: command.data.at,
      };
      situations.push({ event: recorded, incident: state as ExistingIncident });
    }
  }
  return situations;
}

export function channelOf(overrides: Partial<Channel> & Pick<Channel, 'type'>): Channel {
  return {
    id: `ch_${overrides.type}`,
    name: overrides.type,
    target: 'https://hooks.example.com/services/T0/B0/SECRET',
    secret: null,
    minSeverity: 'P3',
    services: [],
    eventTypes: [],
    enabled: true,
    createdAt: '2026-11-29T09:00:00.000Z',
    updatedAt: '2026-11-29T09:00:00.000Z',
    ...overrides,
  };
}
