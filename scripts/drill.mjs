// `npm run drill`: a scripted outage played through Vigil's real HTTP APIs, with a local
// webhook receiver catching the pages. Prints the timeline, the postmortem, the metrics and
// the targets, and exits non-zero when any expected event, page or figure is missing.
//   default: starts a fresh stack on free ports and stops it afterwards
//   --running: drives the stack `npm start` runs (VIGIL_DEV_KEY and the default ports)
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from './stack.mjs';

const failures = [];
const expect = (condition, what) => {
  console.log(`${condition ? '  ✓' : '  ✗'} ${what}`);
  if (!condition) failures.push(what);
};
const step = (text) => console.log(`\n▶ ${text}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let stack;
let persistTo;
if (process.argv.includes('--running')) {
  const key = process.env.VIGIL_DEV_KEY;
  if (!key) {
    console.error('drill: --running needs VIGIL_DEV_KEY (the key `npm start` registered)');
    process.exit(2);
  }
  const port = (name, fallback) => process.env[name] || fallback;
  stack = {
    key,
    urls: {
      producer: `http://127.0.0.1:${port('VIGIL_PRODUCER_PORT', 8787)}`,
      projector: `http://127.0.0.1:${port('VIGIL_PROJECTOR_PORT', 8788)}`,
      detector: `http://127.0.0.1:${port('VIGIL_DETECTOR_PORT', 8789)}`,
    },
    stop: async () => {},
  };
} else {
  persistTo = mkdtempSync(join(tmpdir(), 'vigil-drill-'));
  console.log('drill: starting a fresh stack (re-page window 0: every page is sent at once)…');
  stack = await startStack({ persistTo, key: undefined, vars: { NOTIFY_REPAGE_WINDOW_MINUTES: '0' } });
}
const { urls, key } = stack;
// Against a running stack, pages after the first may be folded into the re-page window's digest.
const immediatePages = !process.argv.includes('--running');
const run = Date.now().toString(36).slice(-5);
const services = { checkout: `checkout-${run}`, search: `search-${run}` };

// The pager: a Standard Webhooks receiver that checks every signature.
const secretBytes = Buffer.from(`drill-secret-${run}-0123456789abcdef`);
const secret = `whsec_${secretBytes.toString('base64')}`;
const pages = [];
const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    const id = request.headers['webhook-id'];
    const timestamp = request.headers['webhook-timestamp'];
    const expected = createHmac('sha256', secretBytes).update(`${id}.${timestamp}.${body}`).digest('base64');
    const signatures = String(request.headers['webhook-signature'] ?? '').split(' ');
    pages.push({ id, body: JSON.parse(body || '{}'), verified: signatures.includes(`v1,${expected}`) });
    response.writeHead(200).end();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/pager`;

async function api(base, method, path, body, headers = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const type = response.headers.get('content-type') ?? '';
  const payload = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(payload)}`);
  return payload;
}
const producer = (method, path, body, headers) => api(urls.producer, method, path, body, headers);
const projector = (path, headers) => api(urls.projector, 'GET', path, undefined, headers);
const as = (person) => ({ 'x-vigil-actor': person });

async function eventually(what, probe, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    await sleep(200);
  }
  throw new Error(`drill: gave up waiting for ${what}`);
}

const minutesAgo = (minutes) => new Date(Date.now() - minutes * 60_000).toISOString();
const metrics = (service, minutes, requests, errors, p95) => ({
  type: 'metrics',
  service,
  at: minutesAgo(minutes),
  windowSeconds: 60,
  requests,
  errors,
  latencyMs: { p95 },
});

