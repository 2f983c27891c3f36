import { byteLength } from '@vigil/contracts';

/**
 * How much of an alert's details travel with it. An alert is one signal and a signal lives in one
 * queue message of at most 128 KB, while PagerDuty accepts events of 512 KB and Alertmanager
 * annotations have no bound: past this, a sendBatch would be refused and the alert lost.
 */
export const MAX_ALERT_DETAILS_BYTES = 32 * 1024;

/**
 * An alert's details as the source sent them, or, when they are larger than the bound, only
 * their size: nothing downstream reads them, and the alert itself must get through.
 *
 * @example
 * boundedDetails({ customDetails: { log: 'x'.repeat(200_000) } }); // { truncated: true, bytes: 200032 }
 */
export function boundedDetails(details: Record<string, unknown>): Record<string, unknown> {
  const bytes = byteLength(JSON.stringify(details));
  return bytes <= MAX_ALERT_DETAILS_BYTES ? details : { truncated: true, bytes };
}
