import { describe, expect, it } from 'vitest';
import { packSignals } from './packing';
import { PagerDutyEvent } from './pagerDuty';
import { QUEUE_LIMITS } from './queueMessages';
import { DeploymentSignal, EventSignal, Timestamp } from './signals';

describe('Timestamp', () => {
  it('normalizes every zone to UTC, so stored instants sort as text', () => {
    expect(Timestamp.parse('2026-11-29T10:59:05+01:00')).toBe('2026-11-29T09:59:05.000Z');
    expect(Timestamp.parse('2026-11-29T10:00:00Z')).toBe('2026-11-29T10:00:00.000Z');
    expect(Timestamp.parse('2026-11-29T10:00:00.5Z')).toBe('2026-11-29T10:00:00.500Z');
  });

  it('accepts an offset without a colon, as PagerDuty documents its timestamps', () => {
    expect(Timestamp.parse('2015-07-17T08:42:58.315+0000')).toBe('2015-07-17T08:42:58.315Z');
    expect(Timestamp.parse('2015-07-17T08:42:58-0530')).toBe('2015-07-17T14:12:58.000Z');
  });

  it('refuses a time without a zone and things that are not instants', () => {
    for (const value of [
      '2026-11-29T10:00:00',
      '2026-11-29',
      'yesterday',
      '2026-11-29T25:00:00Z',
      '2026-02-30T10:00:00Z',
    ])
      expect(Timestamp.safeParse(value).success, value).toBe(false);
  });

  it('accepts only what it would accept again in UTC: no year past 9999 or before 0000 there', () => {
    for (const value of ['9999-12-31T23:30:00-01:00', '0000-01-01T00:30:00+01:00']) {
      expect(Timestamp.safeParse(value).success, value).toBe(false);
    }
    const edge = Timestamp.parse('9999-12-31T23:30:00+01:00');
    expect(Timestamp.parse(edge)).toBe(edge);
  });

  it('normalizes where signals and PagerDuty events carry it', () => {
    const deploy = DeploymentSignal.parse({
      type: 'deployment',
      service: 'checkout',
      at: '2026-11-29T10:59:05+01:00',
      version: 'v42',
    });
    expect(deploy.at).toBe('2026-11-29T09:59:05.000Z');
    const event = PagerDutyEvent.parse({
      routing_key: 'k',
      event_action: 'trigger',
      payload: { summary: 's', source: 'h', severity: 'critical', timestamp: '2015-07-17T08:42:58.315+0000' },
    });
    expect(event.payload?.timestamp).toBe('2015-07-17T08:42:58.315Z');
  });
});

describe('EventSignal', () => {
  it('accepts only attributes that fit in one queue message with the signal', () => {
    const at = '2026-11-29T10:00:00.000Z';
    const attributes = (count: number, value: string) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`attribute${i}`, value]));
    const largest = EventSignal.parse({
      type: 'error',
      service: 'checkout',
      at,
      summary: '€'.repeat(1024),
      attributes: attributes(14, '€'.repeat(2048)),
    });
    const [message] = packSignals([{ id: 'sig_1', receivedAt: at, signal: largest }]);
    expect(message!.bytes).toBeLessThanOrEqual(QUEUE_LIMITS.messageBytes);
    const tooMany = EventSignal.safeParse({
      type: 'error',
      service: 'checkout',
      at,
      summary: 'Boom',
      attributes: attributes(100, 'v'.repeat(2048)),
    });
    expect(tooMany.success).toBe(false);
    expect(tooMany.error?.issues[0]?.path).toEqual(['attributes']);
  });
});
