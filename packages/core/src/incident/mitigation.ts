/**
 * What responders can do to stop the impact, from the runbook's mitigation types.
 *
 * @example
 * const action: MitigationAction = 'rollback';
 */
export type MitigationAction = 'rollback' | 'scale_up' | 'clear_cache' | 'restart_service' | 'custom';

/**
 * Parameters of a mitigation, such as the version to roll back to or the scale target.
 *
 * @example
 * const params: MitigationParams = { targetVersion: 'v41' };
 */
export type MitigationParams = Readonly<Record<string, string | number | boolean>>;

/**
 * Whether a mitigation action did what it was meant to do (not whether the incident is over).
 *
 * @example
 * const outcome: MitigationOutcome = 'failed';
 */
export type MitigationOutcome = 'succeeded' | 'failed';
