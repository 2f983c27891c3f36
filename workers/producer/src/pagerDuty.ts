import {
  type AlertSignal,
  PagerDutyChangeEvent,
  PagerDutyEvent,
  pagerDutyAnswers,
  severityFromAlert,
  toServiceName,
} from '@vigil/contracts';
import { type ApiKey, ApiKeys } from '@vigil/db';
import { RequestError, readText } from '@vigil/http';
import type { z } from 'zod';
import { boundedDetails } from './alertDetails';
import { enqueueSignals } from './ingest';

// PagerDuty's own limit on an event's size.
const MAX_EVENT_BYTES = 512 * 1024;

/** PagerDuty answers in its own shape on its endpoints, never with problem details. */
const answer = (status: number, body: unknown) => Response.json(body, { status });

async function parseEvent<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<{ event: z.infer<S> } | { refusal: Response }> {
  let text: string;
  try {
    text = await readText(request, { maxBytes: MAX_EVENT_BYTES, contentType: 'application/json' });
  } catch (error) {
    const status = error instanceof RequestError && error.status === 413 ? 413 : 400;
    return { refusal: answer(status, pagerDutyAnswers.invalid([(error as Error).message])) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { refusal: answer(400, pagerDutyAnswers.invalid(['Event object is not valid JSON'])) };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`);
    return { refusal: answer(400, pagerDutyAnswers.invalid(errors)) };
  }
  return { event: parsed.data };
}

/**
 * The routing key is the credential: any live key with the ingest (or admin) scope, within
 * PagerDuty's rate of 120 events a minute per routing key.
 */
async function admit(env: Env, routingKey: string): Promise<{ key: ApiKey } | { refusal: Response }> {
  const key = await new ApiKeys(env.DB).authenticate(routingKey);
  if (!key || !(key.scopes.includes('ingest') || key.scopes.includes('admin'))) {
    return { refusal: answer(400, pagerDutyAnswers.invalid(['Invalid routing key'])) };
  }
  const { success } = await env.PAGERDUTY_RATE_LIMIT.limit({ key: key.id });
  return success ? { key } : { refusal: answer(429, pagerDutyAnswers.throttled()) };
}

function newDedupKey(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * `POST /v2/enqueue`, PagerDuty Events API v2. The service is the key's service when the key
 * is restricted to one (like a PagerDuty service integration), else the payload's component
 * or source. Senders such as Alertmanager send no timestamp: the receive time stands in.
 */
export async function enqueuePagerDutyEvent(request: Request, env: Env, now = new Date()): Promise<Response> {
  const parsed = await parseEvent(request, PagerDutyEvent);
  if ('refusal' in parsed) return parsed.refusal;
  const { event } = parsed;
  const owner = await admit(env, event.routing_key);
  if ('refusal' in owner) return owner.refusal;
  const { key } = owner;

  const dedupKey = event.dedup_key ?? newDedupKey();
  const payload = event.payload ?? {};
  const signal: AlertSignal = {
    type: 'alert',
    source: 'pagerduty',
    action: event.event_action,
    dedupKey,
    integration: key.id,
    service: key.service ?? toServiceName(payload.component || payload.source),
    at: payload.timestamp ?? now.toISOString(),
    summary: payload.summary ?? '',
    severity: severityFromAlert(payload.severity),
    details: boundedDetails({
      ...(payload.source !== undefined && { source: payload.source }),
      ...(payload.group !== undefined && { group: payload.group }),
      ...(payload.class !== undefined && { class: payload.class }),
      ...(payload.custom_details !== undefined && { customDetails: payload.custom_details }),
      ...(event.links !== undefined && { links: event.links }),
      ...(event.images !== undefined && { images: event.images }),
      ...(event.client !== undefined && { client: event.client, clientUrl: event.client_url }),
    }),
  };
  await enqueueSignals(env.SIGNALS, [signal], now);
  return answer(202, pagerDutyAnswers.accepted(dedupKey));
}

/** `POST /v2/change/enqueue`: a change event, recorded as a deployment of the service. */
export async function enqueuePagerDutyChange(
  request: Request,
  env: Env,
  now = new Date(),
): Promise<Response> {
  const parsed = await parseEvent(request, PagerDutyChangeEvent);
  if ('refusal' in parsed) return parsed.refusal;
  const { event } = parsed;
  const owner = await admit(env, event.routing_key);
  if ('refusal' in owner) return owner.refusal;
  const { key } = owner;
  await enqueueSignals(
    env.SIGNALS,
    [
      {
        type: 'deployment',
        service: key.service ?? toServiceName(event.payload.source),
        at: event.payload.timestamp ?? now.toISOString(),
        version: event.payload.summary.slice(0, 128),
      },
    ],
    now,
  );
  return answer(202, pagerDutyAnswers.changeAccepted());
}
