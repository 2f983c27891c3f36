import { describe, expect, it } from 'vitest';
import { type NotifierHarness, notifierHarness, receiverBox } from './harness';
import {
  acknowledge,
  addNote,
  changeSeverity,
  detect,
  escalate,
  newIncidentId,
  postUpdate,
  resolve,
} from './incidents';
import { verifyStandardWebhook } from './signature';

const uniqueService = (label: string) => `${label}-${crypto.randomUUID().slice(0, 6)}`;
const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** Wakes the notifier and delivers every job it enqueues, as the queue would. */
async function wakeAndDeliver(h: NotifierHarness) {
  await h.wake();
  const jobs = h.takeJobs();
  const result = jobs.length > 0 ? await h.run(jobs.map((job) => job.body)) : undefined;
  return { jobs, result };
}

describe('Slack incoming webhook', () => {
  it('posts a Block Kit attachment in the severity colour with id, service, status, assignee, triage and links', async () => {
    const h = notifierHarness();
    const slack = receiverBox('slack');
    const service = uniqueService('checkout');
    const channel = await h.channel({ type: 'slack', target: slack.url, services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));

    const { result } = await wakeAndDeliver(h);

    expect(result?.explicitAcks).toHaveLength(1);
    const [request] = await slack.requests();
    expect(request?.headers['content-type']).toBe('application/json');
    const message = JSON.parse(request!.body);
    expect(message.text).toBe(`[P1] ${id} ${service}: Incident detected`);
    const [attachment] = message.attachments;
    expect(attachment.color).toBe('warning');
    const types = attachment.blocks.map((block: { type: string }) => block.type);
    expect(types).toEqual(['header', 'section', 'section', 'section', 'section', 'actions', 'context']);
    const fields = attachment.blocks[2].fields.map((field: { text: string }) => field.text);
    expect(fields).toEqual([
      `*Incident*\n${id}`,
      `*Service*\n${service}`,
      '*Severity*\nP1',
      '*Status*\ntriaged',
      '*Assignee role*\nsenior-engineer',
      '*Category*\ntechnical',
      '*Impact*\n70% of users, revenue impact 7 (high)',
    ]);
    expect(attachment.blocks[4].text.text).toBe(
      '*Runbook actions*\n1. Check error logs\n2. Identify common error patterns\n3. Roll back recent changes if needed\n4. Scale up resources',
    );
    const links = attachment.blocks[5].elements.map((button: { url: string }) => button.url);
    expect(links).toEqual([`http://127.0.0.1:8788/v1/incidents/${id}`, 'http://127.0.0.1:8788/status']);

    const outcomes = await h.outcomes(id);
    expect(outcomes).toEqual([
      expect.objectContaining({
        type: 'NotificationSent',
        channelId: channel.id,
        channelType: 'slack',
        attempt: 1,
        target: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/…$/),
      }),
    ]);
    // The Slack URL is a secret: neither the log nor the delivery table holds it.
    expect(JSON.stringify(outcomes)).not.toContain(slack.url);
    expect(JSON.stringify(await h.deliveries(id))).not.toContain(slack.url);
  });

  it('escapes a headline that holds Slack control sequences, so it cannot ping the channel', async () => {
    const h = notifierHarness();
    const slack = receiverBox('slack-escape');
    const service = uniqueService('escape');
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P2', h.clock.now));
    await h.wake();
    h.takeJobs();
    // Only the escalation is routed to this channel: its headline names the role a responder typed.
    await h.channel({
      type: 'slack',
      target: slack.url,
      services: [service],
      eventTypes: ['IncidentEscalated'],
    });
    await h.execute(id, [escalate(id, h.clock.now, '<!channel> & <https://evil.example|click>')]);
    await wakeAndDeliver(h);
    const [request] = await slack.requests();
    const message = JSON.parse(request!.body);
    for (const text of [message.text, message.attachments[0].fallback]) {
      expect(text).toContain('Escalated to &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    }
  });

  it.each([
    ['P0', 'danger'],
    ['P2', 'good'],
    ['P3', '#439FE0'],
  ] as const)('colours %s as %s', async (severity, colour) => {
    const h = notifierHarness();
    const slack = receiverBox('slack');
    const service = uniqueService('colour');
    await h.channel({ type: 'slack', target: slack.url, services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, severity, h.clock.now));
    await wakeAndDeliver(h);
    const [request] = await slack.requests();
    expect(JSON.parse(request!.body).attachments[0].color).toBe(colour);
  });
});

describe('what a page tells the responder', () => {
  it('names category, impact and the runbook actions, the suspect deploy’s rollback first, on every channel', async () => {
    const h = notifierHarness();
    const slack = receiverBox('brief-slack');
    const pagerDuty = receiverBox('brief-pd');
    const webhook = receiverBox('brief-hook');
    const service = uniqueService('brief');
    await h.channel({ type: 'slack', target: slack.url, services: [service] });
    await h.channel({ type: 'pagerduty', target: pagerDuty.url, secret: 'key-1', services: [service] });
    await h.channel({ type: 'webhook', target: webhook.url, secret: WEBHOOK_SECRET, services: [service] });
    await h.channel({ type: 'email', target: 'oncall@example.com', services: [service] });
    const id = newIncidentId();
    await h.execute(
      id,
      detect(id, service, 'P1', h.clock.now, {
        service,
        version: 'v42',
        previousVersion: 'v41',
        deployedAt: h.clock.now.toISOString(),
      }),
    );
    await wakeAndDeliver(h);

    const actions = [
      `Roll back ${service} to v41`,
      'Check error logs',
      'Identify common error patterns',
      'Roll back recent changes if needed',
      'Scale up resources',
    ];
    const [slackRequest] = await slack.requests();
    const blocks = JSON.parse(slackRequest!.body).attachments[0].blocks;
    expect(blocks[4].text.text).toBe(
      `*Runbook actions*\n${actions.map((action, index) => `${index + 1}. ${action}`).join('\n')}`,
    );
    const [pagerDutyRequest] = await pagerDuty.requests();
    expect(JSON.parse(pagerDutyRequest!.body).payload.custom_details).toMatchObject({
      category: 'technical',
      priority: 4,
      impact: '70% of users, revenue impact 7 (high)',
      expected_resolution: '2 hours',
      runbook_actions: actions,
    });
    const [webhookRequest] = await webhook.requests();
    expect(JSON.parse(webhookRequest!.body).data.incident).toMatchObject({
      category: 'technical',
      impact: { usersAffected: 70, revenueImpact: 7, severity: 'high' },
      suspectDeployment: { version: 'v42', previousVersion: 'v41' },
      runbookActions: actions,
    });
    const mail = parseMime(h.emails[0]!.raw);
    expect(mail.parts[0]?.text).toContain('Category: technical');
    expect(mail.parts[0]?.text).toContain('Impact: 70% of users, revenue impact 7 (high)');
    expect(mail.parts[0]?.text).toContain(
      `Runbook actions:\n${actions.map((action, index) => `${index + 1}. ${action}`).join('\n')}`,
    );
    expect(mail.parts[1]?.text).toContain(`<li>Roll back ${service} to v41</li>`);
  });

  it('leaves the runbook actions out once the incident is resolved', async () => {
    const h = notifierHarness({ repageWindowMs: 0 });
    const slack = receiverBox('brief-resolved');
    const service = uniqueService('brief-resolved');
    await h.channel({ type: 'slack', target: slack.url, services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [resolve(id, h.clock.now, 'rolled back')]);
    await wakeAndDeliver(h);

    const [, resolution] = await slack.requests();
    const text = JSON.stringify(JSON.parse(resolution!.body).attachments[0].blocks);
    expect(text).toContain('*Category*\\ntechnical');
    expect(text).not.toContain('Runbook actions');
  });
});

describe('PagerDuty Events API v2', () => {
  it('triggers on detection, acknowledges and resolves, deduplicated by incident id', async () => {
    const h = notifierHarness();
    const pagerDuty = receiverBox('pagerduty');
    await pagerDuty.script([], { status: 202, body: '{"status":"success","message":"Event processed"}' });
    const service = uniqueService('payments');
    await h.channel({
      type: 'pagerduty',
      target: `${pagerDuty.url}/v2/enqueue`,
      secret: 'R0UTINGKEY0000000000000000000001',
      services: [service],
    });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P0', h.clock.now));
    await wakeAndDeliver(h);
    // Inside the repage window: acknowledge and resolve still go at once, they change the page itself.
    h.advance(60_000);
    await h.execute(id, [acknowledge(id, h.clock.now)]);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [resolve(id, h.clock.now, 'rolled back v42')]);
    await wakeAndDeliver(h);

    const bodies = (await pagerDuty.requests()).map((request) => JSON.parse(request.body));
    expect(bodies.map((body) => body.event_action)).toEqual(['trigger', 'acknowledge', 'resolve']);
    for (const body of bodies) {
      expect(body.dedup_key).toBe(id);
      expect(body.routing_key).toBe('R0UTINGKEY0000000000000000000001');
    }
    expect(bodies[0].payload).toMatchObject({
      severity: 'critical',
      source: service,
      component: service,
      class: 'error_rate',
      // The detector's title starts with the service: it is named once.
      summary: `[P0] ${service}: Error rate 8.0% (threshold 5.0%) — Incident detected`,
      custom_details: { incident_id: id, status: 'triaged' },
    });
    expect(bodies[0].links[0].href).toBe(`http://127.0.0.1:8788/v1/incidents/${id}`);
    expect((await pagerDuty.requests()).every((request) => request.path === '/v2/enqueue')).toBe(true);
    // The routing key is a secret: it is never in the incident's log.
    expect(JSON.stringify(await h.outcomes(id))).not.toContain('R0UTINGKEY');
  });

  it('maps P1 to error, P2 to warning and P3 to info', async () => {
    const h = notifierHarness();
    const pagerDuty = receiverBox('pd-severity');
    const service = uniqueService('pdsev');
    await h.channel({ type: 'pagerduty', target: pagerDuty.url, secret: 'key-1', services: [service] });
    for (const severity of ['P1', 'P2', 'P3'] as const) {
      const id = newIncidentId();
      await h.execute(id, detect(id, service, severity, h.clock.now));
    }
    await wakeAndDeliver(h);
    const severities = (await pagerDuty.requests()).map(
      (request) => JSON.parse(request.body).payload.severity,
    );
    expect(severities.sort()).toEqual(['error', 'info', 'warning']);
  });
});

describe('signed webhook (Standard Webhooks)', () => {
  it('signs id.timestamp.body with the decoded whsec_ secret, and the receiver can verify it', async () => {
    const h = notifierHarness();
    const hook = receiverBox('webhook');
    const service = uniqueService('search');
    await h.channel({ type: 'webhook', target: hook.url, secret: WEBHOOK_SECRET, services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P2', h.clock.now));
    const { jobs } = await wakeAndDeliver(h);

    const [request] = await hook.requests();
    expect(request?.headers['webhook-id']).toBe((jobs[0]!.body as { deliveryId: string }).deliveryId);
    expect(request?.headers['webhook-timestamp']).toBe(String(Math.floor(h.clock.now.getTime() / 1000)));
    expect(request?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(await verifyStandardWebhook(WEBHOOK_SECRET, request!.headers, request!.body)).toBe(true);
    // A tampered body no longer verifies: the signature covers the exact bytes sent.
    expect(await verifyStandardWebhook(WEBHOOK_SECRET, request!.headers, `${request!.body} `)).toBe(false);
    const payload = JSON.parse(request!.body);
    expect(payload).toMatchObject({
      type: 'incident.detected',
      data: {
        incident: { id, service, severity: 'P2', status: 'triaged' },
        events: [{ type: 'IncidentDetected' }],
      },
    });
  });

  it('refuses a secret that is not base64 for good, without sending', async () => {
    const h = notifierHarness();
    const hook = receiverBox('webhook-bad-secret');
    const service = uniqueService('badsecret');
    await h.channel({ type: 'webhook', target: hook.url, secret: 'whsec_not*base64!', services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P2', h.clock.now));
    const { result } = await wakeAndDeliver(h);
    expect(result?.retryMessages).toEqual([]);
    expect(await hook.requests()).toEqual([]);
    expect(await h.outcomes(id)).toEqual([
      expect.objectContaining({
        type: 'NotificationFailed',
        reason: expect.stringContaining('signing secret'),
      }),
    ]);
  });
});

describe('email through send_email', () => {
  it('hands the local binding a well-formed multipart/alternative UTF-8 message', async () => {
    const h = notifierHarness();
    const service = uniqueService('mail');
    await h.channel({ type: 'email', target: 'oncall@example.com', services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await wakeAndDeliver(h);
    h.advance(20 * 60_000);
    await h.execute(id, [
      postUpdate(id, h.clock.now, 'identified', 'Cause trouvée: le déploiement v42 — rollback ✓', 'internal'),
    ]);
    await wakeAndDeliver(h);

    expect(h.emails).toHaveLength(2);
    const mail = parseMime(h.emails[1]!.raw);
    expect(h.emails[1]).toMatchObject({ from: 'vigil@example.com', to: 'oncall@example.com' });
    expect(mail.headers.from).toBe('Vigil <vigil@example.com>');
    expect(mail.headers.to).toBe('<oncall@example.com>');
    expect(mail.headers.subject).toBe(`[P1] ${id} ${service}: Status update: identified (internal)`);
    expect(mail.headers.date).toBe('Sun, 29 Nov 2026 10:20:00 +0000');
    expect(mail.headers['message-id']).toMatch(/^<msg_[0-9a-f]{32}@example\.com>$/);
    expect(mail.headers['mime-version']).toBe('1.0');
    expect(mail.headers.references).toBe(`<${id}@example.com>`);
    expect(mail.headers['content-type']).toMatch(/^multipart\/alternative; boundary="vigil-alt-[0-9a-f]+"$/);
    expect(mail.parts.map((part) => part.type)).toEqual([
      'text/plain; charset=UTF-8',
      'text/html; charset=UTF-8',
    ]);
    expect(mail.parts[0]?.text).toContain('Cause trouvée: le déploiement v42 — rollback ✓');
    expect(mail.parts[0]?.text).toContain(`Incident: ${id}`);
    expect(mail.parts[1]?.text).toContain(`<h2>Incident P1: ${id}</h2>`);
    expect(h.emails[1]!.raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    expect((await h.outcomes(id)).map((outcome) => outcome.type)).toEqual([
      'NotificationSent',
      'NotificationSent',
    ]);
  });
});

describe('external status page (Atlassian Statuspage style)', () => {
  it('creates the incident on the first public update, amends it after, and shows nothing internal', async () => {
    const h = notifierHarness();
    const page = receiverBox('statuspage');
    await page.script([], {
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"id":"sp_inc_1"}',
    });
    const service = uniqueService('storefront');
    await h.channel({
      type: 'statuspage',
      target: `${page.url}/v1/pages/pg1`,
      secret: 'sp-token-123456',
      services: [service],
    });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await h.execute(id, [
      addNote(id, h.clock.now, 'db-primary-3 is swapping, password rotation pending'),
      postUpdate(id, h.clock.now, 'investigating', 'internal: suspect deploy v42 by bob', 'internal'),
      postUpdate(id, h.clock.now, 'investigating', 'We are investigating slow checkouts.', 'public'),
    ]);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [
      changeSeverity(id, h.clock.now, 'P0'),
      postUpdate(id, h.clock.now, 'monitoring', 'A fix is rolling out.', 'public'),
    ]);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [resolve(id, h.clock.now, 'rolled back v42; root cause db-primary-3')]);
    await wakeAndDeliver(h);

    const requests = await page.requests();
    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/pages/pg1/incidents',
      'PATCH /v1/pages/pg1/incidents/sp_inc_1',
      'PATCH /v1/pages/pg1/incidents/sp_inc_1',
    ]);
    expect(requests.every((request) => request.headers.authorization === 'OAuth sp-token-123456')).toBe(true);
    const bodies = requests.map((request) => JSON.parse(request.body).incident);
    expect(bodies[0]).toEqual({
      name: `Service disruption: ${service}`,
      status: 'investigating',
      body: 'We are investigating slow checkouts.',
      impact_override: 'major',
      deliver_notifications: true,
    });
    expect(bodies[1]).toEqual({
      status: 'monitoring',
      body: 'A fix is rolling out.',
      impact_override: 'critical',
    });
    expect(bodies[2]).toEqual({
      status: 'resolved',
      body: 'This incident has been resolved.',
      impact_override: 'critical',
    });
    const everything = requests.map((request) => request.body).join('\n');
    for (const secret of ['db-primary-3', 'bob', 'v42', 'Error rate', 'password', id]) {
      expect(everything).not.toContain(secret);
    }
  });

  it.each([
    ['P2', 'minor'],
    ['P3', 'none'],
  ] as const)('maps %s to impact %s', async (severity, impact) => {
    const h = notifierHarness();
    const page = receiverBox('statuspage-impact');
    await page.script([], { status: 201, body: '{"id":"sp_x"}' });
    const service = uniqueService('impact');
    await h.channel({ type: 'statuspage', target: page.url, services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, severity, h.clock.now));
    await h.execute(id, [postUpdate(id, h.clock.now, 'identified', 'We found the cause.', 'public')]);
    await wakeAndDeliver(h);
    const [request] = await page.requests();
    expect(JSON.parse(request!.body).incident).toMatchObject({
      status: 'identified',
      impact_override: impact,
    });
  });
});

/** A minimal MIME reader for the assertions: headers, then each part's type and decoded text. */
function parseMime(raw: string) {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const boundary = /boundary="([^"]+)"/.exec(headers['content-type'] ?? '')?.[1] ?? '';
  const body = rest.join('\r\n\r\n');
  const parts = body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => {
      const [partHead = '', encoded = ''] = chunk.replace(/^\r\n/, '').split('\r\n\r\n');
      const type = /Content-Type: ([^\r\n]+)/.exec(partHead)?.[1] ?? '';
      const bytes = Uint8Array.from(atob(encoded.replace(/\s+/g, '')), (char) => char.charCodeAt(0));
      return { type, text: new TextDecoder().decode(bytes) };
    });
  return { headers, parts };
}

function decodeWords(value: string): string {
  return value.replace(/=\?UTF-8\?B\?([^?]+)\?=\s*/g, (_, encoded: string) =>
    new TextDecoder().decode(Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0))),
  );
}
