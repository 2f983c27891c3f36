// Drives a host Worker as the runtime would: a fresh ExecutionContext per request, whose
// waitUntil work (the SDK's flushes) is awaited after the response, the way a test can.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import type { FetchHandler } from '../src/index';

/** One request, then its waitUntil work. A thrown error is returned, not thrown. */
export async function request(
  host: FetchHandler<Env>,
  path: string,
): Promise<Response | { thrown: unknown }> {
  const ctx = createExecutionContext();
  try {
    return await host.fetch(new Request(`https://orders.example${path}`), env, ctx);
  } catch (thrown) {
    return { thrown };
  } finally {
    await waitOnExecutionContext(ctx);
  }
}

/** Workers' clock only moves across I/O; tests set it. Fakes `Date` alone, so I/O timers stay real. */
export function clockAt(iso: string): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse(iso));
}
