import type { IncidentEvent } from '../incident/events';
import type { IncidentKind } from '../incident/kind';
import type { Severity } from '../severity/severity';
import { type ComponentStatus, componentStatusOf } from './componentStatus';

/** The status of a public update: the runbook's status-page vocabulary, plus Statuspage's postmortem. */
export type PublicUpdateStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved' | 'postmortem';

/**
 * An incident's impact in Statuspage's vocabulary, mapped from severity: P0 critical, P1
 * major, P2 minor, P3 none. (The runbook's sketch says "maintenance" for P3, but Statuspage
 * keeps that word for scheduled maintenances; an incident's impact is none, minor, major or
 * critical.) The status page, `/status.json` and the Statuspage channel all use this one table.
 */
export type PublicImpact = 'critical' | 'major' | 'minor' | 'none';

export const publicImpacts: Readonly<Record<Severity, PublicImpact>> = {
  P0: 'critical',
  P1: 'major',
  P2: 'minor',
  P3: 'none',
};

/** One update everybody may read. */
export type PublicUpdate = {
  readonly id: string;
  readonly status: PublicUpdateStatus;
  readonly body: string;
  readonly at: string;
};

/** A stretch of time during which the incident made its service look worse than operational. */
export type ImpactPeriod = {
  readonly status: Exclude<ComponentStatus, 'operational'>;
  readonly from: string;
  readonly to: string | null;
};

/**
 * An incident as the public status page shows it: no actor, no note, no triage, no internal
 * update, no root cause (until a published postmortem says it). The name comes from the kind,
 * since a title typed by a responder may say more than customers should read.
 *
 * @example
 * const model = events.reduce(projectPublicIncident, null);
 * model?.status; // 'monitoring'
 */
export type PublicIncident = {
  readonly id: string;
  readonly service: string;
  readonly kind: IncidentKind;
  readonly name: string;
  readonly severity: Severity;
  readonly impact: PublicImpact;
  readonly status: Exclude<PublicUpdateStatus, 'postmortem'>;
  /** What the incident does to its service right now: operational once mitigated or resolved. */
  readonly componentStatus: ComponentStatus;
  readonly startedAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly resolvedAt: string | null;
  readonly postmortemPublishedAt: string | null;
  readonly updates: readonly PublicUpdate[];
  readonly impactPeriods: readonly ImpactPeriod[];
  readonly version: number;
  /** Progress flags the public status is derived from. */
  readonly identified: boolean;
  readonly mitigated: boolean;
};

/**
 * The public name of an incident of a kind on a service.
 *
 * @example
 * publicName('error_rate', 'checkout'); // 'Elevated error rates on checkout'
 */
export function publicName(kind: IncidentKind, service: string): string {
  switch (kind) {
    case 'error_rate':
      return `Elevated error rates on ${service}`;
    case 'response_time':
      return `Slow responses on ${service}`;
    case 'availability':
      return `Reduced availability of ${service}`;
    case 'security':
      return `Security incident affecting ${service}`;
    case 'deployment':
      return `Failed deployment of ${service}`;
    default:
      return `Service disruption on ${service}`;
  }
}

const statusOf = (model: Pick<PublicIncident, 'resolvedAt' | 'mitigated' | 'identified'>) =>
  model.resolvedAt !== null
    ? 'resolved'
    : model.mitigated
      ? 'monitoring'
      : model.identified
        ? 'identified'
        : 'investigating';

// Re-derives status, component effect and impact periods after the flags or severity moved.
function settle(model: PublicIncident, at: string): PublicIncident {
  const status = statusOf(model);
  const active = status === 'investigating' || status === 'identified';
  const componentStatus = active ? componentStatusOf(model.severity, model.kind) : 'operational';
  const periods = [...model.impactPeriods];
  const open = periods.at(-1)?.to === null ? periods.at(-1) : undefined;
  if (open && open.status !== componentStatus) periods[periods.length - 1] = { ...open, to: at };
  if (componentStatus !== 'operational' && open?.status !== componentStatus) {
    periods.push({ status: componentStatus, from: at, to: null });
  }
  return {
    ...model,
    status,
    componentStatus,
    impact: publicImpacts[model.severity],
    impactPeriods: periods,
    updatedAt: at,
  };
}

