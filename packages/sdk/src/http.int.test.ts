import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { byteLength, SignalBatch } from '@vigil/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clockAt, request } from '../test/hostRequests';
import { createHost, transports } from '../test/hostWorker';
import { receiver, unique } from '../test/receiverClient';
import { PRODUCER_MAX_BODY_BYTES } from '../test/receiverProtocol';

afterEach(() => {
  vi.useRealTimers();
});

/** `at` of every metrics snapshot in each POST the receiver got for `tenant`. */
async function windowsPosted(tenant: string): Promise<string[][]> {
  const requests = await receiver.requests(tenant);
  return requests.map((recorded) => SignalBatch.parse(recorded.body).signals.map((signal) => signal.at));
}

/** The signals of every POST the receiver took (202), in order. */
async function accepted(tenant: string) {
  const requests = await receiver.requests(tenant);
  return requests
    .filter((recorded) => recorded.status === 202)
    .flatMap((recorded) => SignalBatch.parse(recorded.body).signals);
}

/** An error as a production Worker throws it, with a stack through the app and its libraries. */
function paymentTimeout(order: number): Error {
  const error = new Error(`payment provider timeout for order ${order}`);
  const frames = Array.from(
    { length: 16 },
    (_, depth) =>
      `    at PaymentProvider.step${depth} (worker/src/payments/providerClient.ts:${120 + depth}:17)`,
  );
  error.stack = [`Error: ${error.message}`, ...frames].join('\n');
  return error;
}

/** Buffers `record`'s signals while the receiver answers 500, as during an outage. */
async function backlogWhileDown(tenant: string, record: (ctx: ExecutionContext) => void) {
  await receiver.setMode(tenant, 'fail');
  const ctx = createExecutionContext();
  record(ctx);
  await waitOnExecutionContext(ctx);
  await receiver.setMode(tenant, 'accept');
}

/** One request in each of the given minutes of 2026-11-29 10:xx (UTC). */
async function requestInMinutes(worker: Parameters<typeof request>[0], minutes: number[]) {
  for (const minute of minutes) {
    clockAt(`2026-11-29T10:${String(minute).padStart(2, '0')}:30.000Z`);
    await request(worker, '/api/orders/1');
  }
}
const minute = (m: number) => `2026-11-29T10:${String(m).padStart(2, '0')}:00.000Z`;

