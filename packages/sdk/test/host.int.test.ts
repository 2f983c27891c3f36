// The deployed shape, run by the runtime itself: requests go through the host Worker's
// default export (SELF), the runtime owns waitUntil, and the clock is the real one.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { type MetricsSignal, SignalBatch } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { eventually, receiver } from './receiverClient';

function totals(signals: { type: string }[]) {
  const metrics = signals.filter((signal): signal is MetricsSignal => signal.type === 'metrics');
  return {
    requests: metrics.reduce((sum, snapshot) => sum + snapshot.requests, 0),
    errors: metrics.reduce((sum, snapshot) => sum + snapshot.errors, 0),
    routeGroups: [...new Set(metrics.map((snapshot) => snapshot.routeGroup))].sort(),
  };
}

describe('the host Worker, as the runtime runs it', () => {
  it('reports one-second windows over the service binding, the queue and HTTP', async () => {
    const hosts = ['checkout.example', 'search.example', 'billing.example'];
    for (const host of hosts) {
      expect((await SELF.fetch(`https://${host}/api/orders/1`)).status).toBe(200);
      expect((await SELF.fetch(`https://${host}/status/503`)).status).toBe(503);
    }
    // A request in a later window closes the earlier ones.
    await scheduler.wait(1_000 - (Date.now() % 1_000) + 50);
    for (const host of hosts) await SELF.fetch(`https://${host}/`);

    const expected = { requests: 2, errors: 1, routeGroups: ['api', 'status'] };
    for (const service of ['checkout', 'search']) {
      const queued = await eventually(
        () => receiver.queued(service),
        (found) => totals(found.envelopes.map((envelope) => envelope.signal)).requests >= 2,
      );
      expect(totals(queued.envelopes.map((envelope) => envelope.signal))).toEqual(expected);
    }
    const posted = await eventually(
      async () => (await receiver.requests('billing')).flatMap((r) => SignalBatch.parse(r.body).signals),
      (signals) => totals(signals).requests >= 2,
    );
    expect(totals(posted)).toEqual(expected);
    expect(env.RECEIVER_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
