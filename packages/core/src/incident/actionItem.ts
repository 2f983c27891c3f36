/**
 * What an improvement changes, from the runbook's improvement tracker.
 *
 * @example
 * const kind: ActionItemKind = 'alerting';
 */
export type ActionItemKind = 'monitoring' | 'alerting' | 'procedure' | 'documentation' | 'other';

/**
 * Where an improvement stands.
 *
 * @example
 * const status: ActionItemStatus = 'in-progress';
 */
export type ActionItemStatus = 'pending' | 'in-progress' | 'completed' | 'failed';

/**
 * Who owns an improvement: a role, a person, or both.
 *
 * @example
 * const owner: ActionItemOwner = { role: 'senior-engineer', person: 'alice' };
 */
export type ActionItemOwner = { readonly role: string | null; readonly person: string | null };

/**
 * The status changes an action item allows. Completed is final; a failed item can be
 * picked up again, since failing once is a reason to retry, not to forget.
 *
 * @example
 * actionItemTransitions.completed; // []
 */
export const actionItemTransitions: Readonly<Record<ActionItemStatus, readonly ActionItemStatus[]>> = {
  pending: ['in-progress', 'completed', 'failed'],
  'in-progress': ['pending', 'completed', 'failed'],
  failed: ['pending', 'in-progress'],
  completed: [],
};
