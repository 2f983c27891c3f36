/**
 * The status-page vocabulary for an update.
 *
 * @example
 * const status: PublicStatus = 'monitoring';
 */
export type PublicStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';

/**
 * Who may read an update: everyone (status page) or only responders.
 *
 * @example
 * const visibility: Visibility = 'internal';
 */
export type Visibility = 'public' | 'internal';
