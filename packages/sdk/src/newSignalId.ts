/**
 * A signal id in the producer's format, `sig_` + time + random, so ids sort by creation time.
 * The queue transport sends it as the envelope id: a retried snapshot keeps its id and the
 * detector counts it once.
 *
 * @example
 * newSignalId(new Date()); // 'sig_0mihx3k2a9f3c1d27be4a0615'
 */
export function newSignalId(now: Date): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  const hex = [...random].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `sig_${now.getTime().toString(36).padStart(9, '0')}${hex}`;
}
