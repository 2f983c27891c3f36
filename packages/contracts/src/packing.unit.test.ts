import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteLength, groupForSendBatch, packSignals, readSignalsMessage } from './packing';
import { QUEUE_LIMITS, type SignalEnvelope } from './queueMessages';

const envelope = (i: number, summary = 'x'.repeat(10)): SignalEnvelope => ({
  id: `sig-${String(i).padStart(6, '0')}`,
  receivedAt: '2026-11-29T10:00:00.000Z',
  signal: { type: 'error', service: 'api', at: '2026-11-29T10:00:00.000Z', summary },
});

const utf8 = (text: string) => new TextEncoder().encode(text).byteLength;

describe('packing signals into queue messages', () => {
  it('packs N signals of k per message into ceil(N/k) messages, in order, none lost', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 1000 }),
        (n, summaryLength) => {
          const envelopes = Array.from({ length: n }, (_, i) => envelope(i, 'x'.repeat(summaryLength)));
          const messages = packSignals(envelopes);
          const perSignal = utf8(JSON.stringify(envelopes[0])) + 1;
          const overhead = utf8(JSON.stringify({ kind: 'signals', signals: [] }));
          const k = Math.floor((QUEUE_LIMITS.messageBytes - 4096 - overhead) / perSignal);
          expect(messages.length).toBe(Math.ceil(n / k));
          const read = messages.map((m) => readSignalsMessage(m.body));
          expect(read.flatMap((r) => (r.success ? r.data.signals.map((s) => s.id) : []))).toEqual(
            envelopes.map((e) => e.id),
          );
          for (const message of messages) {
            expect(message.bytes).toBe(utf8(message.body));
            expect(message.bytes).toBeLessThanOrEqual(QUEUE_LIMITS.messageBytes);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('measures UTF-8 bytes, not characters, so multi-byte text still fits the limits', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.integer({ min: 1, max: 2000 }),
        (text, n) => {
          expect(byteLength(text)).toBe(utf8(text));
          const messages = packSignals(Array.from({ length: n }, (_, i) => envelope(i, `${text}ü€😀`)));
          for (const message of messages) {
            expect(message.bytes).toBe(utf8(message.body));
            expect(message.bytes).toBeLessThanOrEqual(QUEUE_LIMITS.messageBytes);
          }
          const read = messages.map((m) => readSignalsMessage(m.body));
          expect(read.reduce((sum, r) => sum + (r.success ? r.data.signals.length : 0), 0)).toBe(n);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('groups messages into sendBatch calls within the count and size limits', () => {
    const messages = packSignals(Array.from({ length: 20_000 }, (_, i) => envelope(i, 'x'.repeat(200))));
    const batches = groupForSendBatch(messages);
    expect(batches.flat()).toEqual(messages);
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(QUEUE_LIMITS.batchMessages);
      expect(batch.reduce((sum, m) => sum + utf8(m.body), 0)).toBeLessThanOrEqual(QUEUE_LIMITS.batchBytes);
    }
    const small = groupForSendBatch(Array.from({ length: 250 }, () => ({ bytes: 10 })));
    expect(small.map((b) => b.length)).toEqual([100, 100, 50]);
  });
});

describe('reading a signals message', () => {
  it('reads packed JSON text and, from older senders, the same message as an object', () => {
    const message = { kind: 'signals' as const, signals: [envelope(1)] };
    expect(readSignalsMessage(JSON.stringify(message))).toEqual({ success: true, data: message });
    expect(readSignalsMessage(message)).toEqual({ success: true, data: message });
  });

  it('refuses text that is not JSON and JSON that is not a signals message, with a reason', () => {
    expect(readSignalsMessage('{"kind":"signals","signals":[')).toEqual({
      success: false,
      reason: 'invalid signals message: the body is not JSON',
    });
    const wrong = readSignalsMessage(JSON.stringify({ kind: 'signals', signals: [] }));
    expect(wrong.success).toBe(false);
    expect(wrong.success ? '' : wrong.reason).toMatch(/^invalid signals message: /);
  });
});
