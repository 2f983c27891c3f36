import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser';
import { authed, eventually, type Stack, startTestStack } from './stack';

let stack: Stack;
let browser: Browser;
let page: Page;
let incidentId: string;
const policyViolations: string[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  // The pages' Content-Security-Policy must let their own script and styles through.
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) policyViolations.push(message.text());
  });
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  // p95 of 2,600 ms is past the runbook's 2,000 ms P1 rung: a P1 response-time incident.
  const slow = (at: string) => ({
    type: 'metrics',
    service: 'search',
    at,
    windowSeconds: 60,
    requests: 500,
    errors: 0,
    latencyMs: { p95: 2600 },
  });
  const accepted = await fetch(
    `${stack.urls.producer}/v1/signals`,
    authed(stack.key, {
      method: 'POST',
      body: JSON.stringify({ signals: [slow(minutesAgo(2)), slow(minutesAgo(1))] }),
    }),
  );
  expect(accepted.status).toBe(202);
  incidentId = await eventually(async () => {
    const response = await fetch(`${stack.urls.projector}/v1/incidents?service=search`, authed(stack.key));
    const body = (await response.json()) as { items: { id: string }[] };
    return body.items[0]?.id;
  });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('dashboard in a browser', () => {
  it('refuses an unknown key and keeps the sign-in form', async () => {
    await page.goto(`${stack.urls.projector}/`);
    await page.fill('#key', 'vgl_not_a_key');
    await page.click('#signin button[type=submit]');
    await page.waitForSelector('#message:has-text("unknown or revoked")');
    expect(await page.isVisible('#signin')).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('vigil.readKey'))).toBeNull();
  });

  it('signs in, lists the incident, renders its timeline and the charts', async () => {
    await page.fill('#key', stack.key);
    await page.click('#signin button[type=submit]');
    await page.waitForSelector('#open-incidents');
    expect(await page.isVisible('#signin')).toBe(false);
    expect(await page.textContent('[data-severity="P1"] strong')).toBe('1');
    const row = page.locator(`#open-incidents a[data-incident="${incidentId}"]`);
    expect(await row.textContent()).toMatch(/search: p95 response time 2600 ms/);

    await row.click();
    await page.waitForSelector(`#timeline[data-incident="${incidentId}"]`);
    const entries = await page.locator('#timeline li').allTextContents();
    expect(entries[0]).toMatch(/P1 response_time incident detected on search/);
    expect(entries[1]).toMatch(/Triaged: technical, priority \d+, owner senior-engineer/);

    const bars = page.locator('[data-chart="Incidents per week by service"] rect title');
    expect(await bars.allTextContents()).toContain(`search, week of ${weekLabel()}: 1`);
    expect(await page.isVisible('[data-chart="MTTA and MTTR per week"]')).toBe(true);
    await screenshot(page, 'dashboard');

    // The key lives for the tab: a reload stays signed in, with the incident still selected.
    await page.reload();
    await page.waitForSelector(`#timeline[data-incident="${incidentId}"]`);
    expect(await page.evaluate(() => sessionStorage.getItem('vigil.readKey'))).toBe(stack.key);
    expect(policyViolations).toEqual([]);
  });

  it('says so when the dashboard cannot load while signed in, instead of a blank page', async () => {
    await page.route('**/v1/dashboard**', (route) => route.fulfill({ status: 503, body: '' }));
    await page.reload();
    await page.waitForSelector('#message:has-text("could not load (503)")');
    expect(await page.isVisible('#message')).toBe(true);
    await page.unroute('**/v1/dashboard**');
  });
});

// The dashboard labels weeks by their Monday (MM-DD, UTC).
function weekLabel() {
  const now = new Date();
  const monday = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)),
  );
  return monday.toISOString().slice(5, 10);
}
