// Verifies a Standard Webhooks signature the way a receiver does, independently of the
// notifier's signing code: HMAC-SHA256 over "id.timestamp.body" with the decoded secret.
export async function verifyStandardWebhook(
  secret: string,
  headers: Record<string, string>,
  body: string,
): Promise<boolean> {
  const key = Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (char) => char.charCodeAt(0));
  const hmac = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
  const signed = new TextEncoder().encode(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`);
  for (const candidate of (headers['webhook-signature'] ?? '').split(' ')) {
    const [version, signature] = candidate.split(',');
    if (version !== 'v1' || !signature) continue;
    const bytes = Uint8Array.from(atob(signature), (char) => char.charCodeAt(0));
    if (await crypto.subtle.verify('HMAC', hmac, bytes, signed)) return true;
  }
  return false;
}
