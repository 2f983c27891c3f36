import { env } from 'cloudflare:test';
import type { Signal } from '@vigil/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clockAt, request } from '../test/hostRequests';
import { createHost, transports } from '../test/hostWorker';
import { eventually, receiver, unique } from '../test/receiverClient';
import { serviceBinding } from './serviceBinding';
import { SignalsRejectedError } from './transport';

afterEach(() => {
  vi.useRealTimers();
});

// The host is bound to the real producer's VigilIngest entrypoint (bundled by
// `wrangler deploy --dry-run`), which validates the signals and puts them on vigil-signals.
describe('service-binding transport', () => {
  it('delivers closed windows through the producer to vigil-signals, where the producer stamps ids', async () => {
    const service = unique('checkout');
    const { vigil, worker } = createHost({ service, transport: transports.serviceBinding });
    clockAt('2026-11-29T10:00:05.000Z');
    await request(worker, '/api/orders/1');
    await request(worker, '/api/orders/2');
    await request(worker, '/status/503');
    clockAt('2026-11-29T10:01:00.000Z');
    await request(worker, '/api/orders/3');
    expect(vigil.stats()).toMatchObject({ flushes: 1, failures: 0, sent: 2, buffered: 0 });

    const { envelopes } = await eventually(
      () => receiver.queued(service),
      (queued) => queued.envelopes.length >= 2,
    );
    const window = { type: 'metrics', service, at: '2026-11-29T10:00:00.000Z', windowSeconds: 60 };
    expect(envelopes.map((envelope) => envelope.signal)).toEqual([
      { ...window, routeGroup: 'api', requests: 2, errors: 0, latencyMs: { histogram: [2] } },
      { ...window, routeGroup: 'status', requests: 1, errors: 1, latencyMs: { histogram: [1] } },
    ]);
    for (const envelope of envelopes) {
      expect(envelope.id).toMatch(/^sig_/);
      // The producer's clock, not the host's faked one.
      expect(envelope.receivedAt).not.toBe('2026-11-29T10:01:00.000Z');
    }
  });

  it('sends deploy, error and security signals through the producer at once', async () => {
    const service = unique('checkout');
    const { vigil, worker } = createHost({ service, transport: transports.serviceBinding });
    clockAt('2026-11-29T10:00:05.000Z');
    await request(worker, '/admin/deploy?version=v43&author=dana');
    await request(worker, '/login?user=eve');
    await request(worker, '/api/report');
    expect(vigil.stats()).toMatchObject({ flushes: 3, sent: 3 });

    const { envelopes } = await eventually(
      () => receiver.queued(service),
      (queued) => queued.envelopes.length >= 3,
    );
    expect(envelopes.map((envelope) => envelope.signal.type).sort()).toEqual([
      'deployment',
      'error',
      'security',
    ]);
    expect(envelopes.map((envelope) => envelope.signal)).toContainEqual({
      type: 'deployment',
      service,
      at: '2026-11-29T10:00:05.000Z',
      version: 'v43',
      author: 'dana',
    });
  });

  it('drops what the producer refuses for good (its TypeError), and retries anything else', async () => {
    // A signal the SDK would not build, as an older producer might refuse a newer SDK's.
    const refused = { id: 'sig_x', signal: { type: 'metrics', service: 'checkout' } as unknown as Signal };
    await expect(transports.serviceBinding.send([refused], env)).rejects.toBeInstanceOf(SignalsRejectedError);
    await expect(transports.serviceBinding.send([refused], env)).rejects.toThrow(/latencyMs/);
    const unbound = serviceBinding(() => ({
      ingest: () => Promise.reject(new Error('Network connection lost.')),
    }));
    const lost = await unbound.send([refused], env).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(Error);
    expect(lost).not.toBeInstanceOf(SignalsRejectedError);
  });
});
