import { env, SELF } from 'cloudflare:test';
import { QUEUE_LIMITS, readSignalsMessage } from '@vigil/contracts';
import { ApiKeys } from '@vigil/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { receiveAlertmanager } from '../src/alertmanager';
import { enqueuePagerDutyChange, enqueuePagerDutyEvent } from '../src/pagerDuty';

let ingestKey: string;
let readKey: string;
let serviceKey: string;

beforeAll(async () => {
  const keys = new ApiKeys(env.DB);
  ingestKey = (await keys.create({ name: 'pd', scopes: ['ingest'] })).key;
  readKey = (await keys.create({ name: 'read', scopes: ['read'] })).key;
  serviceKey = (await keys.create({ name: 'payments integration', scopes: ['ingest'], service: 'payments' }))
    .key;
});

/**
 * The signals queue with the limit Cloudflare Queues enforce and the local queue does not:
 * a message over 128 KB is refused, and the alert in it lost.
 */
function queueWithMessageLimit() {
  const sent: string[] = [];
  const queue = {
    async sendBatch(messages: Iterable<{ body: string; contentType: 'text' }>) {
      for (const { body } of messages) {
        if (new TextEncoder().encode(body).byteLength > QUEUE_LIMITS.messageBytes) {
          throw new Error('Queue sendBatch failed: message too large');
        }
        sent.push(body);
      }
      await env.SIGNALS.sendBatch(messages);
    },
  };
  return { env: { ...env, SIGNALS: queue as unknown as Queue }, sent };
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  SELF.fetch(`http://producer.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

// The trigger example of PagerDuty's Events API v2 documentation.
const documentedTrigger = (routingKey: string) => ({
  payload: {
    summary: 'DISK at 99% on machine prod-datapipe03.example.com',
    timestamp: '2015-07-17T08:42:58.315+0000',
    severity: 'critical',
    source: 'prod-datapipe03.example.com',
    component: 'mysql',
    group: 'prod-datapipe',
    class: 'deploy',
    custom_details: { 'free space': '1%', 'ping time': '1500ms', 'load avg': 0.75 },
  },
  routing_key: routingKey,
  dedup_key: 'srv01/mysql',
  event_action: 'trigger',
  client: 'Sample Monitoring Service',
  client_url: 'https://monitoring.service.com',
  links: [{ href: 'http://acme.pagerduty.com', text: 'View the incident on PagerDuty' }],
  images: [
    {
      src: 'https://chart.googleapis.com/chart?chs=600x400',
      href: 'https://google.com',
      alt: 'An example link with an image',
    },
  ],
});

describe('PagerDuty Events API v2', () => {
  it('accepts the documented trigger and answers exactly as PagerDuty does', async () => {
    const response = await post('/v2/enqueue', documentedTrigger(ingestKey));
    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: 'srv01/mysql',
    });
  });

  it('generates a dedup_key for a trigger without one', async () => {
    const { dedup_key: _, ...event } = documentedTrigger(ingestKey);
    const body = (await (await post('/v2/enqueue', event)).json()) as { dedup_key: string };
    expect(body.dedup_key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts what Alertmanager’s PagerDuty client sends: no timestamp, string details, resolve with a payload', async () => {
    const alertmanagerStyle = {
      routing_key: ingestKey,
      event_action: 'trigger',
      dedup_key: 'a1b2c3',
      payload: {
        summary: '[FIRING:1] HighErrorRate checkout',
        source: 'http://alertmanager:9093',
        severity: 'error',
        custom_details: {
          firing: 'Labels:\n - alertname = HighErrorRate\n',
          num_firing: '1',
          num_resolved: '0',
        },
      },
      client: 'Alertmanager',
      client_url: 'http://alertmanager:9093/#/alerts',
    };
    expect((await post('/v2/enqueue', alertmanagerStyle)).status).toBe(202);
    const resolve = { ...alertmanagerStyle, event_action: 'resolve' };
    expect(await (await post('/v2/enqueue', resolve)).json()).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: 'a1b2c3',
    });
  });

  it('refuses an invalid event in PagerDuty’s error shape', async () => {
    const missing = await post('/v2/enqueue', {
      routing_key: ingestKey,
      event_action: 'trigger',
      payload: { summary: 'x' },
    });
    expect(missing.status).toBe(400);
    const body = (await missing.json()) as { status: string; message: string; errors: string[] };
    expect(body.status).toBe('invalid event');
    expect(body.message).toBe('Event object is invalid');
    expect(body.errors.join(' ')).toMatch(/payload\.source/);
    const tooLong = documentedTrigger(ingestKey);
    tooLong.payload.summary = 'x'.repeat(1025);
    expect((await post('/v2/enqueue', tooLong)).status).toBe(400);
    const ackWithoutKey = await post('/v2/enqueue', { routing_key: ingestKey, event_action: 'acknowledge' });
    expect(((await ackWithoutKey.json()) as { errors: string[] }).errors.join(' ')).toMatch(/dedup_key/);
    expect((await post('/v2/enqueue', '{"routing_key":')).status).toBe(400);
  });

  it('treats an unknown routing key, or a key without ingest, as an invalid event', async () => {
    for (const key of ['R0000000000000000000000000000000', readKey]) {
      const response = await post('/v2/enqueue', documentedTrigger(key));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ['Invalid routing key'],
      });
    }
  });

  it('answers 429 past 120 events a minute for one routing key', async () => {
    const { key } = await new ApiKeys(env.DB).create({ name: 'noisy', scopes: ['ingest'] });
    const statuses: number[] = [];
    // The limit counts per 60-second window, and a run may straddle two of them: with 241
    // events one window holds more than 120 whenever the run starts.
    for (let i = 0; i < 241; i++) {
      statuses.push(
        (await post('/v2/enqueue', { ...documentedTrigger(key), dedup_key: `noisy-${i}` })).status,
      );
    }
    expect(statuses.slice(0, 120).every((status) => status === 202)).toBe(true);
    expect(statuses.slice(120)).toContain(429);
    expect(statuses.every((status) => status === 202 || status === 429)).toBe(true);
  });

  it('accepts an event with as many custom_details as PagerDuty does (512 KB), the alert within one message', async () => {
    const queue = queueWithMessageLimit();
    const event = documentedTrigger(ingestKey);
    const request = new Request('http://producer.test/v2/enqueue', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...event,
        payload: { ...event.payload, custom_details: { log: 'x'.repeat(400_000) } },
      }),
    });
    const response = await enqueuePagerDutyEvent(request, queue.env);
    expect(response.status).toBe(202);
    expect(queue.sent).toHaveLength(1);
    const read = readSignalsMessage(queue.sent[0]);
    expect(read.success && read.data.signals[0]!.signal).toMatchObject({
      type: 'alert',
      dedupKey: 'srv01/mysql',
      details: { truncated: true },
    });
  });

  it('accepts a change event (timestamp as PagerDuty documents it: +0000) and queues it as a deployment', async () => {
    const queue = queueWithMessageLimit();
    const request = new Request('http://producer.test/v2/change/enqueue', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        routing_key: serviceKey,
        payload: {
          summary: 'Deployed v42 of payments',
          timestamp: '2020-07-17T08:42:58.315+0000',
          source: 'ci',
        },
        links: [{ href: 'https://ci.example.com/build/42', text: 'Build 42' }],
      }),
    });
    const response = await enqueuePagerDutyChange(request, queue.env);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'success', message: 'Change event processed' });
    const read = readSignalsMessage(queue.sent[0]);
    expect(read.success && read.data.signals.map(({ signal }) => signal)).toEqual([
      {
        type: 'deployment',
        service: 'payments',
        at: '2020-07-17T08:42:58.315Z',
        version: 'Deployed v42 of payments',
      },
    ]);
  });
});

// The example payload of Alertmanager's webhook_config documentation (version 4).
const firing = {
  version: '4',
  groupKey: '{}:{alertname="HighErrorRate"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'vigil',
  groupLabels: { alertname: 'HighErrorRate' },
  commonLabels: { alertname: 'HighErrorRate', service: 'checkout', severity: 'critical' },
  commonAnnotations: { summary: 'Checkout 5xx above 5%' },
  externalURL: 'http://alertmanager:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'HighErrorRate', service: 'checkout', severity: 'critical', instance: 'a' },
      annotations: { summary: 'Checkout 5xx above 5%' },
      startsAt: '2026-11-29T10:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=rate',
      fingerprint: 'c0ffee0000000001',
    },
  ],
};

describe('Alertmanager webhook', () => {
  it('accepts a firing group with a bearer key and a resolved one after it', async () => {
    const headers = { authorization: `Bearer ${ingestKey}` };
    const accepted = await post('/v1/integrations/alertmanager', firing, headers);
    expect(accepted.status).toBe(202);
    expect(((await accepted.json()) as { accepted: number }).accepted).toBe(1);
    const resolved = {
      ...firing,
      status: 'resolved',
      alerts: [{ ...firing.alerts[0]!, status: 'resolved', endsAt: '2026-11-29T10:20:00.000Z' }],
    };
    expect((await post('/v1/integrations/alertmanager', resolved, headers)).status).toBe(202);
  });

  it('sends an alert with unbounded annotations within one queue message', async () => {
    const queue = queueWithMessageLimit();
    const alert = { ...firing.alerts[0]!, annotations: { description: 'y'.repeat(300_000) } };
    const request = new Request('http://producer.test/v1/integrations/alertmanager', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
      body: JSON.stringify({ ...firing, alerts: [alert, firing.alerts[0]!] }),
    });
    expect((await receiveAlertmanager(request, queue.env)).status).toBe(202);
    const read = readSignalsMessage(queue.sent[0]);
    expect(
      read.success && read.data.signals.map(({ signal }) => signal.type === 'alert' && signal.details),
    ).toEqual([
      { truncated: true, bytes: expect.any(Number) },
      expect.objectContaining({ receiver: 'vigil' }),
    ]);
  });

  it('accepts an alert whose generatorURL carries a long PromQL expression', async () => {
    // Prometheus puts the rule's expression in it, URL-encoded: a long regex matcher is common.
    const expr = encodeURIComponent(`rate(http_requests_total{job=~"${'svc-a|'.repeat(800)}svc"}[5m]) > 0`);
    const alert = {
      ...firing.alerts[0]!,
      generatorURL: `http://prometheus:9090/graph?g0.expr=${expr}&g0.tab=1`,
    };
    const response = await post(
      '/v1/integrations/alertmanager',
      { ...firing, alerts: [alert] },
      { authorization: `Bearer ${ingestKey}` },
    );
    expect(response.status).toBe(202);
  });

  it('titles an alert by the first annotation that says something, cut on a whole character', async () => {
    const queue = queueWithMessageLimit();
    const titled = (annotations: Record<string, string>) => ({ ...firing.alerts[0]!, annotations });
    const request = new Request('http://producer.test/v1/integrations/alertmanager', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
      body: JSON.stringify({
        ...firing,
        commonAnnotations: {},
        alerts: [
          // A summary template that rendered nothing.
          titled({ summary: ' ', description: 'Error budget burning fast' }),
          // 1,023 characters, then an emoji of two UTF-16 units across the 1,024th.
          titled({ summary: `${'a'.repeat(1023)}🔥 and more` }),
        ],
      }),
    });
    expect((await receiveAlertmanager(request, queue.env)).status).toBe(202);
    const read = readSignalsMessage(queue.sent[0]);
    const summaries = read.success
      ? read.data.signals.map(({ signal }) => (signal.type === 'alert' ? signal.summary : ''))
      : [];
    expect(summaries).toEqual(['Error budget burning fast', 'a'.repeat(1023)]);
  });

  it('refuses another payload version and a request without a key', async () => {
    const wrongVersion = await post(
      '/v1/integrations/alertmanager',
      { ...firing, version: '3' },
      {
        authorization: `Bearer ${ingestKey}`,
      },
    );
    expect(wrongVersion.status).toBe(400);
    expect(((await wrongVersion.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('/version');
    expect((await post('/v1/integrations/alertmanager', firing)).status).toBe(401);
  });
});
