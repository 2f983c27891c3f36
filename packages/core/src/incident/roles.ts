/**
 * The responder roles the runbook names. Escalations may target other roles too (a team
 * of its own, say), so `Role` also accepts any other string.
 *
 * @example
 * const owner: KnownRole = 'senior-engineer';
 */
export type KnownRole =
  | 'ceo'
  | 'vp-engineering'
  | 'team-lead'
  | 'senior-engineer'
  | 'engineer'
  | 'junior-engineer'
  | 'incident-commander'
  | 'stakeholders';

/**
 * A role an incident is owned by or escalated to.
 *
 * @example
 * const role: Role = 'database-oncall';
 */
export type Role = KnownRole | (string & {});
