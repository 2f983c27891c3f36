import type { ActionItemKind, ActionItemOwner, ActionItemStatus } from '../incident/actionItem';
import type { Actor } from '../incident/actor';
import type { IncidentEvent } from '../incident/events';
import { evolve } from '../incident/evolve';
import type { ExistingIncident, IncidentState } from '../incident/state';
import { initialIncidentState } from '../incident/state';
import { incidentTimes } from '../metrics/incidentTimes';
import { severityPolicies } from '../runbooks/severityPolicies';
import type { Severity } from '../severity/severity';
import { expectedResolutionFor } from '../triage/expectedResolution';
import { type TimelineEntry, timelineEntry } from './timelineEntry';

/**
 * A postmortem with the runbook's fields, every one derived from the incident's events:
 * figures and times from the log, root cause from the identify events, resolution from the
 * resolve and mitigation events, action items from the action-item events, lessons from the
 * draft a person wrote plus what the timeline shows, acknowledgments from who acted.
 *
 * @example
 * postmortemOf(events).rootCause; // 'Under investigation' before any RootCauseIdentified
 */
export type Postmortem = {
  readonly incidentId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly date: string;
  readonly status: 'not drafted' | 'draft' | 'published';
  readonly revision: number | null;
  readonly publishedAt: string | null;
  readonly summary: {
    readonly text: string;
    readonly service: string;
    readonly usersAffected: number;
    readonly startedAt: string;
    readonly detectedAt: string;
    readonly mitigatedAt: string | null;
    readonly resolvedAt: string | null;
  };
  readonly impact: {
    /**
     * Start to the resolution that stands (a reopened incident's last one), or to the last
     * event while unresolved (reopened incidents included), in seconds.
     */
    readonly durationSeconds: number;
    readonly usersAffected: number;
    readonly revenueImpact: number;
    readonly impactSeverity: string;
    readonly narrative: string | null;
  };
  readonly rootCause: string;
  readonly timeline: readonly (TimelineEntry & { readonly seq: number })[];
  readonly resolution: {
    readonly text: string | null;
    readonly at: string | null;
    readonly mitigations: readonly {
      readonly action: string;
      readonly description: string;
      readonly outcome: 'succeeded' | 'failed' | 'pending';
    }[];
  };
  readonly actionItems: readonly {
    readonly id: string;
    readonly title: string;
    readonly owner: ActionItemOwner;
    readonly status: ActionItemStatus;
    readonly kind: ActionItemKind;
    readonly dueDate: string | null;
  }[];
  readonly lessonsLearned: readonly string[];
  readonly acknowledgments: readonly string[];
};

export const UNDER_INVESTIGATION = 'Under investigation';

