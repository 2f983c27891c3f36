/**
 * The stable id of one delivery: the same channel and event always give the same id, so a
 * replayed plan inserts nothing new, and every retry carries the same Standard Webhooks
 * `webhook-id`. A digest gets its own id from the page whose window it closes.
 *
 * @example
 * await deliveryId('ch_ops', 42, 'event'); // 'msg_5d41402abc4b2a76b9719d911017c592'
 */
export async function deliveryId(channelId: string, seq: number, kind: 'event' | 'digest'): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`${kind}:${channelId}:${seq}`),
  );
  const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `msg_${hex.slice(0, 32)}`;
}
