import type { Event } from '../event';
import type { ImpactEstimate } from '../rules/impact';
import type { Severity } from '../severity/severity';
import type { Triage } from '../triage/triage';
import type { ActionItemKind, ActionItemOwner, ActionItemStatus } from './actionItem';
import type { Actor } from './actor';
import type { IncidentKind } from './kind';
import type { MitigationAction, MitigationOutcome, MitigationParams } from './mitigation';
import type { ChannelType } from './notification';
import type { PostmortemDraft } from './postmortem';
import type { Role } from './roles';
import type { PublicStatus, Visibility } from './statusUpdate';

/** Who did it, when, and to which incident: carried by every incident event. */
type Recorded = { readonly incidentId: string; readonly at: string; readonly by: Actor };

/**
 * The value that breached and the threshold it breached.
 *
 * @example
 * const measurement: Measurement = { value: 0.07, threshold: 0.05 };
 */
export type Measurement = { readonly value: number; readonly threshold: number };

/**
 * What is known when an incident opens, whether a detector or a person opened it.
 * `startedAt` is the first breaching sample or the time a person or source says it began.
 */
type Opening = Recorded & {
  readonly service: string;
  readonly kind: IncidentKind;
  readonly severity: Severity;
  readonly title: string;
  readonly startedAt: string;
  readonly detectedAt: string;
  readonly impact: ImpactEstimate;
};

/**
 * A detector rule or an external source opened the incident.
 *
 * @example
 * { type: 'IncidentDetected', data: { incidentId, service: 'checkout', kind: 'error_rate', severity: 'P1', … } }
 */
export type IncidentDetected = Event<
  'IncidentDetected',
  Opening & {
    readonly measurement: Measurement | null;
    readonly source: string | null;
    readonly dedupKey: string | null;
    /** The integration (ingest key) the dedup key belongs to; absent in older events. */
    readonly integration?: string;
  }
>;
/** A person declared the incident by hand. */
export type IncidentDeclared = Event<'IncidentDeclared', Opening>;
/** Triage ran and its result was recorded. */
export type IncidentTriaged = Event<'IncidentTriaged', Recorded & { readonly triage: Triage }>;
/** Someone took ownership of the incident. */
export type IncidentAcknowledged = Event<'IncidentAcknowledged', Recorded>;
/** A role was paged, by hand or by an escalation rule (then `ruleId` names the rule). */
export type IncidentEscalated = Event<
  'IncidentEscalated',
  Recorded & { readonly toRole: Role; readonly reason: string; readonly ruleId: string | null }
>;
/** The incident was reclassified. */
export type SeverityChanged = Event<
  'SeverityChanged',
  Recorded & {
    readonly from: Severity;
    readonly to: Severity;
    readonly reason: string;
    /** The detector's latest measurement, when a measurement changed it (absent in older events). */
    readonly measurement?: Measurement;
  }
>;
/** The root cause was found (or a better explanation replaced the first one). */
export type RootCauseIdentified = Event<'RootCauseIdentified', Recorded & { readonly rootCause: string }>;
/** Responders told people where things stand. */
export type StatusUpdatePosted = Event<
  'StatusUpdatePosted',
  Recorded & {
    readonly updateId: string;
    readonly status: PublicStatus;
    readonly message: string;
    readonly visibility: Visibility;
  }
>;
/** A mitigation action was started. */
export type MitigationAttempted = Event<
  'MitigationAttempted',
  Recorded & {
    readonly mitigationId: string;
    readonly action: MitigationAction;
    readonly description: string;
    readonly params: MitigationParams;
  }
>;
/** A mitigation action finished, successfully or not. */
export type MitigationResultRecorded = Event<
  'MitigationResultRecorded',
  Recorded & { readonly mitigationId: string; readonly outcome: MitigationOutcome; readonly message: string }
>;
/** The impact stopped, possibly thanks to a named mitigation. */
export type IncidentMitigated = Event<
  'IncidentMitigated',
  Recorded & { readonly mitigationId: string | null }
>;
/** The impact came back after the incident was mitigated. */
export type IncidentRelapsed = Event<'IncidentRelapsed', Recorded & { readonly reason: string }>;
/** The incident is over. */
export type IncidentResolved = Event<'IncidentResolved', Recorded & { readonly resolution: string }>;
/** A resolved incident turned out not to be over. */
export type IncidentReopened = Event<'IncidentReopened', Recorded & { readonly reason: string }>;
/** A free-text note on the timeline. */
export type NoteAdded = Event<'NoteAdded', Recorded & { readonly text: string }>;

