/**
 * What kind of signal an incident comes from. The runbook names the first ones; sources
 * may bring their own, so any other string is accepted and triaged as operational.
 *
 * @example
 * const kind: IncidentKind = 'error_rate';
 */
export type IncidentKind =
  | 'error_rate'
  | 'response_time'
  | 'availability'
  | 'security'
  | 'deployment'
  | 'alert'
  | 'manual'
  // Keeps editor completion for the known kinds while allowing any other string.
  | (string & {});

/**
 * The kinds a metric window can breach, each with its own threshold and severity ladder.
 *
 * @example
 * const measured: MetricKind = 'availability';
 */
export type MetricKind = 'error_rate' | 'response_time' | 'availability';
