import { z } from 'zod';
import { HISTOGRAM_BUCKETS } from './latencyHistogram';

/** A service name as Workers name themselves: letters, digits and . _ : / - */
export const ServiceName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'letters, digits and . _ : / - only');

// What `toISOString` writes, as the SDK and Vigil itself send: already in the stored form.
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// Runs after a failed check too: an invalid value is left as it is for the error to name.
const toUtc = (value: string) =>
  CANONICAL_UTC.test(value) || Number.isNaN(Date.parse(value)) ? value : new Date(value).toISOString();

/**
 * An ISO-8601 instant with a zone (`Z`, `+02:00`, or `+0200` as PagerDuty's own examples
 * write it), normalized to UTC (`2026-11-29T08:00:00.000Z`): stored instants then sort and
 * compare as text, and a deploy sent with an offset is found before a breach sent in UTC.
 */
export const Timestamp = z
  .string()
  .overwrite((value) => value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  .pipe(z.iso.datetime({ offset: true }))
  .overwrite(toUtc)
  // An offset can carry an instant past year 9999 (or before 0000), which toISOString writes with
  // a six-digit year that no ISO-8601 check, ours included, takes back.
  .refine((value) => !/^[+-]/.test(value), 'an instant between the years 0000 and 9999 in UTC');

const AttributeRecord = z.record(
  z.string().max(128),
  z.union([z.string().max(2048), z.number(), z.boolean()]),
);
// A signal travels in one queue message of at most 128 KB: attributes are bounded as a whole too.
const MAX_ATTRIBUTES_CHARS = 32 * 1024;
const Attributes = AttributeRecord.refine(
  (attributes) => JSON.stringify(attributes).length <= MAX_ATTRIBUTES_CHARS,
  `at most ${MAX_ATTRIBUTES_CHARS} characters of attributes as JSON`,
);

export const LatencySummary = z.union(
  [
    z.object({ p95: z.number().nonnegative().max(3_600_000) }).strict(),
    z
      .object({
        histogram: z.array(z.number().int().nonnegative()).max(HISTOGRAM_BUCKETS),
      })
      .strict(),
  ],
  { error: `expected {"p95": milliseconds} or {"histogram": [up to ${HISTOGRAM_BUCKETS} counts]}` },
);

/** A snapshot of one window of a service's traffic. */
export const MetricsSignal = z
  .object({
    type: z.literal('metrics'),
    service: ServiceName,
    at: Timestamp,
    windowSeconds: z.number().int().min(1).max(3600),
    requests: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
    latencyMs: LatencySummary,
    availability: z.number().min(0).max(100).optional(),
    routeGroup: z.string().min(1).max(128).optional(),
  })
  .strict()
  .refine((signal) => signal.errors <= signal.requests, {
    message: 'errors cannot exceed requests',
    path: ['errors'],
  });

export const DeploymentSignal = z
  .object({
    type: z.literal('deployment'),
    service: ServiceName,
    at: Timestamp,
    version: z.string().min(1).max(128),
    commit: z.string().min(1).max(128).optional(),
    author: z.string().min(1).max(256).optional(),
  })
  .strict();

export const EventSignal = z
  .object({
    type: z.enum(['error', 'security']),
    service: ServiceName,
    at: Timestamp,
    summary: z.string().min(1).max(1024),
    attributes: Attributes.optional(),
  })
  .strict();

/** One signal a production Worker sends; its `type` picks the schema, so errors name the field. */
export const Signal = z.discriminatedUnion('type', [MetricsSignal, DeploymentSignal, EventSignal]);
export type Signal = z.infer<typeof Signal>;
export type MetricsSignal = z.infer<typeof MetricsSignal>;
export type DeploymentSignal = z.infer<typeof DeploymentSignal>;
export type EventSignal = z.infer<typeof EventSignal>;

export const MAX_SIGNALS_PER_REQUEST = 1000;

/** `POST /v1/signals` body. */
export const SignalBatch = z
  .object({
    signals: z.array(Signal).min(1).max(MAX_SIGNALS_PER_REQUEST),
  })
  .strict();
export type SignalBatch = z.infer<typeof SignalBatch>;

export const Severity = z.enum(['P0', 'P1', 'P2', 'P3']);
export type Severity = z.infer<typeof Severity>;

/** An alert from a PagerDuty-compatible sender or Alertmanager, normalized by the producer. */
export const AlertSignal = z
  .object({
    type: z.literal('alert'),
    source: z.enum(['pagerduty', 'alertmanager']),
    action: z.enum(['trigger', 'acknowledge', 'resolve']),
    dedupKey: z.string().min(1).max(255),
    service: ServiceName,
    at: Timestamp,
    summary: z.string().max(1024),
    severity: Severity,
    details: z.record(z.string(), z.unknown()).optional(),
    /**
     * The ingest key the alert came through: a dedup key is scoped to it, as PagerDuty scopes
     * dedup keys to an integration (absent from older producers).
     */
    integration: z.string().min(1).max(128).optional(),
  })
  .strict();
export type AlertSignal = z.infer<typeof AlertSignal>;

// The whole-attributes bound is the producer's, at ingest: the queue also carries what SDKs from
// before it send straight to it, and refusing one of those would dead-letter every signal packed
// with it.
const QueuedEventSignal = EventSignal.extend({ attributes: AttributeRecord.optional() });

/** Everything the detector can be sent: what producers accept, normalized. */
export const IngestedSignal = z.discriminatedUnion('type', [
  MetricsSignal,
  DeploymentSignal,
  QueuedEventSignal,
  AlertSignal,
]);
export type IngestedSignal = z.infer<typeof IngestedSignal>;
