import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authed, eventually, type Stack, startTestStack } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

interface Item {
  id: string;
  status: string;
  severity: string;
  service: string;
  kind: string;
}

async function incidents(query: string): Promise<Item[]> {
  const response = await fetch(`${stack.urls.projector}/v1/incidents?${query}`, authed(stack.key));
  return ((await response.json()) as { items: Item[] }).items;
}

// As PagerDuty documents them: a trigger carries a payload (its component names the service,
// the key being unrestricted), an acknowledge or resolve only the routing and dedup keys.
const pagerDuty = (event_action: string, dedup_key: string) =>
  fetch(`${stack.urls.producer}/v2/enqueue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      routing_key: stack.key,
      event_action,
      dedup_key,
      ...(event_action === 'trigger' && {
        payload: {
          summary: 'Payments API 5xx',
          source: 'payments-api.example.com',
          severity: 'error',
          component: 'payments',
        },
      }),
    }),
  });

describe('alert sources and responders through the whole stack', () => {
  it('PagerDuty trigger, acknowledge and resolve drive one incident; a new trigger opens another', async () => {
    expect((await pagerDuty('trigger', 'pd-e2e')).status).toBe(202);
    const [opened] = await eventually(async () => {
      const items = await incidents('service=payments');
      return items.length === 1 ? items : undefined;
    });
    expect(opened).toMatchObject({ kind: 'alert', severity: 'P1' });
    await pagerDuty('acknowledge', 'pd-e2e');
    await eventually(async () =>
      (await incidents('service=payments'))[0]?.status === 'acknowledged' ? true : undefined,
    );
    await pagerDuty('resolve', 'pd-e2e');
    await eventually(async () =>
      (await incidents('service=payments'))[0]?.status === 'resolved' ? true : undefined,
    );
    await pagerDuty('trigger', 'pd-e2e');
    const both = await eventually(async () => {
      const items = await incidents('service=payments');
      return items.length === 2 ? items : undefined;
    });
    expect(both.map((item) => item.status).sort()).toEqual(['resolved', 'triaged']);
  });

  it('an Alertmanager group firing opens an incident and resolving it resolves it', async () => {
    const webhook = (status: 'firing' | 'resolved') => ({
      version: '4',
      groupKey: '{}:{alertname="DiskFull"}',
      status,
      receiver: 'vigil',
      groupLabels: { alertname: 'DiskFull' },
      commonLabels: { alertname: 'DiskFull', service: 'storage', severity: 'warning' },
      commonAnnotations: { summary: 'Disk 95% full' },
      externalURL: 'http://alertmanager:9093',
      alerts: [
        {
          status,
          labels: { alertname: 'DiskFull', service: 'storage', severity: 'warning' },
          annotations: { summary: 'Disk 95% full' },
          startsAt: new Date(Date.now() - 60_000).toISOString(),
          endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : new Date().toISOString(),
          fingerprint: 'd15cf011',
        },
      ],
    });
    const send = (status: 'firing' | 'resolved') =>
      fetch(
        `${stack.urls.producer}/v1/integrations/alertmanager`,
        authed(stack.key, { method: 'POST', body: JSON.stringify(webhook(status)) }),
      );
    expect((await send('firing')).status).toBe(202);
    const [opened] = await eventually(async () => {
      const items = await incidents('service=storage');
      return items.length > 0 ? items : undefined;
    });
    expect(opened).toMatchObject({ severity: 'P2', kind: 'alert' });
    expect((await send('resolved')).status).toBe(202);
    await eventually(async () =>
      (await incidents('service=storage'))[0]?.status === 'resolved' ? true : undefined,
    );
  });

  it('a declared incident is visible on the projector with the responder’s changes', async () => {
    const declared = await fetch(
      `${stack.urls.producer}/v1/incidents`,
      authed(stack.key, {
        method: 'POST',
        body: JSON.stringify({ service: 'search', severity: 'P2', title: 'Search slow for EU users' }),
        headers: { 'x-vigil-actor': 'alice' },
      }),
    );
    expect(declared.status).toBe(201);
    const { id } = (await declared.json()) as { id: string };
    const acked = await fetch(
      `${stack.urls.producer}/v1/incidents/${id}/acknowledge`,
      authed(stack.key, { method: 'POST' }),
    );
    expect(acked.status).toBe(200);
    const item = await eventually(async () => {
      const found = (await incidents('service=search')).find((i) => i.id === id);
      return found?.status === 'acknowledged' ? found : undefined;
    });
    expect(item).toMatchObject({ kind: 'manual', severity: 'P2' });
  });
});
