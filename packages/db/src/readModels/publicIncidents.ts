import {
  type ComponentStatus,
  type ImpactPeriod,
  type PublicIncident,
  worstComponentStatus,
} from '@vigil/core/projections';
import { jsonArrays } from '../jsonArrays';
import { utc } from './metricFacts';

const UPSERT = `INSERT INTO public_incidents (id, service, status, component_status, started_at, resolved_at,
  postmortem_published_at, version, model)
SELECT m.value ->> 'id', m.value ->> 'service', m.value ->> 'status', m.value ->> 'componentStatus',
  m.value ->> 'startedAt', m.value ->> 'resolvedAt', m.value ->> 'postmortemPublishedAt', m.value ->> 'version', m.value -> 'model'
FROM json_each(?1) AS m WHERE true
ON CONFLICT (id) DO UPDATE SET service = excluded.service, status = excluded.status,
  component_status = excluded.component_status, started_at = excluded.started_at, resolved_at = excluded.resolved_at,
  postmortem_published_at = excluded.postmortem_published_at, version = excluded.version, model = excluded.model
WHERE excluded.version > public_incidents.version`;

// Periods only grow at the end and the last one may close, so an upsert by ordinal is enough.
const UPSERT_PERIODS = `INSERT INTO impact_periods (incident_id, ordinal, service, status, started_at, ended_at)
SELECT p.value ->> 'incidentId', p.value ->> 'ordinal', p.value ->> 'service', p.value ->> 'status',
  p.value ->> 'from', p.value ->> 'to'
FROM json_each(?1) AS p WHERE true
ON CONFLICT (incident_id, ordinal) DO UPDATE SET status = excluded.status, started_at = excluded.started_at,
  ended_at = excluded.ended_at`;

const UPSERT_COMPONENTS = `INSERT INTO service_components (service, status, active_incidents, updated_at)
SELECT c.value ->> 'service', c.value ->> 'status', c.value ->> 'activeIncidents', c.value ->> 'updatedAt'
FROM json_each(?1) AS c WHERE true
ON CONFLICT (service) DO UPDATE SET status = excluded.status, active_incidents = excluded.active_incidents,
  updated_at = max(service_components.updated_at, excluded.updated_at)`;

/**
 * The impact periods not ended before ?1. Sorted by the caller: with an ORDER BY here SQLite
 * walks every period in service order rather than seek the few recent ones by `ended_at`.
 */
export const IMPACT_PERIODS_SINCE = `SELECT service, status, started_at, ended_at FROM impact_periods
WHERE ended_at IS NULL OR ended_at >= ?1`;

/**
 * Services with incidents, and services that report metrics but never had one (operational).
 * The services reporting metrics are found by skipping through the buckets' primary key, one
 * seek per service, instead of reading every bucket of the retention window.
 */
export const COMPONENTS = `WITH RECURSIVE reporting(service) AS (
  SELECT MIN(service) FROM metric_buckets
  UNION ALL SELECT (SELECT MIN(service) FROM metric_buckets WHERE service > reporting.service)
  FROM reporting WHERE reporting.service IS NOT NULL
)
SELECT service, status, active_incidents, updated_at FROM service_components
UNION SELECT service, 'operational', 0, NULL FROM reporting
  WHERE service IS NOT NULL AND service NOT IN (SELECT service FROM service_components)
ORDER BY service`;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A service as the status page lists it. */
export type ServiceComponent = {
  readonly service: string;
  readonly status: ComponentStatus;
  readonly activeIncidents: number;
  readonly updatedAt: string | null;
};

/**
 * The status page's read models: public incidents, their impact periods (for uptime) and one
 * component per service whose status is the worst effect of its unresolved incidents.
 *
 * @example
 * const components = await new PublicIncidents(db).components();
 */
export class PublicIncidents {
  constructor(private readonly db: D1Database) {}

  async load(ids: readonly string[]): Promise<Map<string, PublicIncident>> {
    const models = new Map<string, PublicIncident>();
    if (ids.length === 0) return models;
    const { results } = await this.db
      .prepare('SELECT id, model FROM public_incidents WHERE id IN (SELECT value FROM json_each(?))')
      .bind(JSON.stringify(ids))
      .all<{ id: string; model: string }>();
    for (const row of results) models.set(row.id, JSON.parse(row.model));
    return models;
  }

