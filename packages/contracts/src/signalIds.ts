/**
 * Ids for signals received together, in the producer's format: `sig_` + time + one random
 * part per call + position, so ids sort by receive time and then by position in the request.
 * One random draw per call rather than per signal: a request of a thousand signals costs one.
 *
 * @example
 * newSignalIds(new Date(), 2); // ['sig_0mihx3k2a9f3c1d27be4a06150000', 'sig_0mihx3k2a9f3c1d27be4a06150001']
 */
export function newSignalIds(now: Date, count: number): string[] {
  const random = crypto.getRandomValues(new Uint8Array(8));
  const hex = [...random].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  const prefix = `sig_${now.getTime().toString(36).padStart(9, '0')}${hex}`;
  return Array.from({ length: count }, (_, position) => `${prefix}${position.toString(36).padStart(4, '0')}`);
}