const who = (actor: Actor) => actor.name ?? actor.id;
const minutes = (seconds: number) => {
  const m = Math.round(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
};

/**
 * The postmortem of one incident stream (events in version order, with their global seq).
 * Throws a RangeError for a stream that never opened.
 *
 * @example
 * postmortemOf(recordedEvents).timeline.length; // one entry per event
 */
export function postmortemOf(events: readonly (IncidentEvent & { readonly seq: number })[]): Postmortem {
  const state: IncidentState = events.reduce(evolve, initialIncidentState);
  const times = incidentTimes(events);
  if (state.status === 'none' || !times)
    throw new RangeError('an incident that never opened has no postmortem');
  const { postmortem } = state;
  const draft = postmortem.status === 'none' ? null : postmortem.draft;
  const lastAt = events.at(-1)?.data.at ?? state.startedAt;
  // A reopened incident is over only once resolved again: its first resolution did not end it.
  const resolvedAt = state.resolution?.at ?? null;
  const durationSeconds = (Date.parse(resolvedAt ?? lastAt) - Date.parse(state.startedAt)) / 1000;
  // The UTC date: a start logged with an offset may fall on another local day.
  const date = new Date(state.startedAt).toISOString().slice(0, 10);
  const category = state.triage ? `${state.triage.category} ` : '';
  const generatedSummary =
    `On ${date}, ${state.service} had a ${state.severity} ${category}incident (${state.title}) affecting an estimated ${state.impact.usersAffected}% of users. It started at ${state.startedAt}, ` +
    `was detected at ${state.detectedAt}` +
    (resolvedAt ? ` and resolved at ${resolvedAt}.` : ' and is not resolved yet.');
  return {
    incidentId: state.id,
    title: `${state.severity} ${state.service} incident on ${date}: ${state.title}`,
    severity: state.severity,
    date,
    status:
      postmortem.status === 'none' ? 'not drafted' : postmortem.status === 'drafted' ? 'draft' : 'published',
    revision: postmortem.status === 'none' ? null : postmortem.revision,
    publishedAt: postmortem.status === 'published' ? postmortem.published.at : null,
    summary: {
      text: draft?.summary ?? generatedSummary,
      service: state.service,
      usersAffected: state.impact.usersAffected,
      startedAt: state.startedAt,
      detectedAt: state.detectedAt,
      mitigatedAt: times.mitigated?.first ?? null,
      resolvedAt,
    },
    impact: {
      durationSeconds,
      usersAffected: state.impact.usersAffected,
      revenueImpact: state.impact.revenueImpact,
      impactSeverity: state.impact.severity,
      narrative: draft?.impactNarrative ?? null,
    },
    rootCause: state.rootCause?.text ?? UNDER_INVESTIGATION,
    timeline: events.map((event) => ({ ...timelineEntry(event), seq: event.seq })),
    resolution: {
      text: state.resolution?.text ?? null,
      at: state.resolution?.at ?? null,
      mitigations: Object.values(state.mitigations).map((m) => ({
        action: m.action,
        description: m.description,
        outcome: m.result?.outcome ?? 'pending',
      })),
    },
    actionItems: Object.values(state.actionItems).map((item) => ({
      id: item.id,
      title: item.title,
      owner: item.owner,
      status: item.status,
      kind: item.kind,
      dueDate: item.dueDate,
    })),
    lessonsLearned: [...(draft?.lessonsLearned ?? []), ...observedLessons(state, events, times)],
    acknowledgments: [...new Set([...(draft?.acknowledgments ?? []), ...responders(events)])],
  };
}

// The people who acted on the incident, in the order they first did.
function responders(events: readonly IncidentEvent[]): string[] {
  return events.filter((event) => event.data.by.kind === 'human').map((event) => who(event.data.by));
}

// What the log itself teaches: targets met or missed, failed mitigations, relapses, escalations.
function observedLessons(
  state: ExistingIncident,
  events: readonly IncidentEvent[],
  times: NonNullable<ReturnType<typeof incidentTimes>>,
): string[] {
  const lessons: string[] = [];
  const { durations } = times;
  lessons.push(
    durations.timeToDetect <= 60
      ? `Detection was fast: ${minutes(durations.timeToDetect)} from the first symptom.`
      : `Detection took ${minutes(durations.timeToDetect)} from the first symptom.`,
  );
  const target = severityPolicies[state.severity].responseTargetMinutes * 60;
  if (durations.timeToAcknowledge === null) {
    lessons.push('Nobody acknowledged the incident.');
  } else {
    lessons.push(
      `Acknowledged after ${minutes(durations.timeToAcknowledge)}, ${durations.timeToAcknowledge < target ? 'within' : 'outside'} the ${state.severity} response target of ${minutes(target)}.`,
    );
  }
  if (durations.timeToResolve !== null) {
    const expected = expectedResolutionFor(state.severity);
    // Durations use first times, as the metrics do; after a reopen, say so.
    lessons.push(
      `${state.reopenCount > 0 ? 'First resolved' : 'Resolved'} after ${minutes(durations.timeToResolve)}, ${durations.timeToResolve <= expected.minutes * 60 ? 'within' : 'beyond'} the expected ${expected.text}.`,
    );
  }
  const failed = Object.values(state.mitigations).filter((m) => m.result?.outcome === 'failed');
  for (const mitigation of failed) {
    lessons.push(
      `Mitigation "${mitigation.description}" (${mitigation.action}) failed: ${mitigation.result?.message}.`,
    );
  }
  if (state.relapseCount > 0)
    lessons.push(`The impact came back ${state.relapseCount} time(s) after mitigation.`);
  if (state.reopenCount > 0)
    lessons.push(`The incident was reopened ${state.reopenCount} time(s) after resolution.`);
  const escalations = events.filter((event) => event.type === 'IncidentEscalated');
  if (escalations.length > 0) {
    lessons.push(
      `Escalated ${escalations.length} time(s): ${escalations.map((e) => (e.type === 'IncidentEscalated' ? e.data.toRole : '')).join(', ')}.`,
    );
  }
  return lessons;
}
