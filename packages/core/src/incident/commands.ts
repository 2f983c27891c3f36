import type { Command } from '../event';
import type { ImpactEstimate } from '../rules/impact';
import type { Severity } from '../severity/severity';
import type { Triage } from '../triage/triage';
import type { ActionItemKind, ActionItemStatus } from './actionItem';
import type { Actor } from './actor';
import type { Measurement } from './events';
import type { IncidentKind } from './kind';
import type { MitigationAction, MitigationOutcome, MitigationParams } from './mitigation';
import type { ChannelType } from './notification';
import type { Role } from './roles';
import type { PublicStatus, Visibility } from './statusUpdate';

/** Every command names its incident and carries the injected clock and the actor. */
type Issued = { readonly incidentId: string; readonly at: string; readonly by: Actor };

/**
 * Open an incident from a detector rule or an external source.
 *
 * @example
 * { type: 'DetectIncident', data: { incidentId, service: 'checkout', kind: 'error_rate', severity: 'P1',
 *   title: 'Error rate 7%', startedAt, detectedAt, impact, at, by: detector } }
 */
export type DetectIncident = Command<
  'DetectIncident',
  Issued & {
    readonly service: string;
    readonly kind: IncidentKind;
    readonly severity: Severity;
    readonly title: string;
    readonly startedAt: string;
    readonly detectedAt: string;
    readonly impact: ImpactEstimate;
    readonly measurement?: Measurement;
    readonly source?: string;
    readonly dedupKey?: string;
    /** The integration (ingest key) a source's dedup key belongs to. */
    readonly integration?: string;
  }
>;
/** A person opens an incident by hand; `kind` defaults to `manual` and detection time is `at`. */
export type DeclareIncident = Command<
  'DeclareIncident',
  Issued & {
    readonly service: string;
    readonly kind?: IncidentKind;
    readonly severity: Severity;
    readonly title: string;
    readonly startedAt: string;
    readonly impact: ImpactEstimate;
  }
>;
/** Record a triage result computed by `triage()`. */
export type TriageIncident = Command<'TriageIncident', Issued & { readonly triage: Triage }>;
/** Take ownership of an incident. */
export type AcknowledgeIncident = Command<'AcknowledgeIncident', Issued>;
/** Page a role, by hand or because an escalation rule (named by `ruleId`) came due. */
export type EscalateIncident = Command<
  'EscalateIncident',
  Issued & { readonly toRole: Role; readonly reason: string; readonly ruleId?: string }
>;
/** Reclassify an incident. */
export type ChangeSeverity = Command<
  'ChangeSeverity',
  Issued & {
    readonly to: Severity;
    readonly reason: string;
    /** The measurement behind a detector's change: escalation rules on the value then see it. */
    readonly measurement?: Measurement;
  }
>;
/** Record the root cause. */
export type IdentifyRootCause = Command<'IdentifyRootCause', Issued & { readonly rootCause: string }>;
/** Tell people where things stand. */
export type PostStatusUpdate = Command<
  'PostStatusUpdate',
  Issued & {
    readonly updateId: string;
    readonly status: PublicStatus;
    readonly message: string;
    readonly visibility: Visibility;
  }
>;
/** Start a mitigation action. */
export type AttemptMitigation = Command<
  'AttemptMitigation',
  Issued & {
    readonly mitigationId: string;
    readonly action: MitigationAction;
    readonly description: string;
    readonly params?: MitigationParams;
  }
>;
/** Record how a mitigation action ended. */
export type RecordMitigationResult = Command<
  'RecordMitigationResult',
  Issued & { readonly mitigationId: string; readonly outcome: MitigationOutcome; readonly message: string }
