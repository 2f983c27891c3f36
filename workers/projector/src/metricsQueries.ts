import { ALL_SERVICES, metricsReport } from '@vigil/core/projections';
import { MetricRollups, type ServiceScope } from '@vigil/db';
import { RequestError } from '@vigil/http';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor';
import { Instant, SeverityParam } from './incidentQueries';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const MetricsQuery = z
  .object({
    from: Instant.optional(),
    to: Instant.optional(),
    service: z.string().min(1).max(128).describe("one service; '*' (or none) for all services").optional(),
    severity: SeverityParam.optional(),
  })
  .strict();
export type MetricsQuery = z.infer<typeof MetricsQuery>;

export const RollupsQuery = z
  .object({
    period: z.enum(['hour', 'day']),
    from: Instant.optional(),
    to: Instant.optional(),
    service: z
      .string()
      .min(1)
      .max(128)
      .describe("one service's rows; '*' for the all-services rows")
      .optional(),
    severity: SeverityParam.optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type RollupsQuery = z.infer<typeof RollupsQuery>;

/**
 * The window a query means: `to` defaults to the end of the current hour and `from` to 30 days
 * before `to`, so a default window is made of whole hours and days, all served by rollups.
 */
export function metricsWindow(
  query: { from?: string; to?: string },
  now: Date,
): { from: string; to: string } {
  const to = query.to ? Date.parse(query.to) : Math.ceil(now.getTime() / HOUR) * HOUR;
  const from = query.from ? Date.parse(query.from) : to - 30 * DAY;
  if (from >= to) {
    throw new RequestError(400, 'invalid_query', 'The window is empty: from must be before to.', [
      { path: '/from', message: 'must be before to' },
    ]);
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/**
 * `GET /v1/metrics`: MTTD/MTTA/MTTI/MTTM/MTTR, frequency, repeats and compliance over a window.
 * `service=*` means all services, as it does for the rollup rows.
 */
export async function metrics(db: D1Database, query: MetricsQuery, now: Date) {
  const window = metricsWindow(query, now);
  const service = query.service === ALL_SERVICES ? undefined : query.service;
  const scope: ServiceScope = service ? { kind: 'one', service } : { kind: 'all' };
  const partials = await new MetricRollups(db).partials({
    ...window,
    scope,
    ...(query.severity && { severity: query.severity }),
  });
  return {
    ...metricsReport(partials, window),
    service: service ?? null,
    severity: query.severity ?? null,
  };
}

/** `GET /v1/metrics/rollups`: the stored rollup rows of a period, paginated. */
export async function rollups(db: D1Database, query: RollupsQuery, now: Date) {
  const window = metricsWindow(query, now);
  const after = query.cursor ? decodeCursor(query.cursor, ['string', 'string', 'string']) : undefined;
  const { rows, more } = await new MetricRollups(db).list({
    period: query.period,
    ...window,
    ...(query.service && { service: query.service }),
    ...(query.severity && { severity: query.severity }),
    ...(after && { after }),
    limit: query.limit,
  });
  const last = rows.at(-1);
  return {
    ...window,
    period: query.period,
    items: rows.map(({ period, bucket, service, severity, incidents, repeats, digests }) => ({
      period,
      bucket,
      service,
      severity,
      incidents,
      repeats,
      digests,
    })),
    nextCursor: more && last ? encodeCursor([last.bucket, last.service, last.severity]) : null,
  };
}