describe('http transport', () => {
  it('POSTs {signals} to {url}/v1/signals with the bearer key, in the body the producer accepts', async () => {
    const tenant = unique('billing');
    const { worker } = createHost({ service: 'billing', transport: transports.http(tenant) });
    await requestInMinutes(worker, [0, 1]);

    const [posted, ...more] = await receiver.requests(tenant);
    expect(more).toEqual([]);
    expect(posted).toMatchObject({
      method: 'POST',
      path: `/${tenant}/v1/signals`,
      authorization: 'Bearer vgl_sdk_test_key',
      contentType: 'application/json',
    });
    expect(SignalBatch.parse(posted!.body).signals).toEqual([
      expect.objectContaining({ type: 'metrics', service: 'billing', at: minute(0), requests: 1 }),
    ]);
  });

  it('keeps what a failing Vigil (500) did not take and sends it with the next flush', async () => {
    const tenant = unique('billing');
    const { vigil, worker } = createHost({ service: 'billing', transport: transports.http(tenant) });
    await receiver.setMode(tenant, 'fail');
    await requestInMinutes(worker, [0, 1]);
    expect(vigil.stats()).toMatchObject({ flushes: 0, failures: 1, buffered: 1, sent: 0 });
    expect(vigil.stats().lastError).toMatch(/500/);

    await receiver.setMode(tenant, 'accept');
    await requestInMinutes(worker, [2]);
    expect(await windowsPosted(tenant)).toEqual([[minute(0)], [minute(0), minute(1)]]);
    expect(vigil.stats()).toMatchObject({ flushes: 1, failures: 1, buffered: 0, sent: 2 });
  });

  it('answers the host before a hanging Vigil times out, then keeps the snapshot for the next flush', async () => {
    const tenant = unique('billing');
    const { vigil, worker } = createHost({ service: 'billing', transport: transports.http(tenant, 300) });
    await receiver.setMode(tenant, 'hang');
    await requestInMinutes(worker, [0]);

    clockAt(minute(1));
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request('https://orders.example/api/orders/2'), env, ctx);
    expect(response.status).toBe(200);
    // The response is out while the flush still waits on Vigil.
    expect(vigil.stats()).toMatchObject({ flushes: 0, failures: 0, buffered: 1 });
    await waitOnExecutionContext(ctx);
    expect(vigil.stats()).toMatchObject({ flushes: 0, failures: 1, buffered: 1 });
    expect(vigil.stats().lastError).toMatch(/TimeoutError|abort/i);

    await receiver.setMode(tenant, 'accept');
    await requestInMinutes(worker, [2]);
    expect(await windowsPosted(tenant)).toEqual([[minute(0)], [minute(0), minute(1)]]);
    expect(vigil.stats()).toMatchObject({ flushes: 1, buffered: 0 });
  });

  it('drops what Vigil refuses (400) instead of sending it again', async () => {
    const tenant = unique('billing');
    const { vigil, worker } = createHost({ service: 'billing', transport: transports.http(tenant) });
    await receiver.setMode(tenant, 'reject');
    await requestInMinutes(worker, [0, 1]);
    expect(vigil.stats()).toMatchObject({ rejected: 1, failures: 1, buffered: 0 });

    await receiver.setMode(tenant, 'accept');
    await requestInMinutes(worker, [2]);
    expect(await windowsPosted(tenant)).toEqual([[minute(0)], [minute(1)]]);
  });

  it('holds at most maxBufferedSignals while Vigil is down, dropping and counting the oldest', async () => {
    const tenant = unique('billing');
    const { vigil, worker } = createHost({
      service: 'billing',
      transport: transports.http(tenant),
      maxBufferedSignals: 2,
    });
    await receiver.setMode(tenant, 'fail');
    await requestInMinutes(worker, [0, 1, 2, 3, 4]);
    expect(vigil.stats()).toMatchObject({ failures: 4, dropped: 2, buffered: 2 });

    await receiver.setMode(tenant, 'accept');
    await requestInMinutes(worker, [5]);
    const posts = await windowsPosted(tenant);
    // Minute 4's snapshot joined a full buffer, pushing minute 2's out.
    expect(posts.at(-1)).toEqual([minute(3), minute(4)]);
    expect(vigil.stats()).toMatchObject({ flushes: 1, sent: 2, dropped: 3, buffered: 0 });
  });

  it('sends more than one request worth of signals in chunks of 1,000', async () => {
    const tenant = unique('billing');
    const { vigil, worker } = createHost({
      service: 'billing',
      transport: transports.http(tenant),
      maxBufferedSignals: 5_000,
      maxRouteGroups: 2_500,
      routeGroup: (incoming) => new URL(incoming.url).searchParams.get('group') ?? 'none',
    });
    clockAt(minute(0));
    for (let group = 0; group < 2_100; group++) await request(worker, `/api/orders/1?group=g${group}`);
    await requestInMinutes(worker, [1]);
    const sizes = (await receiver.requests(tenant)).map(
      (posted) => SignalBatch.parse(posted.body).signals.length,
    );
    expect(sizes).toEqual([1000, 1000, 100]);
    expect(vigil.stats()).toMatchObject({ flushes: 1, sent: 2_100 });
  });

  it('delivers a backlog of 1,000 errors over 1 MiB (their stacks) in requests within the producer’s limit, none lost', async () => {
    const tenant = unique('checkout');
    const { vigil } = createHost({ service: 'checkout', transport: transports.http(tenant) });
    await backlogWhileDown(tenant, (ctx) => {
      for (let i = 0; i < 1000; i++) {
        vigil.error(env, ctx, paymentTimeout(i), { route: '/pay' });
      }
    });
    expect(vigil.stats()).toMatchObject({ buffered: 1000, sent: 0 });

    await vigil.flush(env, createExecutionContext());
    expect(vigil.stats()).toMatchObject({ rejected: 0, sent: 1000, buffered: 0, flushes: 1 });
    const signals = await accepted(tenant);
    expect(signals).toEqual(
      Array.from({ length: 1000 }, (_, i) =>
        expect.objectContaining({ type: 'error', summary: `Error: payment provider timeout for order ${i}` }),
      ),
    );
    // As one request the backlog is over the limit; no request the SDK made was.
    expect(byteLength(JSON.stringify({ signals }))).toBeGreaterThan(PRODUCER_MAX_BODY_BYTES);
    const sizes = (await receiver.requests(tenant)).map((recorded) => recorded.bytes);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(PRODUCER_MAX_BODY_BYTES);
  });

  it('halves a request Vigil refuses as too large (413 under a smaller body limit) until everything is through', async () => {
    const tenant = unique('checkout');
    const { vigil } = createHost({ service: 'checkout', transport: transports.http(tenant) });
    await backlogWhileDown(tenant, (ctx) => {
      for (let i = 0; i < 200; i++) vigil.security(env, ctx, `Failed login ${i}`, { user: `user-${i}` });
    });
    await receiver.limitBody(tenant, 4 * 1024);

    await vigil.flush(env, createExecutionContext());
    expect(vigil.stats()).toMatchObject({ rejected: 0, sent: 200, buffered: 0, flushes: 1 });
    expect(await accepted(tenant)).toEqual(
      Array.from({ length: 200 }, (_, i) => expect.objectContaining({ summary: `Failed login ${i}` })),
    );
    const answers = (await receiver.requests(tenant)).map((recorded) => recorded.status);
    expect(answers).toContain(413);
  });

  it('makes at most 32 requests in one flush, however small the receiver’s limit, and keeps the rest', async () => {
    const tenant = unique('checkout');
    const { vigil } = createHost({ service: 'checkout', transport: transports.http(tenant) });
    await backlogWhileDown(tenant, (ctx) => {
      for (let i = 0; i < 1000; i++) vigil.security(env, ctx, `Failed login ${i}`);
    });
    const before = (await receiver.requests(tenant)).length;
    await receiver.limitBody(tenant, 16);

    await vigil.flush(env, createExecutionContext());
    expect((await receiver.requests(tenant)).length - before).toBe(32);
    expect(vigil.stats().buffered).toBeGreaterThan(900);
  });

  it('drops only a signal too large on its own (413) and delivers the rest in the same flush', async () => {
    const tenant = unique('checkout');
    const { vigil } = createHost({ service: 'checkout', transport: transports.http(tenant) });
    await backlogWhileDown(tenant, (ctx) => {
      for (let i = 0; i < 10; i++) {
        if (i === 4) vigil.error(env, ctx, new Error('heap dump attached'), { dump: 'x'.repeat(2048) });
        else vigil.security(env, ctx, `Failed login ${i}`);
      }
    });
    await receiver.limitBody(tenant, 1024);

    await vigil.flush(env, createExecutionContext());
    expect(vigil.stats()).toMatchObject({ rejected: 1, sent: 9, buffered: 0 });
    expect(vigil.stats().lastError).toMatch(/SignalsTooLargeError.*413/);
    expect(await accepted(tenant)).toEqual(
      [0, 1, 2, 3, 5, 6, 7, 8, 9].map((i) => expect.objectContaining({ summary: `Failed login ${i}` })),
    );
  });
});
