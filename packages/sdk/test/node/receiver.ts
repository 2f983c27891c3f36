import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QueuedSignals, ReceiverMode, RecordedRequest } from '../receiverProtocol';

interface Tenant {
  mode: ReceiverMode;
  requests: RecordedRequest[];
}

/**
 * A producer stand-in. Each test works under its own path prefix (a tenant), so tests share
 * one server without seeing each other's traffic:
 * - `POST /{tenant}/v1/signals` is recorded, then answered as the tenant's mode says
 *   (`accept` 202 like the producer, `fail` 500, `hang` never, `reject` 400);
 * - `PUT /{tenant}/mode` sets the mode; `GET /{tenant}/requests` lists what was recorded;
 * - `POST /queue` records the messages the test Worker's consumer took off vigil-signals,
 *   under each signal's service; `GET /queue/{service}` lists them.
 */
export async function startReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const tenants = new Map<string, Tenant>();
  const queued = new Map<string, QueuedSignals>();
  const tenant = (name: string) => {
    let found = tenants.get(name);
    if (!found) {
      found = { mode: 'accept', requests: [] };
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
    if (route === 'GET requests') return answer(response, 200, current.requests);
    if (route !== 'POST v1/signals') return answer(response, 404, { code: 'not_found' });

    const body = await readJson(request);
    current.requests.push({
      method: request.method ?? '',
      path,
      authorization: request.headers.authorization ?? null,
      contentType: request.headers['content-type'] ?? null,
      body,
    });
    switch (current.mode) {
      case 'accept': {
        const count = (body as { signals: unknown[] }).signals.length;
        const ids = Array.from(
          { length: count },
          (_, index) => `sig_receiver${current.requests.length}_${index}`,
        );
        return answer(response, 202, { accepted: count, ids });
      }
      case 'fail':
        return answer(response, 500, { code: 'internal' });
      case 'reject':
        return answer(response, 400, { code: 'invalid_body' });
      case 'hang':
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

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : null;
}

function answer(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
