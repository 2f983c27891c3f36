import { MAX_BODY_BYTES, readText } from '@vigil/http';
import { describe, expect, it } from 'vitest';

/** A streamed body of `total` bytes sent without Content-Length, counting what was pulled from it. */
function chunkedRequest(total: number) {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const sent = { bytes: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent.bytes >= total) return controller.close();
      sent.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const request = new Request('http://producer.test/v1/signals', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    // @ts-expect-error a stream body needs duplex: 'half' (not in every RequestInit type)
    duplex: 'half',
  });
  return { request, sent };
}

describe('request body limit', () => {
  it('stops reading a body sent without Content-Length as soon as it passes the limit', async () => {
    const { request, sent } = chunkedRequest(32 * 1024 * 1024);
    expect(request.headers.get('content-length')).toBeNull();
    await expect(
      readText(request, { maxBytes: MAX_BODY_BYTES, contentType: 'application/json' }),
    ).rejects.toMatchObject({ status: 413, code: 'body_too_large' });
    expect(sent.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * 64 * 1024);
  });

  it('reads a streamed body under the limit whole', async () => {
    const { request, sent } = chunkedRequest(200 * 1024);
    const text = await readText(request, { maxBytes: MAX_BODY_BYTES, contentType: 'application/json' });
    expect(text.length).toBe(sent.bytes);
    expect(text.length).toBeGreaterThan(200 * 1024);
  });
});
