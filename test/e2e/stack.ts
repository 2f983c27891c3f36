// The local stack for end-to-end tests: started the way `npm start` starts it, on free
// ports and in a fresh state folder, so it runs beside a developer's own `npm start`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../../scripts/stack.mjs';

export interface Stack {
  urls: Record<'producer' | 'detector' | 'notifier' | 'projector', string>;
  key: string;
  persistTo: string;
  stop: () => Promise<void>;
}

export async function startTestStack(options: { vars?: Record<string, string> } = {}): Promise<Stack> {
  const persistTo = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const stack: Stack = await startStack({ persistTo, key: undefined, vars: options.vars ?? {} });
  return {
    ...stack,
    stop: async () => {
      await stack.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

export function authed(key: string, init: RequestInit = {}): RequestInit {
  return {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  };
}
