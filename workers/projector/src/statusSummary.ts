import {
  type ComponentStatus,
  type PublicIncident,
  statusIndicator,
  type UptimeBar,
  uptimeBars,
  worstComponentStatus,
} from '@vigil/core/projections';
import { PublicIncidents, type ServiceComponent } from '@vigil/db';

const DAY = 86_400_000;
export const UPTIME_DAYS = 90;
export const RESOLVED_SHOWN_DAYS = 14;

/**
 * Everything the public status page shows, read from the status read models: components with
 * their 90-day uptime bars, the unresolved incidents and those resolved in the last 14 days.
 */
export type StatusSnapshot = {
  readonly now: string;
  readonly status: ReturnType<typeof statusIndicator> & { readonly worst: ComponentStatus };
  readonly components: readonly (ServiceComponent & {
    readonly uptime: readonly UptimeBar[];
    readonly uptimeRatio: number;
  })[];
  readonly active: readonly PublicIncident[];
  readonly resolved: readonly PublicIncident[];
};

export async function statusSnapshot(db: D1Database, now: Date): Promise<StatusSnapshot> {
  const store = new PublicIncidents(db);
  const since = new Date(now.getTime() - UPTIME_DAYS * DAY).toISOString();
  const [components, active, resolved, periods] = await Promise.all([
    store.components(),
    store.active(),
    store.resolvedSince(new Date(now.getTime() - RESOLVED_SHOWN_DAYS * DAY).toISOString()),
    store.impactPeriodsSince(since),
  ]);
  const worst = worstComponentStatus(components.map((component) => component.status));
  return {
    now: now.toISOString(),
    status: { ...statusIndicator(worst), worst },
    components: components.map((component) => {
      const uptime = uptimeBars(periods.get(component.service) ?? [], {
        days: UPTIME_DAYS,
        now: now.toISOString(),
      });
      const down = uptime.reduce((sum, bar) => sum + bar.outageSeconds, 0);
      return { ...component, uptime, uptimeRatio: 1 - down / (UPTIME_DAYS * 86_400) };
    }),
    active,
    resolved,
  };
}

/**
 * The snapshot in the shape of Statuspage's `GET /api/v2/summary.json`: page, components,
 * unresolved incidents with their updates, scheduled maintenances and the status indicator.
 */
export function statuspageSummary(snapshot: StatusSnapshot, page: { name: string; url: string }) {
  const pageId = 'vigil';
  const latest = [
    ...snapshot.components.map((c) => c.updatedAt ?? ''),
    ...snapshot.active.map((i) => i.updatedAt),
  ]
    .filter(Boolean)
    .sort()
    .at(-1);
  const components = snapshot.components.map((component, index) => ({
    id: component.service,
    name: component.service,
    status: component.status,
    created_at: component.updatedAt ?? snapshot.now,
    updated_at: component.updatedAt ?? snapshot.now,
    position: index + 1,
    description: null,
    showcase: true,
    start_date: null,
    group_id: null,
    page_id: pageId,
    group: false,
    only_show_if_degraded: false,
  }));
  return {
    page: {
      id: pageId,
      name: page.name,
      url: page.url,
      time_zone: 'Etc/UTC',
      updated_at: latest ?? snapshot.now,
    },
    components,
    incidents: snapshot.active.map((incident) => {
      const affected = components.filter((component) => component.id === incident.service);
      return {
        id: incident.id,
        name: incident.name,
        status: incident.status,
        created_at: incident.createdAt,
        updated_at: incident.updatedAt,
        monitoring_at: [...incident.updates].reverse().find((u) => u.status === 'monitoring')?.at ?? null,
        resolved_at: incident.resolvedAt,
        impact: incident.impact,
        shortlink: `${page.url}#${incident.id}`,
        started_at: incident.startedAt,
        page_id: pageId,
        incident_updates: [...incident.updates].reverse().map((update) => ({
          id: update.id,
          status: update.status,
          body: update.body,
          incident_id: incident.id,
          created_at: update.at,
          updated_at: update.at,
          display_at: update.at,
          // Statuspage's null for "no component change recorded with this update".
          affected_components: null,
        })),
        components: affected,
      };
    }),
    scheduled_maintenances: [],
    status: { indicator: snapshot.status.indicator, description: snapshot.status.description },
  };
}
