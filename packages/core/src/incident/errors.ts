/**
 * Why a command was refused (or a stream could not be read), one code per kind of failure.
 *
 * @example
 * const code: DomainErrorCode = 'incident_already_resolved';
 */
export type DomainErrorCode =
  | 'incident_not_found'
  | 'incident_already_exists'
  | 'incident_already_resolved'
  | 'incident_not_resolved'
  | 'incident_not_mitigated'
  | 'already_acknowledged'
  | 'already_mitigated'
  | 'severity_unchanged'
  | 'root_cause_unchanged'
  | 'escalation_already_recorded'
  | 'status_update_already_posted'
  | 'mitigation_not_found'
  | 'mitigation_already_exists'
  | 'mitigation_already_recorded'
  | 'notification_already_recorded'
  | 'postmortem_requires_resolution'
  | 'postmortem_not_drafted'
  | 'postmortem_unchanged'
  | 'postmortem_already_published'
  | 'action_item_not_found'
  | 'action_item_already_exists'
  | 'action_item_status_unchanged'
  | 'invalid_status_transition'
  | 'reason_required'
  | 'actor_not_allowed'
  | 'invalid_command'
  | 'unknown_command'
  | 'unknown_event'
  | 'stream_corrupt';

// What a caller may be shown; the internal message can name ids and states.
const publicMessages: Readonly<Record<DomainErrorCode, string>> = {
  incident_not_found: 'No such incident.',
  incident_already_exists: 'This incident already exists.',
  incident_already_resolved: 'The incident is resolved; reopen it first.',
  incident_not_resolved: 'The incident is not resolved.',
  incident_not_mitigated: 'The incident is not mitigated.',
  already_acknowledged: 'The incident is already acknowledged.',
  already_mitigated: 'The incident is already mitigated.',
  severity_unchanged: 'The incident already has this severity.',
  root_cause_unchanged: 'This root cause is already recorded.',
  escalation_already_recorded: 'This escalation is already recorded.',
  status_update_already_posted: 'This status update is already posted.',
  mitigation_not_found: 'No such mitigation on this incident.',
  mitigation_already_exists: 'A mitigation with this id already exists.',
  mitigation_already_recorded: 'This mitigation already has a result.',
  notification_already_recorded: 'This delivery attempt is already recorded.',
  postmortem_requires_resolution: 'A postmortem needs a resolved incident.',
  postmortem_not_drafted: 'The postmortem has no draft yet.',
  postmortem_unchanged: 'The draft is the same as the current one.',
  postmortem_already_published: 'The postmortem is already published.',
  action_item_not_found: 'No such action item on this incident.',
  action_item_already_exists: 'An action item with this id already exists.',
  action_item_status_unchanged: 'The action item already has this status.',
  invalid_status_transition: 'The action item cannot move to this status.',
  reason_required: 'A reason is required.',
  actor_not_allowed: 'This actor may not do this.',
  invalid_command: 'The command is invalid.',
  unknown_command: 'Unknown command.',
  unknown_event: 'Unknown event.',
  stream_corrupt: 'The incident history could not be read.',
};

/**
 * A refused command or unreadable stream. `code` is stable and machine-readable; `publicMessage`
 * may be shown to callers; `message` is for logs. One place maps codes to HTTP answers.
 *
 * @example
 * try { decide(command, state) } catch (error) { if (error instanceof DomainError) return problem(error.code) }
 */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly publicMessage: string;

  constructor(code: DomainErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.publicMessage = publicMessages[code];
  }
}

/**
 * The incident, or a mitigation or action item on it, does not exist.
 *
 * @example
 * new NotFoundError('mitigation_not_found', 'mitigation m1 on INC-1');
 */
export class NotFoundError extends DomainError {
  constructor(
    code: 'incident_not_found' | 'mitigation_not_found' | 'action_item_not_found',
    message: string,
  ) {
    super(code, message);
  }
}

/**
 * The command is well formed but the incident's current state forbids it, or it would change nothing.
 *
 * @example
 * new IllegalTransitionError('already_acknowledged', 'INC-1 was acknowledged at 10:04');
 */
export class IllegalTransitionError extends DomainError {}

/**
 * The command itself is malformed: empty text, a bad timestamp, a missing reason, a wrong actor.
 *
 * @example
 * new InvalidCommandError('reason_required', 'failing an action item needs a reason');
 */
export class InvalidCommandError extends DomainError {
  constructor(code: 'invalid_command' | 'reason_required' | 'actor_not_allowed', message: string) {
    super(code, message);
  }
}

/**
 * A command outside the union reached `decide`: a bug in the caller, never user input.
 *
 * @example
 * default: { const unhandled: never = command; throw new UnknownCommandError(unhandled); }
 */
export class UnknownCommandError extends DomainError {
  constructor(command: { readonly type: string }) {
    super('unknown_command', `unknown incident command: ${String(command.type)}`);
  }
}

/**
 * An event outside the union reached `evolve`: the stream was written by a newer version.
 *
 * @example
 * default: { const unhandled: never = event; throw new UnknownEventError(unhandled); }
 */
export class UnknownEventError extends DomainError {
  constructor(event: { readonly type: string }) {
    super('unknown_event', `unknown incident event: ${String(event.type)}`);
  }
}

/**
 * A stream that contradicts itself: an event before the incident opened, or a second opening.
 *
 * @example
 * new CorruptStreamError('NoteAdded before the incident opened');
 */
export class CorruptStreamError extends DomainError {
  constructor(message: string) {
    super('stream_corrupt', message);
  }
}
