import { describe, expect, it } from 'vitest';
import { type PagerDutyAction, supersedes } from './pagerDuty';

const actions: PagerDutyAction[] = ['trigger', 'acknowledge', 'resolve'];

describe('PagerDuty actions of one incident', () => {
  it('drop an earlier action only when sending it after a later one would undo that one', () => {
    const stale = actions.flatMap((later) =>
      actions.filter((earlier) => supersedes(later, earlier)).map((earlier) => `${earlier} before ${later}`),
    );
    expect(stale).toEqual([
      // A late resolve would close the alert a reopen opened again.
      'resolve before trigger',
      // A late trigger would page people for an incident someone owns.
      'trigger before acknowledge',
      // A late trigger would open a new alert for a resolved incident; a late acknowledge says nothing.
      'trigger before resolve',
      'acknowledge before resolve',
    ]);
  });
});
