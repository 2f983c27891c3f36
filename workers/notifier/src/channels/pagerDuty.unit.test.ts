import { describe, expect, it } from 'vitest';
import { type PagerDutyAction, supersedes } from './pagerDuty';

const actions: PagerDutyAction[] = ['trigger', 'acknowledge', 'resolve'];
// Every event PagerDuty hears, in the order an incident may have them.
const events = [
  'IncidentDetected',
  'IncidentDeclared',
  'SeverityChanged',
  'IncidentEscalated',
  'IncidentAcknowledged',
  'IncidentRelapsed',
  'IncidentResolved',
  'IncidentReopened',
];

describe('PagerDuty actions of one incident', () => {
  it('drop an earlier action only when sending it after a later event would undo that one', () => {
    const stale = Object.fromEntries(
      actions.map((earlier) => [earlier, events.filter((later) => supersedes({ type: later }, earlier))]),
    );
    expect(stale).toEqual({
      // A late trigger would page people for an incident someone owns, or open a new alert for a resolved one.
      trigger: ['IncidentAcknowledged', 'IncidentResolved'],
      // A late acknowledge says nothing after the resolve.
      acknowledge: ['IncidentResolved'],
      // A late resolve would close the alert of an incident open again: PagerDuty hears nothing
      // else of a resolved incident (routing does not send it a reclassification in the review),
      // so any later event it hears, even without the reopen itself, means open again.
      resolve: events.filter((event) => event !== 'IncidentResolved'),
    });
  });
});
