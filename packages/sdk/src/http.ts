import { byteLength } from '@vigil/contracts';
import { SignalsRejectedError, SignalsTooLargeError, type Transport } from './transport';

/** Where the producer listens and the API key (scope `ingest`) to send with. */
export interface HttpTarget {
  /** The producer's origin, e.g. `https://vigil-producer.example.workers.dev`; `/v1/signals` is appended. */
  url: string;
  key: string;
  /** Give up on a request after this long; the signals are retried on the next flush. Default 5,000 ms. */
  timeoutMs?: number;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 5_000;

// The producer's body limit (MAX_BODY_BYTES in packages/http): a body over it would only earn
// a 413, so it is split before it is sent.
const MAX_BODY_BYTES = 1024 * 1024;

// Answers that would be the same on a retry: bad input, a bad or under-scoped key.
const PERMANENT_STATUSES = new Set([400, 401, 403, 404, 415, 422]);

/**
 * Sends signals to `POST {url}/v1/signals` with `Authorization: Bearer {key}`. A 5xx, 408,
 * 429, timeout or network error keeps them for the next flush; a 4xx that would repeat
 * (invalid body, bad key, wrong scope) drops them and counts them as rejected. A body over
 * the producer's 1 MiB, or one answered 413, is sent again in halves; only a signal too
 * large on its own is dropped.
 *
 * @example
 * // wrangler.toml: [vars] VIGIL_URL = "https://vigil-producer.example.workers.dev"
 * // wrangler secret put VIGIL_KEY
 * const vigil = createVigil({
 *   service: 'billing',
 *   transport: http((env: Env) => ({ url: env.VIGIL_URL, key: env.VIGIL_KEY })),
 * });
 */
export function http<Env>(target: HttpTarget | ((env: Env) => HttpTarget)): Transport<Env> {
  return {
    kind: 'http',
    async send(signals, env) {
      const {
        url,
        key,
        timeoutMs = DEFAULT_HTTP_TIMEOUT_MS,
      } = typeof target === 'function' ? target(env) : target;
      const endpoint = new URL('v1/signals', url.endsWith('/') ? url : `${url}/`);
      const body = JSON.stringify({ signals: signals.map((pending) => pending.signal) });
      const bytes = byteLength(body);
      if (bytes > MAX_BODY_BYTES) {
        throw new SignalsTooLargeError(
          `${signals.length} signals are ${bytes} bytes of JSON, over ${MAX_BODY_BYTES}`,
        );
      }
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      const detail = (await response.text()).slice(0, 512);
      if (response.status === 413) {
        throw new SignalsTooLargeError(`Vigil refused ${signals.length} signals with 413: ${detail}`);
      }
      if (PERMANENT_STATUSES.has(response.status)) {
        throw new SignalsRejectedError(`Vigil refused the signals with ${response.status}: ${detail}`);
      }
      throw new Error(`Vigil answered ${response.status}: ${detail}`);
    },
  };
}
