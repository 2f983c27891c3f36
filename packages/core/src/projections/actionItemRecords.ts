import type { ActionItem, IncidentState } from '../incident/state';

/**
 * An action item as the read model lists it: the item with its incident and service.
 *
 * @example
 * actionItemRecords(state).filter((item) => item.status !== 'completed');
 */
export type ActionItemRecord = ActionItem & { readonly incidentId: string; readonly service: string };

/** Every action item of an incident, in the order they were added. */
export function actionItemRecords(state: IncidentState): ActionItemRecord[] {
  if (state.status === 'none') return [];
  return Object.values(state.actionItems)
    .map((item) => ({ ...item, incidentId: state.id, service: state.service }))
    .sort((a, b) => (a.added.at < b.added.at ? -1 : a.added.at > b.added.at ? 1 : a.id < b.id ? -1 : 1));
}
