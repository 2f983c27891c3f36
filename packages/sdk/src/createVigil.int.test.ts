import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { type LatencyHistogram, SignalBatch } from '@vigil/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clockAt, request } from '../test/hostRequests';
import { createHost, OrderStoreUnavailable, transports } from '../test/hostWorker';
import { receiver, unique } from '../test/receiverClient';
import { createVigil } from './createVigil';
import { type IngestBinding, serviceBinding } from './serviceBinding';

afterEach(() => {
  vi.useRealTimers();
});

/** The signals of every POST the receiver got for `tenant`, in order. */
async function delivered(tenant: string) {
  const requests = await receiver.requests(tenant);
  return requests.map((recorded) => SignalBatch.parse(recorded.body).signals);
}

describe('createVigil: a wrapped host Worker', () => {
  it('counts requests and errors (5xx and thrown) per route group, and sends each window once it closes', async () => {
    const tenant = unique('orders');
    const { vigil, worker } = createHost({ service: 'orders', transport: transports.http(tenant) });

    clockAt('2026-11-29T10:00:05.000Z');
    expect((await request(worker, '/api/orders/1')) as Response).toHaveProperty('status', 200);
    expect((await request(worker, '/api/orders/2')) as Response).toHaveProperty('status', 200);
    expect((await request(worker, '/status/404')) as Response).toHaveProperty('status', 404);
    expect((await request(worker, '/status/503')) as Response).toHaveProperty('status', 503);
    expect((await request(worker, '/status/500')) as Response).toHaveProperty('status', 500);
    clockAt('2026-11-29T10:00:59.999Z');
    const thrown = await request(worker, '/throw');
    expect(thrown).toEqual({ thrown: expect.any(OrderStoreUnavailable) });
    expect(await delivered(tenant)).toEqual([]);
    expect(vigil.stats()).toMatchObject({ flushes: 0, openSeries: 3, buffered: 0 });

    clockAt('2026-11-29T10:01:00.000Z');
    await request(worker, '/api/orders/3');

    const window = { type: 'metrics', service: 'orders', at: '2026-11-29T10:00:00.000Z', windowSeconds: 60 };
    const [batch, ...more] = await delivered(tenant);
    expect(more).toEqual([]);
    expect(batch).toEqual([
      { ...window, routeGroup: 'api', requests: 2, errors: 0, latencyMs: { histogram: [2] } },
      { ...window, routeGroup: 'status', requests: 3, errors: 2, latencyMs: { histogram: [3] } },
      { ...window, routeGroup: 'throw', requests: 1, errors: 1, latencyMs: { histogram: [1] } },
    ]);
    expect(vigil.stats()).toMatchObject({ flushes: 1, failures: 0, sent: 3, buffered: 0, openSeries: 1 });
  });

  it('rethrows exactly what the app threw, after counting it', async () => {
    const tenant = unique('orders');
    const vigil = createVigil<Env>({ service: 'orders', transport: transports.http(tenant) });
    const failure = new TypeError('cannot read order');
    const host = vigil.wrap({
      fetch(request: Request): Response {
        if (request.url.endsWith('/string')) throw 'a thrown string';
        throw failure;
      },
    });
    clockAt('2026-11-29T10:00:00.000Z');
    expect(await request(host, '/error')).toEqual({ thrown: failure });
    expect(((await request(host, '/error')) as { thrown: unknown }).thrown).toBe(failure);
    expect(await request(host, '/string')).toEqual({ thrown: 'a thrown string' });
    clockAt('2026-11-29T10:01:00.000Z');
    await vigil.flush(env, createExecutionContext());
    const [snapshot] = (await delivered(tenant)).flat();
    expect(snapshot).toMatchObject({ requests: 3, errors: 3 });
  });

  it('passes the handlers it does not measure through untouched', async () => {
    const vigil = createVigil<Env>({ service: 'orders', transport: transports.queue });
    const scheduled = async () => {};
    const queue = async () => {};
    const host = vigil.wrap({ fetch: () => new Response('ok'), scheduled, queue, name: 'orders-api' });
    expect(host.scheduled).toBe(scheduled);
    expect(host.queue).toBe(queue);
    expect(host.name).toBe('orders-api');
    const withoutFetch = { scheduled };
    expect(vigil.wrap(withoutFetch as never)).toBe(withoutFetch);
  });

  it('keeps the other handlers of a class instance, and of a frozen handler', async () => {
    const vigil = createVigil<Env>({ service: 'orders', transport: transports.queue });
    class OrdersWorker {
      #runs = 0;
      lastRun = 'never';
      fetch() {
        return new Response(`${this.lastRun} ${this.#runs}`);
      }
      async scheduled() {
        this.#runs += 1;
        this.lastRun = 'cron';
      }
    }
    const host = vigil.wrap(new OrdersWorker());
    // A spread copies own properties only: the cron handler on the prototype would vanish. It runs
    // on the instance, as fetch does: its private fields and its state are fetch's.
    await host.scheduled();
    expect(await ((await request(host, '/')) as Response).text()).toBe('cron 1');
    const scheduled = async () => {};
    const frozen = vigil.wrap(Object.freeze({ fetch: () => new Response('frozen'), scheduled }));
    expect(frozen.scheduled).toBe(scheduled);
    expect(await ((await request(frozen, '/')) as Response).text()).toBe('frozen');
  });

  it('measures latency as the time until the response, in the shared buckets', async () => {
    const tenant = unique('orders');
    const { worker } = createHost({
      service: 'orders',
      transport: transports.http(tenant),
      windowSeconds: 1,
    });
    await request(worker, '/api/slow?ms=300');
    await request(worker, '/api/orders/1');
    await scheduler.wait(1_100);
    await request(worker, '/status/200');

    const api = (await delivered(tenant)).flat().filter((signal) => signal.type === 'metrics');
    const histogram: LatencyHistogram = [];
    for (const snapshot of api.filter((s) => s.routeGroup === 'api')) {
      (snapshot.latencyMs as { histogram: LatencyHistogram }).histogram.forEach((count, index) => {
        histogram[index] = (histogram[index] ?? 0) + count;
      });
    }
    // Bucket 16 holds (181 ms, 256 ms], so a 300 ms request lands in 17 or later, a fast one well before.
    const slow = histogram.slice(17).reduce((sum, count) => sum + count, 0);
    const fast = histogram.slice(0, 10).reduce((sum, count) => sum + count, 0);
    expect({ slow, fast }).toEqual({ slow: 1, fast: 1 });
  });

  it('sends a window the clock has closed when the host calls flush, e.g. from a cron', async () => {
    const tenant = unique('orders');
    const { vigil, worker } = createHost({ service: 'orders', transport: transports.http(tenant) });
    clockAt('2026-11-29T10:00:30.000Z');
    await request(worker, '/api/orders/1');
    await vigil.flush(env, createExecutionContext());
    expect(await delivered(tenant)).toEqual([]);

    clockAt('2026-11-29T10:01:00.000Z');
    const ctx = createExecutionContext();
    await expect(vigil.flush(env, ctx)).resolves.toBeUndefined();
    await waitOnExecutionContext(ctx);
    expect(await delivered(tenant)).toEqual([
      [expect.objectContaining({ at: '2026-11-29T10:00:00.000Z', routeGroup: 'api', requests: 1 })],
    ]);
  });

  it('counts requests a host measures itself, for hosts that are not a handler object', async () => {
    const tenant = unique('orders');
    const vigil = createVigil<Env>({ service: 'orders', transport: transports.http(tenant) });
    clockAt('2026-11-29T10:00:00.000Z');
    const ctx = createExecutionContext();
    const incoming = new Request('https://orders.example/rpc');
    const response = await vigil.measure(
      incoming,
      env,
      ctx,
      () => new Response('bad gateway', { status: 502 }),
    );
    expect(response.status).toBe(502);
    await vigil.measure(incoming, env, ctx, async () => new Response('ok'));
    clockAt('2026-11-29T10:01:00.000Z');
    await vigil.flush(env, ctx);
    expect((await delivered(tenant)).flat()).toEqual([
      expect.objectContaining({ requests: 2, errors: 1, at: '2026-11-29T10:00:00.000Z' }),
    ]);
    expect((await delivered(tenant)).flat()[0]).not.toHaveProperty('routeGroup');
  });

  it('never throws into the host when the transport cannot send: the flush fails and is counted', async () => {
    const unbound = serviceBinding(
      (environment: Env) => (environment as unknown as { NOPE: IngestBinding }).NOPE,
    );
    const { vigil, worker } = createHost({ service: 'orders', transport: unbound });
    clockAt('2026-11-29T10:00:00.000Z');
    expect(await request(worker, '/api/orders/1')).toHaveProperty('status', 200);
    clockAt('2026-11-29T10:01:00.000Z');
    expect(await request(worker, '/api/orders/1')).toHaveProperty('status', 200);
    expect(vigil.stats()).toMatchObject({ flushes: 0, failures: 1, buffered: 1, sent: 0 });
    expect(vigil.stats().lastError).toMatch(/^TypeError: /);

    // Even a context without waitUntil does not throw; the flush still runs.
    let flushed: Promise<void> | undefined;
    expect(() => {
      flushed = vigil.flush(env, {} as ExecutionContext);
    }).not.toThrow();
    await flushed;
    expect(vigil.stats()).toMatchObject({ failures: 2, buffered: 1 });
  });

  it('counts a request whose routeGroup callback throws under "unknown", and answers it', async () => {
    const tenant = unique('orders');
    const { worker } = createHost({
      service: 'orders',
      transport: transports.http(tenant),
      routeGroup: () => {
        throw new Error('route table not loaded');
      },
    });
    clockAt('2026-11-29T10:00:00.000Z');
    expect(await request(worker, '/api/orders/1')).toHaveProperty('status', 200);
    clockAt('2026-11-29T10:01:00.000Z');
    await request(worker, '/api/orders/1');
    expect((await delivered(tenant)).flat()).toEqual([
      expect.objectContaining({ routeGroup: 'unknown', requests: 1 }),
    ]);
  });

  it('sends deploy, error and security signals at once, with the host going on', async () => {
    const tenant = unique('orders');
    const { vigil, worker } = createHost({ service: 'orders', transport: transports.http(tenant) });
    clockAt('2026-11-29T10:00:10.000Z');
    expect(await request(worker, '/admin/deploy?version=v42&commit=abc123&author=ci')).toHaveProperty(
      'status',
      204,
    );
    expect(await request(worker, '/login?user=mallory')).toHaveProperty('status', 401);
    expect(await request(worker, '/api/report')).toHaveProperty('status', 500);

    const at = '2026-11-29T10:00:10.000Z';
    const [deploy, security, error] = await delivered(tenant);
    expect(deploy).toEqual([
      { type: 'deployment', service: 'orders', at, version: 'v42', commit: 'abc123', author: 'ci' },
    ]);
    expect(security).toEqual([
      {
        type: 'security',
        service: 'orders',
        at,
        summary: 'Failed login',
        attributes: { user: 'mallory', attempts: 5 },
      },
    ]);
    expect(error).toEqual([
      {
        type: 'error',
        service: 'orders',
        at,
        summary: 'RangeError: report period out of range',
        attributes: {
          errorName: 'RangeError',
          stack: expect.stringContaining('report period'),
          route: '/api/report',
        },
      },
    ]);
    expect(vigil.stats()).toMatchObject({ flushes: 3, sent: 3, invalid: 0, openSeries: 3 });
  });

  it('cuts long helper input to what Vigil accepts, and counts input it cannot send instead of throwing', async () => {
    const tenant = unique('orders');
    const { vigil, worker } = createHost({ service: 'orders', transport: transports.http(tenant) });
    const ctx = createExecutionContext();
    vigil.security(env, ctx, 'x'.repeat(5000), { note: 'y'.repeat(5000), ['k'.repeat(200)]: 1 });
    await waitOnExecutionContext(ctx);
    const [cut] = (await delivered(tenant)).flat();
    expect(cut).toMatchObject({ summary: 'x'.repeat(1024), attributes: { note: 'y'.repeat(2048) } });
    expect(Object.keys((cut as { attributes: object }).attributes)).toEqual(['note']);

    // A number Vigil cannot take (parseInt of a missing header) is sent as text, not a reason to lose the report.
    vigil.error(env, ctx, new Error('retry failed'), { retries: Number.parseInt('', 10), limit: Infinity });
    await waitOnExecutionContext(ctx);
    const [, report] = (await delivered(tenant)).flat();
    expect(report).toMatchObject({ attributes: { retries: 'NaN', limit: 'Infinity' } });

    expect(await request(worker, '/admin/deploy')).toHaveProperty('status', 204);
    expect(() => vigil.security(env, ctx, '')).not.toThrow();
    expect(() => vigil.deployment(env, ctx, undefined as never)).not.toThrow();
    expect(() => vigil.deployment(env, ctx, { version: 'v1', at: new Date(Number.NaN) })).not.toThrow();
    await waitOnExecutionContext(ctx);
    expect(vigil.stats()).toMatchObject({ invalid: 4, sent: 2 });
    expect(await delivered(tenant)).toHaveLength(2);
  });

  it('records a deploy whose commit and author are empty, as a deploy without them', async () => {
    const tenant = unique('orders');
    const { vigil, worker } = createHost({ service: 'orders', transport: transports.http(tenant) });
    clockAt('2026-11-29T10:00:10.000Z');
    // `[vars] COMMIT = ""` before CI fills it in: the deploy must still name its version.
    expect(await request(worker, '/admin/deploy?version=v43&commit=&author=')).toHaveProperty('status', 204);
    expect(await delivered(tenant)).toEqual([
      [{ type: 'deployment', service: 'orders', at: '2026-11-29T10:00:10.000Z', version: 'v43' }],
    ]);
    expect(vigil.stats()).toMatchObject({ invalid: 0, sent: 1 });
  });

  it('refuses invalid options when the module loads', () => {
    const transport = transports.http('unused');
    expect(() => createVigil({ service: 'check out', transport })).toThrow(/letters, digits/);
    for (const windowSeconds of [0, 3601, 1.5, 120, 45]) {
      expect(() => createVigil({ service: 'orders', transport, windowSeconds })).toThrow(RangeError);
    }
    expect(() => createVigil({ service: 'orders', transport, maxBufferedSignals: 0 })).toThrow(RangeError);
    expect(() => createVigil({ service: 'orders', transport, maxRouteGroups: -1 })).toThrow(RangeError);
  });
});
