import { isInstant, millisOf } from '../time';
import { actionItemTransitions } from './actionItem';
import type { IncidentCommand } from './commands';
import { IllegalTransitionError, InvalidCommandError, NotFoundError, UnknownCommandError } from './errors';
import type { IncidentEvent } from './events';
import { isRecorded, notificationKey } from './notification';
import type { PostmortemDraft } from './postmortem';
import type { ExistingIncident, IncidentState, OpenIncident } from './state';

/**
 * Decides which events a command produces against the incident's current state, or
 * throws a coded `DomainError` when the command is illegal or would change nothing.
 * Pure: the clock (`at`) and every id arrive inside the command.
 *
 * Legal when:
 * - detect / declare: no incident yet (declare needs a human);
 * - triage, acknowledge (once per opening), escalate, attempt / mark mitigated, resolve: while open;
 * - report relapse: while mitigated; reopen: while resolved and before the postmortem is published;
 * - severity change, root cause, status updates, notes, notifications, mitigation results,
 *   action items: in any existing incident, resolved included, since reviews refine them;
 * - draft / publish postmortem: only once resolved; a published postmortem is final.
 *
 * @example
 * const events = decide({ type: 'AcknowledgeIncident', data: { incidentId, at, by: alice } }, state);
 */
export function decide(command: IncidentCommand, state: IncidentState): IncidentEvent[] {
  const { incidentId, at, by } = command.data;
  requireInstant(at, 'at');
  requireText(by.id, 'by.id');
  const recorded = { incidentId, at, by };

  switch (command.type) {
    case 'DetectIncident': {
      const data = command.data;
      requireAbsent(state, incidentId);
      requireOpening(data);
      requireInstant(data.detectedAt, 'detectedAt');
      if (millisOf(data.startedAt) > millisOf(data.detectedAt)) {
        throw new InvalidCommandError('invalid_command', 'startedAt is after detectedAt');
      }
      return [
        {
          type: 'IncidentDetected',
          data: {
            ...recorded,
            service: data.service,
            kind: data.kind,
            severity: data.severity,
            title: data.title,
            startedAt: data.startedAt,
            detectedAt: data.detectedAt,
            impact: data.impact,
            measurement: data.measurement ?? null,
            source: data.source ?? null,
            dedupKey: data.dedupKey ?? null,
            ...(data.integration !== undefined && { integration: data.integration }),
          },
        },
      ];
    }
    case 'DeclareIncident': {
      const data = command.data;
      requireAbsent(state, incidentId);
      if (by.kind !== 'human')
        throw new InvalidCommandError('actor_not_allowed', `${by.kind} cannot declare`);
      requireOpening(data);
      if (millisOf(data.startedAt) > millisOf(at)) {
        throw new InvalidCommandError('invalid_command', 'startedAt is in the future of the declaration');
      }
      return [
        {
          type: 'IncidentDeclared',
          data: {
            ...recorded,
            service: data.service,
            kind: data.kind ?? 'manual',
            severity: data.severity,
            title: data.title,
            startedAt: data.startedAt,
            detectedAt: at,
            impact: data.impact,
          },
        },
      ];
    }
    case 'TriageIncident':
      requireOpen(state, incidentId);
      return [{ type: 'IncidentTriaged', data: { ...recorded, triage: command.data.triage } }];
    case 'AcknowledgeIncident': {
      const incident = requireOpen(state, incidentId);
      if (incident.acknowledgement) {
        throw new IllegalTransitionError(
          'already_acknowledged',
          `${incidentId} acknowledged at ${incident.acknowledgement.at}`,
        );
      }
      return [{ type: 'IncidentAcknowledged', data: recorded }];
    }
    case 'EscalateIncident': {
      const { toRole, reason, ruleId } = command.data;
      const incident = requireOpen(state, incidentId);
      requireText(toRole, 'toRole');
      requireText(reason, 'reason');
      // A timer may fire twice; a rule's escalation is recorded once. Hand pages may repeat.
      if (
        ruleId !== undefined &&
        incident.escalations.some((e) => e.ruleId === ruleId && e.toRole === toRole)
      ) {
        throw new IllegalTransitionError(
          'escalation_already_recorded',
          `${ruleId} to ${toRole} on ${incidentId}`,
        );
      }
      return [{ type: 'IncidentEscalated', data: { ...recorded, toRole, reason, ruleId: ruleId ?? null } }];
    }
    case 'ChangeSeverity': {
      const { to, reason, measurement } = command.data;
      const incident = requireExisting(state, incidentId);
      if (incident.severity === to)
        throw new IllegalTransitionError('severity_unchanged', `${incidentId} is ${to}`);
      requireText(reason, 'reason');
      return [
        {
          type: 'SeverityChanged',
          data: {
            ...recorded,
            from: incident.severity,
            to,
            reason,
            ...(measurement !== undefined && { measurement }),
          },
        },
      ];
    }
    case 'IdentifyRootCause': {
      const { rootCause } = command.data;
      const incident = requireExisting(state, incidentId);
      requireText(rootCause, 'rootCause');
      if (incident.rootCause?.text === rootCause) {
        throw new IllegalTransitionError('root_cause_unchanged', `${incidentId} root cause already recorded`);
      }
      return [{ type: 'RootCauseIdentified', data: { ...recorded, rootCause } }];
    }
    case 'PostStatusUpdate': {
      const { updateId, status, message, visibility } = command.data;
      const incident = requireExisting(state, incidentId);
      requireText(updateId, 'updateId');
      requireText(message, 'message');
      if (incident.statusUpdates[updateId]) {
        throw new IllegalTransitionError('status_update_already_posted', `${updateId} on ${incidentId}`);
      }
      return [{ type: 'StatusUpdatePosted', data: { ...recorded, updateId, status, message, visibility } }];
    }
    case 'AttemptMitigation': {
      const { mitigationId, action, description, params } = command.data;
      const incident = requireOpen(state, incidentId);
      requireText(mitigationId, 'mitigationId');
      requireText(description, 'description');
      if (incident.mitigations[mitigationId]) {
        throw new IllegalTransitionError('mitigation_already_exists', `${mitigationId} on ${incidentId}`);
      }
      return [
        {
          type: 'MitigationAttempted',
          data: { ...recorded, mitigationId, action, description, params: params ?? {} },
        },
      ];
    }
    case 'RecordMitigationResult': {
      const { mitigationId, outcome, message } = command.data;
      const incident = requireExisting(state, incidentId);
      const mitigation = incident.mitigations[mitigationId];
      if (!mitigation) throw new NotFoundError('mitigation_not_found', `${mitigationId} on ${incidentId}`);
      // A rollback may finish after someone resolved the incident; its result is still a fact.
      if (mitigation.result) {
        throw new IllegalTransitionError(
          'mitigation_already_recorded',
          `${mitigationId} ${mitigation.result.outcome}`,
        );
      }
      requireText(message, 'message');
      return [{ type: 'MitigationResultRecorded', data: { ...recorded, mitigationId, outcome, message } }];
    }
    case 'MarkMitigated': {
      const { mitigationId } = command.data;
      const incident = requireOpen(state, incidentId);
      if (incident.mitigation) {
        throw new IllegalTransitionError(
          'already_mitigated',
          `${incidentId} mitigated at ${incident.mitigation.at}`,
        );
      }
      if (mitigationId !== undefined && !incident.mitigations[mitigationId]) {
        throw new NotFoundError('mitigation_not_found', `${mitigationId} on ${incidentId}`);
      }
      return [{ type: 'IncidentMitigated', data: { ...recorded, mitigationId: mitigationId ?? null } }];
    }
    case 'ReportRelapse': {
      const incident = requireOpen(state, incidentId);
      if (!incident.mitigation)
        throw new IllegalTransitionError('incident_not_mitigated', `${incidentId} is ${incident.status}`);
      requireText(command.data.reason, 'reason');
      return [{ type: 'IncidentRelapsed', data: { ...recorded, reason: command.data.reason } }];
    }
    case 'ResolveIncident': {
      requireOpen(state, incidentId);
      requireText(command.data.resolution, 'resolution');
      return [{ type: 'IncidentResolved', data: { ...recorded, resolution: command.data.resolution } }];
    }
    case 'ReopenIncident': {
      const incident = requireExisting(state, incidentId);
      if (incident.status !== 'resolved')
        throw new IllegalTransitionError('incident_not_resolved', `${incidentId} is open`);
      // A published postmortem is the final public account; a recurrence is a new (repeat) incident.
      if (incident.postmortem.status === 'published') {
        throw new IllegalTransitionError(
          'postmortem_already_published',
          `${incidentId} postmortem is published`,
        );
      }
      requireText(command.data.reason, 'reason');
      return [{ type: 'IncidentReopened', data: { ...recorded, reason: command.data.reason } }];
    }
    case 'AddNote':
      requireExisting(state, incidentId);
      requireText(command.data.text, 'text');
      return [{ type: 'NoteAdded', data: { ...recorded, text: command.data.text } }];
    case 'RecordNotificationSent':
    case 'RecordNotificationFailed': {
      const { channelId, channelType, target, attempt, forEventSeq } = command.data;
      const incident = requireExisting(state, incidentId);
      requireText(channelId, 'channelId');
      if (!Number.isInteger(attempt) || attempt < 1)
        throw new InvalidCommandError('invalid_command', 'attempt must be ≥ 1');
      if (!Number.isInteger(forEventSeq) || forEventSeq < 0) {
        throw new InvalidCommandError('invalid_command', 'forEventSeq must be a sequence number');
      }
      const key = notificationKey(command.data);
      if (isRecorded(incident.notifications, key))
        throw new IllegalTransitionError('notification_already_recorded', key);
      const delivery = { ...recorded, channelId, channelType, target, attempt, forEventSeq };
      if (command.type === 'RecordNotificationSent') return [{ type: 'NotificationSent', data: delivery }];
      requireText(command.data.reason, 'reason');
      return [{ type: 'NotificationFailed', data: { ...delivery, reason: command.data.reason } }];
    }
    case 'DraftPostmortem': {
      const incident = requireResolvedForPostmortem(state, incidentId);
      const { postmortem } = incident;
      if (postmortem.status === 'published') {
        throw new IllegalTransitionError(
          'postmortem_already_published',
          `${incidentId} postmortem is published`,
        );
      }
      const draft: PostmortemDraft = {
        summary: command.data.summary ?? null,
        impactNarrative: command.data.impactNarrative ?? null,
        lessonsLearned: [...command.data.lessonsLearned],
        acknowledgments: [...(command.data.acknowledgments ?? [])],
      };
      if (postmortem.status === 'drafted' && sameDraft(postmortem.draft, draft)) {
        throw new IllegalTransitionError(
          'postmortem_unchanged',
          `${incidentId} draft ${postmortem.revision}`,
        );
      }
      const revision = postmortem.status === 'drafted' ? postmortem.revision + 1 : 1;
      return [{ type: 'PostmortemDrafted', data: { ...recorded, draft, revision } }];
    }
    case 'PublishPostmortem': {
      const { postmortem } = requireResolvedForPostmortem(state, incidentId);
      if (postmortem.status === 'none')
        throw new IllegalTransitionError('postmortem_not_drafted', incidentId);
      if (postmortem.status === 'published') {
        throw new IllegalTransitionError(
          'postmortem_already_published',
          `${incidentId} postmortem is published`,
        );
      }
      return [{ type: 'PostmortemPublished', data: { ...recorded, revision: postmortem.revision } }];
    }
    case 'AddActionItem': {
      const { actionItemId, title, ownerRole, ownerPerson, dueDate, kind } = command.data;
      const incident = requireExisting(state, incidentId);
      requireText(actionItemId, 'actionItemId');
      requireText(title, 'title');
      if (dueDate !== undefined && !isDueDate(dueDate)) {
        throw new InvalidCommandError('invalid_command', `dueDate is not a date: ${dueDate}`);
      }
      if (incident.actionItems[actionItemId]) {
        throw new IllegalTransitionError('action_item_already_exists', `${actionItemId} on ${incidentId}`);
      }
      const owner = { role: ownerRole ?? null, person: ownerPerson ?? null };
      return [
        {
          type: 'ActionItemAdded',
          data: { ...recorded, actionItemId, title, owner, dueDate: dueDate ?? null, kind },
        },
      ];
    }
    case 'ChangeActionItemStatus': {
      const { actionItemId, to, reason } = command.data;
      const incident = requireExisting(state, incidentId);
      const item = incident.actionItems[actionItemId];
      if (!item) throw new NotFoundError('action_item_not_found', `${actionItemId} on ${incidentId}`);
      if (item.status === to)
        throw new IllegalTransitionError('action_item_status_unchanged', `${actionItemId} is ${to}`);
      if (!actionItemTransitions[item.status].includes(to)) {
        throw new IllegalTransitionError(
          'invalid_status_transition',
          `${actionItemId} ${item.status} → ${to}`,
        );
      }
      if (to === 'failed' && !reason?.trim())
        throw new InvalidCommandError('reason_required', `failing ${actionItemId}`);
      return [
        {
          type: 'ActionItemStatusChanged',
          data: { ...recorded, actionItemId, from: item.status, to, reason: reason ?? null },
        },
      ];
    }
    default: {
      const unhandled: never = command;
      throw new UnknownCommandError(unhandled);
    }
  }
}