type Delivery = Recorded & {
  readonly channelId: string;
  readonly channelType: ChannelType;
  /** Redacted: enough for a person to recognise the target, never a secret or a full address. */
  readonly target: string;
  readonly attempt: number;
  /** The global sequence number of the event the notification was about. */
  readonly forEventSeq: number;
};
/** The notifier delivered a notification. */
export type NotificationSent = Event<'NotificationSent', Delivery>;
/** The notifier failed to deliver a notification. */
export type NotificationFailed = Event<'NotificationFailed', Delivery & { readonly reason: string }>;
/** A person wrote (or rewrote) the postmortem's human fields. */
export type PostmortemDrafted = Event<
  'PostmortemDrafted',
  Recorded & { readonly draft: PostmortemDraft; readonly revision: number }
>;
/** The postmortem became final and public. */
export type PostmortemPublished = Event<'PostmortemPublished', Recorded & { readonly revision: number }>;
/** An improvement was assigned. */
export type ActionItemAdded = Event<
  'ActionItemAdded',
  Recorded & {
    readonly actionItemId: string;
    readonly title: string;
    readonly owner: ActionItemOwner;
    readonly dueDate: string | null;
    readonly kind: ActionItemKind;
  }
>;
/** An improvement moved on (or failed, with a reason). */
export type ActionItemStatusChanged = Event<
  'ActionItemStatusChanged',
  Recorded & {
    readonly actionItemId: string;
    readonly from: ActionItemStatus;
    readonly to: ActionItemStatus;
    readonly reason: string | null;
  }
>;

/**
 * Every fact an incident stream can hold: one closed union, past tense.
 *
 * @example
 * const event: IncidentEvent = { type: 'NoteAdded', data: { incidentId, at, by, text: 'Paged DB team' } };
 */
export type IncidentEvent =
  | IncidentDetected
  | IncidentDeclared
  | IncidentTriaged
  | IncidentAcknowledged
  | IncidentEscalated
  | SeverityChanged
  | RootCauseIdentified
  | StatusUpdatePosted
  | MitigationAttempted
  | MitigationResultRecorded
  | IncidentMitigated
  | IncidentRelapsed
  | IncidentResolved
  | IncidentReopened
  | NoteAdded
  | NotificationSent
  | NotificationFailed
  | PostmortemDrafted
  | PostmortemPublished
  | ActionItemAdded
  | ActionItemStatusChanged;

/**
 * The name of an incident event.
 *
 * @example
 * const type: IncidentEventType = 'IncidentResolved';
 */
export type IncidentEventType = IncidentEvent['type'];

// A record rather than an array so the compiler refuses a list that misses a type.
const eventTypes: Record<IncidentEventType, true> = {
  IncidentDetected: true,
  IncidentDeclared: true,
  IncidentTriaged: true,
  IncidentAcknowledged: true,
  IncidentEscalated: true,
  SeverityChanged: true,
  RootCauseIdentified: true,
  StatusUpdatePosted: true,
  MitigationAttempted: true,
  MitigationResultRecorded: true,
  IncidentMitigated: true,
  IncidentRelapsed: true,
  IncidentResolved: true,
  IncidentReopened: true,
  NoteAdded: true,
  NotificationSent: true,
  NotificationFailed: true,
  PostmortemDrafted: true,
  PostmortemPublished: true,
  ActionItemAdded: true,
  ActionItemStatusChanged: true,
};

/**
 * Every incident event type, for schemas and storage checks.
 *
 * @example
 * incidentEventTypes.includes('IncidentResolved'); // true
 */
export const incidentEventTypes = Object.keys(eventTypes) as readonly IncidentEventType[];

/**
 * Whether this Worker knows an event's type. A Worker deployed later may record types an older
 * one does not know yet; readers that only describe incidents skip those rather than the stream.
 *
 * @example
 * isKnownIncidentEvent({ type: 'IncidentForecasted' }); // false
 */
export const isKnownIncidentEvent = (event: { readonly type: string }): boolean =>
  Object.hasOwn(eventTypes, event.type);
