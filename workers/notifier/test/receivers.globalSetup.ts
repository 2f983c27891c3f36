// Runs in Node, outside workerd: real HTTP receivers on 127.0.0.1 that record every request
// and answer as a test scripts them, so channel tests exercise real HTTP, not a mocked fetch.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the recording receiver: requests to `/r/<box>/…` are recorded under `<box>`. */
    receiverUrl: string;
    /** A URL where nothing listens: a receiver that is down. */
    deadUrl: string;
  }
}

/** One scripted answer; `delayMs` holds the answer back (to make the caller time out). */
interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

interface Box {
  responses: ScriptedResponse[];
  otherwise: ScriptedResponse;
  requests: { method: string; path: string; headers: Record<string, string>; body: string; at: string }[];
}

export default async function setup(project: TestProject) {
  const boxes = new Map<string, Box>();
  const boxNamed = (name: string): Box => {
    let box = boxes.get(name);
    if (!box) {
      box = { responses: [], otherwise: { status: 200, body: 'ok' }, requests: [] };
      boxes.set(name, box);
    }
    return box;
  };

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://receiver');
    const [, area, name = '', ...rest] = url.pathname.split('/');
    if (area === '__control') {
      const box = boxNamed(name);
      if (request.method === 'POST') {
        const script = JSON.parse(body) as { responses?: ScriptedResponse[]; otherwise?: ScriptedResponse };
        box.responses = script.responses ?? [];
        if (script.otherwise) box.otherwise = script.otherwise;
        response.writeHead(204).end();
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(box.requests));
      }
      return;
    }
    if (area !== 'r') {
      response.writeHead(404).end('unknown path');
      return;
    }
    const box = boxNamed(name);
    box.requests.push({
      method: request.method ?? 'GET',
      path: `/${rest.join('/')}`,
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([key, value]) => [
          key,
          Array.isArray(value) ? value.join(', ') : String(value),
        ]),
      ),
      body,
      at: new Date().toISOString(),
    });
    const answer = box.responses.shift() ?? box.otherwise;
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (response.destroyed) return;
    response.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
  });
  const port = await listen(server);
  const deadPort = await freePort();
  project.provide('receiverUrl', `http://127.0.0.1:${port}`);
  project.provide('deadUrl', `http://127.0.0.1:${deadPort}/hook`);
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

// A port that was free a moment ago and is closed again: connections to it are refused.
async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
