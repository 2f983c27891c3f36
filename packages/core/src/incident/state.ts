import type { ImpactEstimate } from '../rules/impact';
import type { Severity } from '../severity/severity';
import type { Triage } from '../triage/triage';
import type { ActionItemKind, ActionItemOwner, ActionItemStatus } from './actionItem';
import type { Actor } from './actor';
import type { Measurement } from './events';
import type { IncidentKind } from './kind';
import type { MitigationAction, MitigationOutcome, MitigationParams } from './mitigation';
import type { RecordedNotifications } from './notification';
import type { PostmortemDraft } from './postmortem';
import type { Role } from './roles';
import type { PublicStatus, Visibility } from './statusUpdate';

/**
 * Who did something and when.
 *
 * @example
 * const ack: Stamp = { by: alice, at: '2025-03-01T10:04:00Z' };
 */
export type Stamp = { readonly by: Actor; readonly at: string };

/** A recorded escalation; `ruleId` is null for a page a person sent by hand. */
export type Escalation = Stamp & {
  readonly toRole: Role;
  readonly reason: string;
  readonly ruleId: string | null;
};

/** A mitigation attempt and, once known, how it ended. */
export type Mitigation = {
  readonly id: string;
  readonly action: MitigationAction;
  readonly description: string;
  readonly params: MitigationParams;
  readonly attempted: Stamp;
  readonly result: (Stamp & { readonly outcome: MitigationOutcome; readonly message: string }) | null;
};

/** An improvement assigned after (or during) the incident. */
export type ActionItem = {
  readonly id: string;
  readonly title: string;
  readonly owner: ActionItemOwner;
  readonly dueDate: string | null;
  readonly kind: ActionItemKind;
  readonly status: ActionItemStatus;
  readonly failureReason: string | null;
  readonly added: Stamp;
  readonly updatedAt: string;
};

/** A status update, kept so that a repeated post is refused. */
export type StatusUpdate = Stamp & {
  readonly status: PublicStatus;
  readonly message: string;
  readonly visibility: Visibility;
};

/** Where the postmortem stands. A published postmortem is final. */
export type PostmortemState =
  | { readonly status: 'none' }
  | {
      readonly status: 'drafted';
      readonly draft: PostmortemDraft;
      readonly revision: number;
      readonly drafted: Stamp;
    }
  | {
      readonly status: 'published';
      readonly draft: PostmortemDraft;
      readonly revision: number;
      readonly drafted: Stamp;
      readonly published: Stamp;
    };

/**
 * What every existing incident knows. Which stage it has reached is `status`, derived
 * from these facts (see `IncidentState`); the stage-proving fields are narrowed there.
 */
export type IncidentFacts = {
  readonly id: string;
  readonly service: string;
  readonly kind: IncidentKind;
  readonly severity: Severity;
  readonly title: string;
  readonly startedAt: string;
  readonly detectedAt: string;
  readonly opened: Stamp & { readonly how: 'detected' | 'declared' };
  readonly measurement: Measurement | null;
  readonly source: string | null;
  readonly dedupKey: string | null;
  /** The integration (ingest key) the dedup key belongs to, when the source named one. */
  readonly integration: string | null;
  readonly impact: ImpactEstimate;
  readonly triage: Triage | null;
  /** Cleared on reopen: a recurrence must be owned again. */
  readonly acknowledgement: Stamp | null;
  /** Kept on reopen: the explanation still stands until someone replaces it. */
  readonly rootCause: (Stamp & { readonly text: string }) | null;
  /** Cleared on relapse and on reopen. */
  readonly mitigation: (Stamp & { readonly mitigationId: string | null }) | null;
  readonly resolution: (Stamp & { readonly text: string }) | null;
  readonly escalations: readonly Escalation[];
  readonly mitigations: Readonly<Record<string, Mitigation>>;
  readonly actionItems: Readonly<Record<string, ActionItem>>;
  readonly statusUpdates: Readonly<Record<string, StatusUpdate>>;
  /** The delivery attempts recorded (sent or failed), by `notificationKey`. */
  readonly notifications: RecordedNotifications;
  readonly postmortem: PostmortemState;
  readonly reopenCount: number;
  readonly relapseCount: number;
};

