import { describe, expect, it } from 'vitest';
import { WakeUp } from './queueMessages';

const event = {
  seq: 7,
  streamId: 'INC-1',
  version: 1,
  type: 'IncidentDetected',
  schemaVersion: 1,
  data: { incidentId: 'INC-1' },
  metadata: { actor: { kind: 'detector', id: 'vigil-detector' }, source: 'detector' },
  idempotencyKey: null,
  recordedAt: '2026-11-30T00:00:00.000Z',
};

describe('wake-ups', () => {
  it('carry the appended events as recorded', () => {
    expect(WakeUp.parse({ kind: 'wake-up', upTo: 7, reason: 'detector', events: [event] })).toEqual({
      kind: 'wake-up',
      upTo: 7,
      reason: 'detector',
      events: [event],
    });
  });

  it('stay wake-ups when what they carry does not read as events: the consumer reads the log', () => {
    const odd = { ...event, metadata: { actor: { kind: 'robot', id: 'r2' } } };
    expect(WakeUp.parse({ kind: 'wake-up', upTo: 7, reason: 'newer sender', events: [odd] })).toEqual({
      kind: 'wake-up',
      upTo: 7,
      reason: 'newer sender',
    });
    expect(WakeUp.safeParse({ kind: 'wake-up', reason: 'no upTo' }).success).toBe(false);
  });
});
