import { newSignalIds } from '@vigil/contracts';

/**
 * A signal id in the producer's format (`sig_` + time + random + position), so ids sort by
 * creation time. The queue transport sends it as the envelope id: a retried snapshot keeps
 * its id and the detector counts it once.
 *
 * @example
 * newSignalId(new Date()); // 'sig_0mihx3k2a9f3c1d27be4a06150000'
 */
export function newSignalId(now: Date): string {
  return newSignalIds(now, 1)[0]!;
}