/** No incident yet: the stream is empty. */
export type NoIncident = { readonly status: 'none' };
/** Opened, not yet triaged, owned or explained. */
export type DetectedIncident = IncidentFacts & { readonly status: 'detected' };
/** Triaged, not yet owned or explained. */
export type TriagedIncident = IncidentFacts & { readonly status: 'triaged'; readonly triage: Triage };
/** Someone owns it; cause unknown. */
export type AcknowledgedIncident = IncidentFacts & {
  readonly status: 'acknowledged';
  readonly acknowledgement: Stamp;
};
/** The root cause is known; impact continues. */
export type IdentifiedIncident = IncidentFacts & {
  readonly status: 'identified';
  readonly rootCause: Stamp & { readonly text: string };
};
/** The impact stopped; not yet declared over. */
export type MitigatedIncident = IncidentFacts & {
  readonly status: 'mitigated';
  readonly mitigation: Stamp & { readonly mitigationId: string | null };
};
/** Over. Only a reopen brings it back. */
export type ResolvedIncident = IncidentFacts & {
  readonly status: 'resolved';
  readonly resolution: Stamp & { readonly text: string };
};

/**
 * An incident that is not resolved.
 *
 * @example
 * const open: OpenIncident = foldIncident([detected]) as OpenIncident;
 */
export type OpenIncident =
  | DetectedIncident
  | TriagedIncident
  | AcknowledgedIncident
  | IdentifiedIncident
  | MitigatedIncident;

/**
 * An incident that exists, open or resolved.
 *
 * @example
 * if (state.status !== 'none') state satisfies ExistingIncident;
 */
export type ExistingIncident = OpenIncident | ResolvedIncident;

/** Every status of an incident that is not resolved, in lifecycle order. */
export const openStatuses = [
  'detected',
  'triaged',
  'acknowledged',
  'identified',
  'mitigated',
] as const satisfies readonly OpenIncident['status'][];

/**
 * The state of one incident stream, keyed on `status`: the furthest stage its facts
 * prove, checked in the order resolved, mitigated, identified, acknowledged, triaged,
 * detected. Stages may be skipped: a rollback can mitigate before anyone acknowledges.
 *
 * @example
 * if (state.status === 'resolved') console.log(state.resolution.text);
 */
export type IncidentState = NoIncident | ExistingIncident;

/**
 * The state before the first event.
 *
 * @example
 * evolve(initialIncidentState, detectedEvent).status; // 'detected'
 */
export const initialIncidentState: IncidentState = { status: 'none' };

/**
 * The state a set of facts amounts to. Deriving status from facts, rather than storing
 * it, means no event can leave the two disagreeing.
 *
 * @example
 * settle({ ...facts, acknowledgement: { by: alice, at } }).status; // 'acknowledged' (if nothing further)
 */
export function settle(facts: IncidentFacts): ExistingIncident {
  if (facts.resolution) return { ...facts, status: 'resolved', resolution: facts.resolution };
  if (facts.mitigation) return { ...facts, status: 'mitigated', mitigation: facts.mitigation };
  if (facts.rootCause) return { ...facts, status: 'identified', rootCause: facts.rootCause };
  if (facts.acknowledgement)
    return { ...facts, status: 'acknowledged', acknowledgement: facts.acknowledgement };
  if (facts.triage) return { ...facts, status: 'triaged', triage: facts.triage };
  return { ...facts, status: 'detected' };
}

/**
 * The state as Vigil shows and stores it: without its recorded deliveries, which are the
 * timeline's. They grow without bound (a delivery per page and re-page), and hosted D1 refuses
 * a row over 2 MB. Notes are never folded into the state at all: they live in the timeline.
 *
 * @example
 * Response.json({ state: stateView(state) });
 */
export function stateView(state: IncidentState): Omit<IncidentState, 'notifications'> {
  const { notifications: _notifications, ...view } = state as IncidentState & { notifications?: unknown };
  return view;
}