  /**
   * Statements that store changed models and recompute the components of their services.
   * The other unresolved incidents of those services are read first; the checkpoint's
   * compare-and-set in the same batch guarantees nothing changed them in between.
   */
  async writeStatements(changed: readonly PublicIncident[]): Promise<D1PreparedStatement[]> {
    if (changed.length === 0) return [];
    const services = [...new Set(changed.map((model) => model.service))];
    const { results } = await this.db
      .prepare(
        `SELECT id, service, component_status FROM public_incidents
         WHERE resolved_at IS NULL AND service IN (SELECT value FROM json_each(?))`,
      )
      .bind(JSON.stringify(services))
      .all<{ id: string; service: string; component_status: ComponentStatus }>();
    const changedIds = new Set(changed.map((model) => model.id));
    const components = services.map((service) => {
      const unresolved = [
        ...results
          .filter((row) => row.service === service && !changedIds.has(row.id))
          .map((row) => row.component_status),
        ...changed
          .filter((model) => model.service === service && model.resolvedAt === null)
          .map((model) => model.componentStatus),
      ];
      const updatedAt = changed
        .filter((model) => model.service === service)
        .map((model) => utc(model.updatedAt))
        .sort()
        .at(-1)!;
      return {
        service,
        status: worstComponentStatus(unresolved),
        activeIncidents: unresolved.length,
        updatedAt,
      };
    });
    const periods = changed.flatMap((model) =>
      model.impactPeriods.map((period, ordinal) => ({
        incidentId: model.id,
        ordinal,
        service: model.service,
        status: period.status,
        from: utc(period.from),
        to: period.to === null ? null : utc(period.to),
      })),
    );
    const rows = changed.map((model) => ({
      id: model.id,
      service: model.service,
      status: model.status,
      componentStatus: model.componentStatus,
      startedAt: utc(model.startedAt),
      resolvedAt: model.resolvedAt === null ? null : utc(model.resolvedAt),
      postmortemPublishedAt: model.postmortemPublishedAt === null ? null : utc(model.postmortemPublishedAt),
      version: model.version,
      model,
    }));
    return [
      ...jsonArrays(rows).map((chunk) => this.db.prepare(UPSERT).bind(chunk)),
      ...jsonArrays(periods).map((chunk) => this.db.prepare(UPSERT_PERIODS).bind(chunk)),
      ...jsonArrays(components).map((chunk) => this.db.prepare(UPSERT_COMPONENTS).bind(chunk)),
    ];
  }

  /**
   * Every component: services with incidents, and services that report metrics but never had
   * one (operational), ordered by name.
   */
  async components(): Promise<ServiceComponent[]> {
    const { results } = await this.db.prepare(COMPONENTS).all<{
      service: string;
      status: ComponentStatus;
      active_incidents: number;
      updated_at: string | null;
    }>();
    return results.map((row) => ({
      service: row.service,
      status: row.status,
      activeIncidents: row.active_incidents,
      updatedAt: row.updated_at,
    }));
  }

  /** Unresolved incidents, newest first. */
  async active(): Promise<PublicIncident[]> {
    const { results } = await this.db
      .prepare(
        'SELECT model FROM public_incidents WHERE resolved_at IS NULL ORDER BY started_at DESC, id DESC',
      )
      .all<{ model: string }>();
    return results.map((row) => JSON.parse(row.model));
  }

  /** Incidents resolved at or after `since`, newest first. */
  async resolvedSince(since: string, limit = 50): Promise<PublicIncident[]> {
    const { results } = await this.db
      .prepare(
        'SELECT model FROM public_incidents WHERE resolved_at >= ? ORDER BY resolved_at DESC, id DESC LIMIT ?',
      )
      .bind(utc(since), limit)
      .all<{ model: string }>();
    return results.map((row) => JSON.parse(row.model));
  }

  async get(id: string): Promise<PublicIncident | null> {
    const row = await this.db
      .prepare('SELECT model FROM public_incidents WHERE id = ?')
      .bind(id)
      .first<{ model: string }>();
    return row ? JSON.parse(row.model) : null;
  }

  /** Impact periods of every service that overlap `[since, now]`, by service. */
  async impactPeriodsSince(since: string): Promise<Map<string, ImpactPeriod[]>> {
    const { results } = await this.db.prepare(IMPACT_PERIODS_SINCE).bind(utc(since)).all<{
      service: string;
      status: ImpactPeriod['status'];
      started_at: string;
      ended_at: string | null;
    }>();
    const byService = new Map<string, ImpactPeriod[]>();
    const ordered = [...results].sort(
      (a, b) => compare(a.service, b.service) || compare(a.started_at, b.started_at),
    );
    for (const row of ordered) {
      const periods = byService.get(row.service) ?? [];
      periods.push({ status: row.status, from: row.started_at, to: row.ended_at });
      byService.set(row.service, periods);
    }
    return byService;
  }
}
