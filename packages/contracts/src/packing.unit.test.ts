import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteLength, groupForSendBatch, packSignals } from './packing';
import { QUEUE_LIMITS, type SignalEnvelope } from './queueMessages';

const envelope = (i: number, summaryLength = 10): SignalEnvelope => ({
  id: `sig-${String(i).padStart(6, '0')}`,
  receivedAt: '2026-11-29T10:00:00.000Z',
  signal: {
    type: 'error',
    service: 'api',
    at: '2026-11-29T10:00:00.000Z',
    summary: 'x'.repeat(summaryLength),
  },
});

describe('packing signals into queue messages', () => {
  it('packs N signals of k per message into ceil(N/k) messages, in order, none lost', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 1000 }),
        (n, summaryLength) => {
          const envelopes = Array.from({ length: n }, (_, i) => envelope(i, summaryLength));
          const messages = packSignals(envelopes);
          const perSignal = byteLength(JSON.stringify(envelopes[0])) + 1;
          const overhead = byteLength(JSON.stringify({ kind: 'signals', signals: [] }));
          const k = Math.floor((QUEUE_LIMITS.messageBytes - 4096 - overhead) / perSignal);
          expect(messages.length).toBe(Math.ceil(n / k));
          expect(messages.flatMap((m) => m.signals.map((s) => s.id))).toEqual(envelopes.map((e) => e.id));
          for (const message of messages)
            expect(byteLength(JSON.stringify(message))).toBeLessThanOrEqual(QUEUE_LIMITS.messageBytes);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('groups messages into sendBatch calls within the count and size limits', () => {
    const messages = packSignals(Array.from({ length: 20_000 }, (_, i) => envelope(i, 200)));
    const batches = groupForSendBatch(messages);
    expect(batches.flat()).toEqual(messages);
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(QUEUE_LIMITS.batchMessages);
      expect(batch.reduce((sum, m) => sum + byteLength(JSON.stringify(m)), 0)).toBeLessThanOrEqual(
        QUEUE_LIMITS.batchBytes,
      );
    }
    const small = groupForSendBatch(Array.from({ length: 250 }, (_, i) => ({ i })));
    expect(small.map((b) => b.length)).toEqual([100, 100, 50]);
  });
});