>;
/** Declare the impact stopped, optionally crediting a mitigation. */
export type MarkMitigated = Command<'MarkMitigated', Issued & { readonly mitigationId?: string }>;
/** The impact of a mitigated incident came back. */
export type ReportRelapse = Command<'ReportRelapse', Issued & { readonly reason: string }>;
/** Close the incident. */
export type ResolveIncident = Command<'ResolveIncident', Issued & { readonly resolution: string }>;
/** Reopen a resolved incident. */
export type ReopenIncident = Command<'ReopenIncident', Issued & { readonly reason: string }>;
/** Add a note to the timeline. */
export type AddNote = Command<'AddNote', Issued & { readonly text: string }>;

type Delivery = Issued & {
  readonly channelId: string;
  readonly channelType: ChannelType;
  readonly target: string;
  readonly attempt: number;
  readonly forEventSeq: number;
};
/** The notifier reports a delivered notification. */
export type RecordNotificationSent = Command<'RecordNotificationSent', Delivery>;
/** The notifier reports a failed delivery. */
export type RecordNotificationFailed = Command<
  'RecordNotificationFailed',
  Delivery & { readonly reason: string }
>;
/** Write the postmortem's human fields. */
export type DraftPostmortem = Command<
  'DraftPostmortem',
  Issued & {
    readonly summary?: string;
    readonly impactNarrative?: string;
    readonly lessonsLearned: readonly string[];
    readonly acknowledgments?: readonly string[];
  }
>;
/** Make the drafted postmortem final and public. */
export type PublishPostmortem = Command<'PublishPostmortem', Issued>;
/** Assign an improvement. */
export type AddActionItem = Command<
  'AddActionItem',
  Issued & {
    readonly actionItemId: string;
    readonly title: string;
    readonly ownerRole?: string;
    readonly ownerPerson?: string;
    readonly dueDate?: string;
    readonly kind: ActionItemKind;
  }
>;
/** Move an improvement on; failing one needs a reason. */
export type ChangeActionItemStatus = Command<
  'ChangeActionItemStatus',
  Issued & { readonly actionItemId: string; readonly to: ActionItemStatus; readonly reason?: string }
>;

/**
 * Every command an incident accepts: one closed union, imperative.
 *
 * @example
 * decide({ type: 'AcknowledgeIncident', data: { incidentId, at: now, by: alice } }, state);
 */
export type IncidentCommand =
  | DetectIncident
  | DeclareIncident
  | TriageIncident
  | AcknowledgeIncident
  | EscalateIncident
  | ChangeSeverity
  | IdentifyRootCause
  | PostStatusUpdate
  | AttemptMitigation
  | RecordMitigationResult
  | MarkMitigated
  | ReportRelapse
  | ResolveIncident
  | ReopenIncident
  | AddNote
  | RecordNotificationSent
  | RecordNotificationFailed
  | DraftPostmortem
  | PublishPostmortem
  | AddActionItem
  | ChangeActionItemStatus;

/**
 * The name of an incident command.
 *
 * @example
 * const type: IncidentCommandType = 'ResolveIncident';
 */
export type IncidentCommandType = IncidentCommand['type'];

const commandTypes: Record<IncidentCommandType, true> = {
  DetectIncident: true,
  DeclareIncident: true,
  TriageIncident: true,
  AcknowledgeIncident: true,
  EscalateIncident: true,
  ChangeSeverity: true,
  IdentifyRootCause: true,
  PostStatusUpdate: true,
  AttemptMitigation: true,
  RecordMitigationResult: true,
  MarkMitigated: true,
  ReportRelapse: true,
  ResolveIncident: true,
  ReopenIncident: true,
  AddNote: true,
  RecordNotificationSent: true,
  RecordNotificationFailed: true,
  DraftPostmortem: true,
  PublishPostmortem: true,
  AddActionItem: true,
  ChangeActionItemStatus: true,
};

/**
 * Every incident command type, for routing and schemas.
 *
 * @example
 * incidentCommandTypes.includes('AddNote'); // true
 */
export const incidentCommandTypes = Object.keys(commandTypes) as readonly IncidentCommandType[];
