import type { IncidentEvent } from '../incident/events';
import type { Postmortem } from './postmortem';
import { postmortemOf } from './postmortem';
import { type PublicUpdate, projectPublicIncident } from './publicIncident';

/**
 * The part of a published postmortem the status page shows: the runbook's fields without
 * owners, actor ids or internal timeline entries. The timeline is the public updates; the
 * acknowledgments are the ones the authors wrote into the draft.
 *
 * @example
 * publicPostmortemOf(events)?.rootCause; // null until the postmortem is published
 */
export type PublicPostmortem = Omit<Postmortem, 'timeline' | 'actionItems' | 'acknowledgments' | 'status'> & {
  readonly name: string;
  readonly timeline: readonly PublicUpdate[];
  readonly actionItems: readonly { readonly title: string; readonly status: string }[];
  readonly acknowledgments: readonly string[];
};

/** The public postmortem of a stream, or null while it is not published. */
export function publicPostmortemOf(
  events: readonly (IncidentEvent & { readonly seq: number; readonly version: number })[],
): PublicPostmortem | null {
  const postmortem = postmortemOf(events);
  const model = events.reduce(projectPublicIncident, null);
  if (postmortem.status !== 'published' || !model) return null;
  const drafted = events.findLast((event) => event.type === 'PostmortemDrafted');
  const draft = drafted?.type === 'PostmortemDrafted' ? drafted.data.draft : null;
  const { timeline: _timeline, actionItems, acknowledgments: _all, status: _status, ...fields } = postmortem;
  const { summary } = postmortem;
  // Internal titles and observations can name people, versions and roles: the public text is
  // what the authors wrote, or one built from public facts only.
  const resolved = summary.resolvedAt ? ` and was resolved at ${summary.resolvedAt}` : '';
  return {
    ...fields,
    title: `${model.name} on ${postmortem.date}`,
    name: model.name,
    summary: {
      ...summary,
      text:
        draft?.summary ??
        `${model.name} started at ${summary.startedAt}, affecting an estimated ${summary.usersAffected}% of users; it was detected at ${summary.detectedAt}${resolved}.`,
    },
    timeline: model.updates,
    actionItems: actionItems.map((item) => ({ title: item.title, status: item.status })),
    lessonsLearned: draft?.lessonsLearned ?? [],
    acknowledgments: draft?.acknowledgments ?? [],
  };
}
