import type { z } from 'zod';
import { RequestError } from './requestError';
import { zodIssues } from './toProblem';

/** Native endpoints accept at most 1 MiB of JSON. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a JSON body and validates it: 415 for another content type, 413 past the limit,
 * 400 for malformed JSON or a body that does not match the schema (with field paths). With
 * `empty`, a request with no body bytes at all (`curl -X POST`, with or without a content type)
 * stands for that value.
 */
export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  { maxBytes = MAX_BODY_BYTES, empty }: { maxBytes?: number; empty?: z.infer<S> } = {},
): Promise<z.infer<S>> {
  let text: string;
  if (empty === undefined) {
    text = await readText(request, { maxBytes, contentType: 'application/json' });
  } else {
    const bytes = await readBytes(request, maxBytes);
    if (bytes.byteLength === 0) return empty;
    requireContentType(request, 'application/json');
    text = new TextDecoder().decode(bytes);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RequestError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new RequestError(400, 'validation_failed', 'The request body is invalid.', zodIssues(parsed.error));
  }
  return parsed.data;
}

export async function readText(
  request: Request,
  { maxBytes, contentType }: { maxBytes: number; contentType: string },
): Promise<string> {
  requireContentType(request, contentType);
  return new TextDecoder().decode(await readBytes(request, maxBytes));
}

function requireContentType(request: Request, contentType: string): void {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== contentType) {
    throw new RequestError(415, 'unsupported_media_type', `Send the body as ${contentType}.`);
  }
}

async function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  return readAtMost(request, maxBytes);
}

/**
 * The body's bytes, read until they pass `maxBytes`: a body sent without Content-Length (chunked)
 * is refused as soon as it is too large, never held whole in memory first.
 */
async function readAtMost(request: Request, maxBytes: number): Promise<Uint8Array> {
  // No body is null on a Request but undefined through itty-router's request proxy (which
  // answers null properties from the route params): both mean no bytes.
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(maxBytes: number): RequestError {
  return new RequestError(413, 'body_too_large', `The request body is larger than ${maxBytes} bytes.`);
}