function requireAbsent(state: IncidentState, incidentId: string): void {
  if (state.status !== 'none')
    throw new IllegalTransitionError('incident_already_exists', `${state.id} exists`);
  requireText(incidentId, 'incidentId');
}

function requireExisting(state: IncidentState, incidentId: string): ExistingIncident {
  // A mismatched id means the command was routed to another incident's stream.
  if (state.status === 'none' || state.id !== incidentId)
    throw new NotFoundError('incident_not_found', incidentId);
  return state;
}

function requireOpen(state: IncidentState, incidentId: string): OpenIncident {
  const incident = requireExisting(state, incidentId);
  if (incident.status === 'resolved') {
    throw new IllegalTransitionError(
      'incident_already_resolved',
      `${incidentId} resolved at ${incident.resolution.at}`,
    );
  }
  return incident;
}

function requireResolvedForPostmortem(state: IncidentState, incidentId: string): ExistingIncident {
  const incident = requireExisting(state, incidentId);
  if (incident.status !== 'resolved') {
    throw new IllegalTransitionError('postmortem_requires_resolution', `${incidentId} is ${incident.status}`);
  }
  return incident;
}

function requireOpening(data: { service: string; title: string; startedAt: string }): void {
  requireText(data.service, 'service');
  requireText(data.title, 'title');
  requireInstant(data.startedAt, 'startedAt');
}

function requireText(value: string, field: string): void {
  if (value.trim() === '') throw new InvalidCommandError('invalid_command', `${field} must not be empty`);
}

function requireInstant(value: string, field: string): void {
  if (!isInstant(value))
    throw new InvalidCommandError('invalid_command', `${field} is not an ISO-8601 instant: ${value}`);
}

function isDueDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? !Number.isNaN(Date.parse(value)) : isInstant(value);
}

function sameDraft(a: PostmortemDraft, b: PostmortemDraft): boolean {
  const same = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.summary === b.summary &&
    a.impactNarrative === b.impactNarrative &&
    same(a.lessonsLearned, b.lessonsLearned) &&
    same(a.acknowledgments, b.acknowledgments)
  );
}