const update = (
  model: PublicIncident,
  event: { readonly version: number },
  status: PublicUpdateStatus,
  body: string,
  at: string,
): PublicIncident => ({
  ...model,
  updates: [...model.updates, { id: `${model.id}-${event.version}`, status, body, at }],
});

/**
 * Applies one event of an incident's stream to its public model (null before the opening).
 * Events at or below the model's version were applied already, so redelivery changes nothing.
 * Only facts customers may read produce an update; the root cause stays private until the
 * postmortem is published.
 */
export function projectPublicIncident(
  model: PublicIncident | null,
  event: IncidentEvent & { readonly version: number },
): PublicIncident | null {
  if (model && event.version <= model.version) return model;
  const at = event.data.at;
  if (event.type === 'IncidentDetected' || event.type === 'IncidentDeclared') {
    const { incidentId, service, kind, severity, startedAt, detectedAt } = event.data;
    const name = publicName(kind, service);
    // The outage began when users first felt it, not when the page learned of it.
    const opened = settle(
      {
        id: incidentId,
        service,
        kind,
        name,
        severity,
        impact: publicImpacts[severity],
        status: 'investigating',
        componentStatus: 'operational',
        startedAt,
        createdAt: detectedAt,
        updatedAt: at,
        resolvedAt: null,
        postmortemPublishedAt: null,
        updates: [],
        impactPeriods: [],
        version: event.version,
        identified: false,
        mitigated: false,
      },
      startedAt,
    );
    return {
      ...update(opened, event, 'investigating', `We are investigating ${lowerFirst(name)}.`, at),
      updatedAt: at,
    };
  }
  if (!model) return null;
  const current = { ...model, version: event.version };
  switch (event.type) {
    case 'SeverityChanged':
      return settle({ ...current, severity: event.data.to }, at);
    case 'RootCauseIdentified':
      // Customers hear "identified" once, and only while it is news: after a mitigation or the
      // resolution it would read as the incident coming back.
      if (current.identified || current.mitigated || current.resolvedAt !== null)
        return { ...current, identified: true };
      return update(
        settle({ ...current, identified: true }, at),
        event,
        'identified',
        'The issue has been identified and a fix is being implemented.',
        at,
      );
    case 'StatusUpdatePosted':
      if (event.data.visibility !== 'public') return current;
      return update({ ...current, updatedAt: at }, event, event.data.status, event.data.message, at);
    case 'IncidentMitigated':
      return update(
        settle({ ...current, mitigated: true }, at),
        event,
        'monitoring',
        'A fix has been implemented and we are monitoring the results.',
        at,
      );
    case 'IncidentRelapsed':
      return update(
        settle({ ...current, mitigated: false }, at),
        event,
        current.identified ? 'identified' : 'investigating',
        'The issue has returned and we are working on it.',
        at,
      );
    case 'IncidentResolved':
      return update(
        settle({ ...current, resolvedAt: at }, at),
        event,
        'resolved',
        'This incident has been resolved.',
        at,
      );
    case 'IncidentReopened':
      return update(
        settle({ ...current, resolvedAt: null, mitigated: false }, at),
        event,
        current.identified ? 'identified' : 'investigating',
        'The issue has recurred and we are investigating again.',
        at,
      );
    case 'PostmortemPublished':
      return update(
        { ...current, postmortemPublishedAt: at, updatedAt: at },
        event,
        'postmortem',
        'A postmortem of this incident has been published.',
        at,
      );
    case 'IncidentTriaged':
    case 'IncidentAcknowledged':
    case 'IncidentEscalated':
    case 'MitigationAttempted':
    case 'MitigationResultRecorded':
    case 'NoteAdded':
    case 'NotificationSent':
    case 'NotificationFailed':
    case 'PostmortemDrafted':
    case 'ActionItemAdded':
    case 'ActionItemStatusChanged':
      return current;
    default: {
      const unhandled: never = event;
      throw new Error(`no public projection for ${(unhandled as { type: string }).type}`);
    }
  }
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
