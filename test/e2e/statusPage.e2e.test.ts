import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, reloadUntil, screenshot } from './browser';
import { authed, eventually, type Stack, startTestStack } from './stack';

let stack: Stack;
let browser: Browser;
let page: Page;

// One-minute windows and auto-resolve one minute after mitigation, so an incident can open,
// recover and resolve from a handful of samples.
beforeAll(async () => {
  stack = await startTestStack({
    vars: { DETECTION_WINDOW_MINUTES: '1', DETECTION_AUTO_RESOLVE_MINUTES: '1' },
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const sample = (minutes: number, errors: number) => ({
  type: 'metrics',
  service: 'checkout',
  at: minutesFromNow(minutes),
  windowSeconds: 60,
  requests: 1000,
  errors,
  latencyMs: { p95: 250 },
});

async function send(...signals: ReturnType<typeof sample>[]) {
  const response = await fetch(
    `${stack.urls.producer}/v1/signals`,
    authed(stack.key, { method: 'POST', body: JSON.stringify({ signals }) }),
  );
  expect(response.status).toBe(202);
}

// `$` does not wait for the element, so a probe answers at once on a page without it.
const componentStatus = async () =>
  (await (await page.$('[data-component="checkout"]'))?.getAttribute('data-status')) ?? null;

describe('public status page in a browser', () => {
  it('shows checkout going from operational to major outage and back as an incident opens and resolves', async () => {
    await send(sample(-10, 1), sample(-9, 2));
    await page.goto(`${stack.urls.projector}/status`);
    await reloadUntil(page, async () => (await componentStatus()) === 'operational');
    expect(await page.textContent('[data-component="checkout"] .status')).toBe('Operational');
    expect(await page.getAttribute('.banner', 'data-indicator')).toBe('none');
    await screenshot(page, 'status-page-operational');

    // 30 % errors is past the P0 rung of the error-rate ladder (10 %).
    await send(sample(-8, 300), sample(-7, 300));
    await reloadUntil(page, async () => (await componentStatus()) === 'major_outage');
    expect(await page.textContent('[data-component="checkout"] .status')).toBe('Major outage');
    expect(await page.textContent('.banner')).toBe('Major System Outage');
    expect(await page.textContent('.incident h3')).toBe('Elevated error rates on checkout');
    expect(await page.textContent('.incident .updates')).toContain(
      'We are investigating elevated error rates on checkout.',
    );
    await screenshot(page, 'status-page-major-outage');

    const summary = (await (await fetch(`${stack.urls.projector}/status.json`)).json()) as {
      components: { id: string; status: string }[];
      incidents: { impact: string; status: string }[];
      status: { indicator: string };
    };
    expect(summary.status.indicator).toBe('critical');
    expect(summary.incidents).toEqual([
      expect.objectContaining({ impact: 'critical', status: 'investigating' }),
    ]);

    // Two healthy minutes mitigate it; a healthy minute after the quiet time resolves it.
    await send(sample(-6, 1), sample(-5, 1));
    await reloadUntil(page, async () => (await componentStatus()) === 'operational');
    await send(sample(2, 1));
    await reloadUntil(page, async () => (await page.$('[data-incident][data-status="resolved"]')) !== null);
    expect(await componentStatus()).toBe('operational');
    expect(await page.getAttribute('.banner', 'data-indicator')).toBe('none');
    expect(await page.textContent('[data-status="resolved"] .updates')).toContain(
      'This incident has been resolved.',
    );
    await screenshot(page, 'status-page-resolved');

    const incidents = await eventually(async () => {
      const response = await fetch(
        `${stack.urls.projector}/v1/incidents?service=checkout`,
        authed(stack.key),
      );
      const body = (await response.json()) as { items: { status: string; severity: string }[] };
      return body.items[0]?.status === 'resolved' ? body.items : undefined;
    });
    expect(incidents).toEqual([expect.objectContaining({ severity: 'P0', status: 'resolved' })]);
  });
});
