// Chromium from the Debian package, driven by playwright-core, for the browser tests. Every
// host but 127.0.0.1 resolves to nothing, so a page can only reach the local stack.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const artifactsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
}

/** Saves a full-page screenshot under test-artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Reloads `page` until `probe` holds, or fails with what it last saw after `timeoutMs`. */
export async function reloadUntil(
  page: Page,
  probe: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) {
      const seen = (await page.textContent('body').catch(() => null)) ?? (await page.content());
      throw new Error(`page did not reach the expected state within ${timeoutMs} ms:\n${seen.slice(-2000)}`);
    }
    await new Promise((done) => setTimeout(done, 500));
    await page.reload();
  }
}
