import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PRODUCER_MAX_BODY_BYTES,
  type QueuedSignals,
  type ReceiverMode,
  type RecordedRequest,
} from '../receiverProtocol';

// `hang` never answers.
const STATUS_BY_MODE = { accept: 202, fail: 500, reject: 400, hang: null } as const satisfies Record<
  ReceiverMode,
  number | null
>;

interface Tenant {
  mode: ReceiverMode;
  maxBodyBytes: number;
  requests: RecordedRequest[];
}

/**
 * A producer stand-in. Each test works under its own path prefix (a tenant), so tests share
 * one server without seeing each other's traffic:
 * - `POST /{tenant}/v1/signals` is recorded, then answered 413 past the tenant's body limit
 *   (the producer's 1 MiB unless set), else as the tenant's mode says (`accept` 202 like the
 *   producer, `fail` 500, `hang` never, `reject` 400);
 * - `PUT /{tenant}/mode` sets the mode, `PUT /{tenant}/max-body-bytes` the body limit;
 *   `GET /{tenant}/requests` lists what was recorded;
 * - `POST /queue` records the messages the test Worker's consumer took off vigil-signals,
 *   under each signal's service; `GET /queue/{service}` lists them.
 */
export async function startReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const tenants = new Map<string, Tenant>();
  const queued = new Map<string, QueuedSignals>();
  const tenant = (name: string) => {
    let found = tenants.get(name);
    if (!found) {
      found = { mode: 'accept', maxBodyBytes: PRODUCER_MAX_BODY_BYTES, requests: [] };
      tenants.set(name, found);
    }
    return found;
  };

  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://receiver').pathname;
    const [first = '', ...rest] = path.split('/').filter(Boolean);
    const route = `${request.method} ${rest.join('/')}`;
    if (first === 'queue') {
      if (request.method === 'POST') {
        const messages = (await readJson(request)) as {
          id: string;
          signals: { signal: { service: string } }[];
        }[];
        for (const message of messages) {
          for (const envelope of message.signals) {
            const service = envelope.signal.service;
            const entry = queued.get(service) ?? { messageIds: [], envelopes: [] };
            if (!entry.messageIds.includes(message.id)) entry.messageIds.push(message.id);
            entry.envelopes.push(envelope);
            queued.set(service, entry);
          }
        }
        return answer(response, 204);
      }
      return answer(response, 200, queued.get(rest.join('/')) ?? { messageIds: [], envelopes: [] });
    }
    const current = tenant(first);
    if (route === 'PUT mode') {
      current.mode = ((await readJson(request)) as { mode: ReceiverMode }).mode;
      return answer(response, 204);
    }
    if (route === 'PUT max-body-bytes') {
      current.maxBodyBytes = ((await readJson(request)) as { maxBodyBytes: number }).maxBodyBytes;
      return answer(response, 204);
    }
    if (route === 'GET requests') return answer(response, 200, current.requests);
    if (route !== 'POST v1/signals') return answer(response, 404, { code: 'not_found' });

    const raw = await readBody(request);
    const status = raw.byteLength > current.maxBodyBytes ? 413 : STATUS_BY_MODE[current.mode];
    const body = parseJson(raw);
    current.requests.push({
      method: request.method ?? '',
      path,
      authorization: request.headers.authorization ?? null,
      contentType: request.headers['content-type'] ?? null,
      bytes: raw.byteLength,
      body,
      status,
    });
    switch (status) {
      case 202: {
        const count = (body as { signals: unknown[] }).signals.length;
        const ids = Array.from(
          { length: count },
          (_, index) => `sig_receiver${current.requests.length}_${index}`,
        );
        return answer(response, 202, { accepted: count, ids });
      }
      case 413:
        return answer(response, 413, { code: 'body_too_large' });
      case 500:
        return answer(response, 500, { code: 'internal' });
      case 400:
        return answer(response, 400, { code: 'invalid_body' });
      case null:
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  return parseJson(await readBody(request));
}

function parseJson(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  return text ? JSON.parse(text) : null;
}

function answer(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
