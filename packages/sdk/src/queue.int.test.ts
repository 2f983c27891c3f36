import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { SignalsMessage } from '@vigil/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clockAt, request } from '../test/hostRequests';
import { createHost, transports } from '../test/hostWorker';
import { eventually, receiver, unique } from '../test/receiverClient';

afterEach(() => {
  vi.useRealTimers();
});

describe('queue transport', () => {
  it('puts closed windows and helper signals on vigil-signals as SignalsMessage envelopes with sig_ ids', async () => {
    const service = unique('search');
    const { vigil, worker } = createHost({ service, transport: transports.queue });
    clockAt('2026-11-29T10:00:05.000Z');
    await request(worker, '/api/orders/1');
    await request(worker, '/status/502');
    await request(worker, '/admin/deploy?version=v7');
    clockAt('2026-11-29T10:01:00.000Z');
    await request(worker, '/api/orders/2');
    expect(vigil.stats()).toMatchObject({ flushes: 2, sent: 4, buffered: 0 });

    const { envelopes } = await eventually(
      () => receiver.queued(service),
      (queued) => queued.envelopes.length >= 4,
    );
    expect(SignalsMessage.safeParse({ kind: 'signals', signals: envelopes }).success).toBe(true);
    for (const envelope of envelopes) expect(envelope.id).toMatch(/^sig_[0-9a-z]{9}[0-9a-f]{16}[0-9a-z]{4}$/);
    expect(new Set(envelopes.map((envelope) => envelope.id)).size).toBe(envelopes.length);
    const window = { type: 'metrics', service, at: '2026-11-29T10:00:00.000Z', windowSeconds: 60 };
    expect(envelopes.map((envelope) => envelope.signal)).toEqual(
      expect.arrayContaining([
        { type: 'deployment', service, at: '2026-11-29T10:00:05.000Z', version: 'v7' },
        { ...window, routeGroup: 'api', requests: 1, errors: 0, latencyMs: { histogram: [1] } },
        { ...window, routeGroup: 'status', requests: 1, errors: 1, latencyMs: { histogram: [1] } },
        { ...window, routeGroup: 'admin', requests: 1, errors: 0, latencyMs: { histogram: [1] } },
      ]),
    );
    expect(envelopes).toHaveLength(4);
  });

  it('packs a flush into few messages instead of one per signal', async () => {
    const service = unique('search');
    const { worker } = createHost({
      service,
      transport: transports.queue,
      maxRouteGroups: 500,
      routeGroup: (incoming) => new URL(incoming.url).searchParams.get('group') ?? 'none',
    });
    clockAt('2026-11-29T10:00:00.000Z');
    for (let group = 0; group < 300; group++) await request(worker, `/api/orders/1?group=g${group}`);
    clockAt('2026-11-29T10:01:00.000Z');
    await request(worker, '/api/orders/1');

    const queued = await eventually(
      () => receiver.queued(service),
      (found) => found.envelopes.length >= 300,
    );
    expect(queued.envelopes).toHaveLength(300);
    expect(queued.messageIds).toHaveLength(1);
    expect(
      new Set(
        queued.envelopes.map((envelope) => envelope.signal.type === 'metrics' && envelope.signal.routeGroup),
      ).size,
    ).toBe(300);
  });

  it('keeps an error report with huge attributes within a queue message, so the signals after it still go', async () => {
    const service = unique('search');
    const { vigil } = createHost({ service, transport: transports.queue });
    // ~205 KB of attributes: whole, the report would fail every send it is in, and hold back the rest.
    const context = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`field${i}`, 'x'.repeat(2048)]),
    );
    const ctx = createExecutionContext();
    vigil.error(env, ctx, new Error('order store unreachable'), context);
    vigil.deployment(env, ctx, { version: 'v8' });
    await waitOnExecutionContext(ctx);
    expect(vigil.stats()).toMatchObject({ sent: 2, failures: 0, buffered: 0 });

    const { envelopes } = await eventually(
      () => receiver.queued(service),
      (queued) => queued.envelopes.length >= 2,
    );
    const [report, deploy] = envelopes.map((envelope) => envelope.signal);
    expect(deploy).toMatchObject({ type: 'deployment', version: 'v8' });
    const attributes = (report as { attributes: Record<string, unknown> }).attributes;
    expect(new TextEncoder().encode(JSON.stringify(attributes)).byteLength).toBeLessThanOrEqual(16 * 1024);
    expect(attributes).toMatchObject({
      errorName: 'Error',
      stack: expect.any(String),
      field0: 'x'.repeat(2048),
    });
  });
});