try {
  step('A webhook channel pages the local receiver');
  const channel = await producer('POST', '/v1/admin/channels', {
    name: 'drill pager',
    type: 'webhook',
    target: receiverUrl,
    secret,
    minSeverity: 'P3',
    services: Object.values(services),
  });
  expect(
    channel.hasSecret && !JSON.stringify(channel).includes(secret),
    'the channel is stored and its secret never shown',
  );

  step('Healthy traffic, then a deploy of checkout');
  const healthy = [];
  // Healthy minutes end before the spike's 5-minute window, so the spike is judged on its own.
  for (let m = 20; m >= 10; m--) {
    healthy.push(metrics(services.checkout, m, 2000, 4, 180), metrics(services.search, m, 1500, 1, 350));
  }
  await producer('POST', '/v1/signals', {
    signals: [
      ...healthy,
      { type: 'deployment', service: services.checkout, at: minutesAgo(30), version: 'v2.4.0', author: 'ci' },
      {
        type: 'deployment',
        service: services.checkout,
        at: minutesAgo(5),
        version: 'v2.4.1',
        commit: '9f3c2ab',
        author: 'ci',
      },
    ],
  });

  step('Checkout error rate spikes to 18 %; search p95 climbs to 3.2 s');
  await producer('POST', '/v1/signals', {
    signals: [
      metrics(services.checkout, 3, 2000, 360, 220),
      metrics(services.checkout, 2, 2000, 380, 240),
      metrics(services.checkout, 1, 2000, 350, 230),
      metrics(services.search, 3, 1500, 2, 3200),
      metrics(services.search, 2, 1500, 2, 3300),
    ],
  });
  const list = (service) => projector(`/v1/incidents?service=${service}`).then((page) => page.items[0]);
  const p0 = await eventually('the checkout incident', () => list(services.checkout));
  const p1 = await eventually('the search incident', () => list(services.search));
  expect(p0.severity === 'P0' && p0.kind === 'error_rate', `checkout: P0 error_rate incident ${p0.id}`);
  expect(p1.severity === 'P1' && p1.kind === 'response_time', `search: P1 response_time incident ${p1.id}`);
  const detail = await projector(`/v1/incidents/${p0.id}`);
  const suspect = detail.state.triage?.suspectDeployment;
  expect(
    suspect?.version === 'v2.4.1' && suspect?.previousVersion === 'v2.4.0',
    'triage names deploy v2.4.1 as suspect',
  );
  expect(detail.state.triage?.actions?.[0]?.includes('v2.4.0'), 'triage recommends rolling back to v2.4.0');

  step("Alice acknowledges; the detector's cron escalates the P0 to the CEO and VP engineering");
  await producer('POST', `/v1/incidents/${p0.id}/acknowledge`, undefined, as('alice'));
  // wrangler dev's /__scheduled runs the cron at the current time (it ignores a `time`), so the
  // drill sees the P0 policy's immediate escalations; the timed rules (team lead after 30 min,
  // VP after 1 h) are tested with an injected clock in the detector's tests. Twice: once each.
  for (const run of [1, 2]) {
    const response = await fetch(`${urls.detector}/__scheduled?cron=${encodeURIComponent('* * * * *')}`);
    expect(response.ok, `detector cron, run ${run}`);
  }

  step('Root cause, a failed and a successful mitigation, resolution');
  await producer(
    'POST',
    `/v1/incidents/${p0.id}/identify`,
    { rootCause: 'v2.4.1 ships a connection-pool size of 1' },
    as('alice'),
  );
  await producer(
    'POST',
    `/v1/incidents/${p0.id}/status-updates`,
    {
      status: 'identified',
      message: 'We found the cause of checkout errors and are rolling back.',
      visibility: 'public',
    },
    as('alice'),
  );
  const cache = await producer(
    'POST',
    `/v1/incidents/${p0.id}/mitigations`,
    { action: 'clear_cache', description: 'Purge the CDN cache' },
    as('bob'),
  );
  await producer(
    'POST',
    `/v1/incidents/${p0.id}/mitigations/${cache.mitigationId}/result`,
    { outcome: 'failed', message: 'Errors unchanged' },
    as('bob'),
  );
  const rollback = await producer(
    'POST',
    `/v1/incidents/${p0.id}/mitigations`,
    {
      action: 'rollback',
      description: 'Roll back checkout to v2.4.0',
      params: { version: 'v2.4.0' },
    },
    as('bob'),
  );
  await producer(
    'POST',
    `/v1/incidents/${p0.id}/mitigations/${rollback.mitigationId}/result`,
    { outcome: 'succeeded', message: 'Error rate back to 0.2 %' },
    as('bob'),
  );
  await producer(
    'POST',
    `/v1/incidents/${p0.id}/mitigated`,
    { mitigationId: rollback.mitigationId },
    as('bob'),
  );
  await producer(
    'POST',
    `/v1/incidents/${p0.id}/resolve`,
    { resolution: 'Rolled back to v2.4.0; pool size fixed in v2.4.2.' },
    as('alice'),
  );
  await producer('POST', `/v1/incidents/${p1.id}/acknowledge`, undefined, as('carol'));
  await producer(
    'POST',
    `/v1/incidents/${p1.id}/resolve`,
    { resolution: 'Search index rebuilt.' },
    as('carol'),
  );

  step('Postmortem drafted and published; action items added and completed');
  await producer(
    'POST',
    `/v1/incidents/${p0.id}/postmortem`,
    {
      lessonsLearned: [
        'Load-test connection-pool settings before release',
        'Page on error rate within two minutes',
      ],
      acknowledgments: ['alice', 'bob'],
    },
    as('alice'),
  );
  const items = [];
  for (const title of ['Add a pool-size check to CI', 'Alert on pool saturation']) {
    items.push(
      await producer(
        'POST',
        `/v1/incidents/${p0.id}/action-items`,
        { title, kind: 'monitoring', ownerRole: 'senior-engineer' },
        as('alice'),
      ),
    );
  }
  for (const item of items) {
    await producer(
      'POST',
      `/v1/incidents/${p0.id}/action-items/${item.actionItemId}/status`,
      { status: 'completed' },
      as('bob'),
    );
  }
  await producer('POST', `/v1/incidents/${p0.id}/postmortem/publish`, undefined, as('alice'));

  step('What Vigil recorded');
  const timeline = await eventually('the full timeline', async () => {
    const body = await projector(`/v1/incidents/${p0.id}/timeline`);
    const entries = body.entries ?? body.items ?? [];
    return entries.some((entry) => entry.type === 'PostmortemPublished') ? entries : undefined;
  });
  for (const entry of timeline) console.log(`  ${entry.at}  ${entry.summary}`);
  const types = new Set(timeline.map((entry) => entry.type));
  for (const type of [
    'IncidentDetected',
    'IncidentTriaged',
    'IncidentAcknowledged',
    'IncidentEscalated',
    'RootCauseIdentified',
    'StatusUpdatePosted',
    'MitigationAttempted',
    'MitigationResultRecorded',
    'IncidentMitigated',
    'IncidentResolved',
    'PostmortemDrafted',
    'ActionItemAdded',
    'ActionItemStatusChanged',
    'PostmortemPublished',
  ]) {
    expect(types.has(type), `timeline has ${type}`);
  }
  const escalations = timeline.filter((entry) => entry.type === 'IncidentEscalated');
  const escalatedTo = escalations.map((entry) => /Escalated to ([\w-]+)/.exec(entry.summary)?.[1]).sort();
  expect(
    JSON.stringify(escalatedTo) === JSON.stringify(['ceo', 'vp-engineering']),
    `the cron escalated the P0 once each to the CEO and VP engineering (${escalatedTo.join(', ')})`,
  );
  const results = timeline
    .filter((entry) => entry.type === 'MitigationResultRecorded')
    .map((entry) => entry.summary);
  expect(
    results.some((s) => /failed/.test(s)) && results.some((s) => /succeeded/.test(s)),
    'a failed then a successful mitigation',
  );

  step('The postmortem (Markdown)');
  const markdown = await api(urls.projector, 'GET', `/v1/incidents/${p0.id}/postmortem`, undefined, {
    accept: 'text/markdown',
  });
  console.log(
    String(markdown)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n'),
  );
  expect(
    String(markdown).includes('connection-pool size of 1'),
    'the postmortem names the root cause from the events',
  );
  expect(String(markdown).includes('Add a pool-size check to CI'), 'the postmortem lists the action items');

  step('Pages received by the local webhook receiver');
  const lastPage = immediatePages ? 'IncidentResolved' : 'IncidentDetected';
  await eventually(`the ${lastPage} page`, async () =>
    pages.some((page) => JSON.stringify(page.body).includes(lastPage)) ? true : undefined,
  );
  for (const page of pages)
    console.log(
      `  ${page.verified ? 'signed ✓' : 'UNSIGNED'}  ${page.body.type ?? page.body.event?.type ?? JSON.stringify(page.body).slice(0, 80)}`,
    );
  expect(
    pages.length > 0 && pages.every((page) => page.verified),
    `${pages.length} pages, every signature verified`,
  );
  for (const type of immediatePages
    ? ['IncidentDetected', 'IncidentAcknowledged', 'IncidentResolved']
    : ['IncidentDetected']) {
    expect(
      pages.some((page) => JSON.stringify(page.body).includes(type)),
      `a page for ${type}`,
    );
  }

  step('Metrics and targets');
  const figures = await eventually('metrics with both incidents resolved', async () => {
    const body = await projector('/v1/metrics');
    return body.mttr?.count >= 2 ? body : undefined;
  });
  for (const name of ['mttd', 'mtta', 'mtti', 'mttm', 'mttr']) {
    const figure = figures[name];
    console.log(
      `  ${name.toUpperCase()}: mean ${figure?.mean ?? '—'} s, p50 ${figure?.p50 ?? '—'} s, p90 ${figure?.p90 ?? '—'} s (n=${figure?.count ?? 0})`,
    );
    expect(figure && figure.count >= 1, `${name} measured`);
  }
  const compliance = figures.compliance ?? {};
  for (const [target, result] of Object.entries(compliance)) {
    console.log(
      `  ${result.pass === true ? 'PASS' : result.pass === false ? 'FAIL' : 'n/a '}  ${target}: ${JSON.stringify(result)}`,
    );
  }
  expect(Object.keys(compliance).length >= 5, 'compliance reports the runbook targets');
} catch (error) {
  failures.push(error.message);
  console.error(`\n${error.message}`);
} finally {
  receiver.close();
  await stack.stop();
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
}

console.log(
  failures.length === 0
    ? '\ndrill: every expected event, page and figure is there.'
    : `\ndrill: ${failures.length} missing:\n - ${failures.join('\n - ')}`,
);
process.exit(failures.length === 0 ? 0 : 1);
