/**
 * How one attempt to deliver ended. A transient failure (timeout, connection error, 408, 420,
 * 425, 429, 5xx) may succeed later; a permanent one (any other 4xx, a bad secret) never will.
 */
export type SendOutcome =
  | { ok: true; detail: string }
  | { ok: false; transient: boolean; reason: string; retryAfterSeconds?: number };

// 420 is Statuspage's (and Twitter's old) "enhance your calm" rate limit.
const TRANSIENT_CLIENT_STATUSES = new Set([408, 420, 425, 429]);

/**
 * Judges an HTTP answer: 2xx is delivered, the rate limits and 5xx are transient (with the
 * receiver's Retry-After when it gave one), any other status is permanent.
 *
 * @example
 * await outcomeOf(new Response('busy', { status: 429, headers: { 'retry-after': '7' } }), now);
 * // { ok: false, transient: true, reason: 'HTTP 429: busy', retryAfterSeconds: 7 }
 */
export async function outcomeOf(response: Response, now: Date): Promise<SendOutcome> {
  const text = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 160);
  const label = `HTTP ${response.status}${text ? `: ${text}` : ''}`;
  if (response.ok) return { ok: true, detail: label };
  const transient = response.status >= 500 || TRANSIENT_CLIENT_STATUSES.has(response.status);
  const retryAfterSeconds = transient ? parseRetryAfter(response.headers.get('retry-after'), now) : undefined;
  return {
    ok: false,
    transient,
    reason: label,
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
  };
}

/**
 * Retry-After as seconds from now: either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 *
 * @example
 * parseRetryAfter('120', now); // 120
 */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/**
 * POSTs (or PATCHes) JSON with a bounded time: past `timeoutMs` the call is abandoned and
 * counts as a transient failure, so a slow receiver costs one attempt, never the whole batch.
 */
export async function sendJson(
  url: string,
  init: { method?: 'POST' | 'PATCH'; headers?: Record<string, string>; body: string },
  timeoutMs: number,
  now: Date,
): Promise<{ outcome: SendOutcome; json: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Vigil-Notifier/0.1', ...init.headers },
      body: init.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { outcome: networkFailure(error, timeoutMs), json: undefined };
  }
  if (!response.ok) return { outcome: await outcomeOf(response, now), json: undefined };
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { outcome: { ok: true, detail: `HTTP ${response.status}` }, json };
}

function networkFailure(error: unknown, timeoutMs: number): SendOutcome {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return { ok: false, transient: true, reason: `timed out after ${timeoutMs} ms` };
  }
  // The error text is kept short and never carries the URL: a Slack URL is itself a secret.
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, transient: true, reason: `connection failed: ${message.slice(0, 120)}` };
}
