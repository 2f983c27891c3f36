import type { Severity } from '../severity/severity';

/**
 * How long an incident is expected to take to resolve, in minutes, as an ISO-8601
 * duration and as words for people.
 *
 * @example
 * const p1: ExpectedResolution = { minutes: 120, iso: 'PT2H', text: '2 hours' };
 */
export type ExpectedResolution = { readonly minutes: number; readonly iso: string; readonly text: string };

const bySeverity: Readonly<Record<Severity, ExpectedResolution>> = {
  P0: { minutes: 60, iso: 'PT1H', text: '1 hour' },
  P1: { minutes: 120, iso: 'PT2H', text: '2 hours' },
  P2: { minutes: 240, iso: 'PT4H', text: '4 hours' },
  P3: { minutes: 480, iso: 'PT8H', text: '8 hours' },
};

/**
 * The runbook's expected resolution time for a severity: 1, 2, 4 or 8 hours.
 *
 * @example
 * expectedResolutionFor('P2').text; // '4 hours'
 */
export function expectedResolutionFor(severity: Severity): ExpectedResolution {
  return bySeverity[severity];
}
