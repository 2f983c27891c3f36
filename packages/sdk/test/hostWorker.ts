// A production Worker that uses the SDK: an orders API wrapped by `vigil.wrap`, with the
// deploy, error and security helpers where such an app would call them. Tests build their
// own host with `createHost` (a fresh Vigil per test); the default export is the deployed
// shape, one wrapped app per transport picked by host name, and a queue consumer standing in
// for the detector that hands what arrives on vigil-signals to the Node receiver.
import { readSignalsMessage } from '@vigil/contracts';
import { createVigil, http, queue, serviceBinding, type Vigil, type VigilOptions } from '../src/index';

export class OrderStoreUnavailable extends Error {
  override readonly name = 'OrderStoreUnavailable';
}

/** `/api/orders/7` → `api`, `/status/503` → `status`, `/` → `root`. */
export const firstPathSegment = (request: Request) => new URL(request.url).pathname.split('/')[1] || 'root';

export function ordersApp(vigil: Vigil<Env>) {
  return {
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      const { pathname, searchParams } = new URL(request.url);
      if (pathname.startsWith('/api/orders/')) {
        return Response.json({ id: pathname.slice('/api/orders/'.length), status: 'paid' });
      }
      if (pathname === '/api/slow') {
        await scheduler.wait(Number(searchParams.get('ms') ?? '0'));
        return Response.json({ slow: true });
      }
      if (pathname.startsWith('/status/')) return new Response(null, { status: Number(pathname.slice(8)) });
      if (pathname === '/throw') throw new OrderStoreUnavailable('order store unreachable');
      if (pathname === '/admin/deploy') {
        vigil.deployment(env, ctx, {
          version: searchParams.get('version') ?? '',
          commit: searchParams.get('commit') ?? undefined,
          author: searchParams.get('author') ?? undefined,
        });
        return new Response(null, { status: 204 });
      }
      if (pathname === '/login') {
        vigil.security(env, ctx, 'Failed login', { user: searchParams.get('user') ?? '', attempts: 5 });
        return new Response(null, { status: 401 });
      }
      if (pathname === '/api/report') {
        try {
          throw new RangeError('report period out of range');
        } catch (caught) {
          vigil.error(env, ctx, caught, { route: '/api/report' });
          return Response.json({ error: 'report unavailable' }, { status: 500 });
        }
      }
      return new Response('not found', { status: 404 });
    },
  };
}

/** A host as a production Worker builds one: its own Vigil, the app wrapped by it. */
export function createHost(options: VigilOptions<Env>) {
  const vigil = createVigil<Env>({ routeGroup: firstPathSegment, ...options });
  return { vigil, worker: vigil.wrap(ordersApp(vigil)) };
}

export const transports = {
  serviceBinding: serviceBinding((env: Env) => env.VIGIL),
  queue: queue((env: Env) => env.VIGIL_SIGNALS),
  /** HTTP to the Node receiver, under the receiver tenant `tenant`. */
  http: (tenant: string, timeoutMs?: number) =>
    http((env: Env) => ({ url: `${env.RECEIVER_URL}/${tenant}`, key: env.VIGIL_KEY, timeoutMs })),
};

const hosts: Record<string, ReturnType<typeof createHost>> = {
  'checkout.example': createHost({
    service: 'checkout',
    transport: transports.serviceBinding,
    windowSeconds: 1,
  }),
  'search.example': createHost({ service: 'search', transport: transports.queue, windowSeconds: 1 }),
  'billing.example': createHost({
    service: 'billing',
    transport: transports.http('billing'),
    windowSeconds: 1,
  }),
};

export default {
  fetch(request, env, ctx) {
    const host = hosts[new URL(request.url).hostname];
    return host ? host.worker.fetch(request, env, ctx) : new Response('no such host', { status: 421 });
  },
  async queue(batch, env) {
    // Read as the detector reads: a body that is not a SignalsMessage is never recorded.
    const messages = batch.messages.flatMap((message) => {
      const parsed = readSignalsMessage(message.body);
      if (!parsed.success) console.error('vigil-signals:', parsed.reason);
      return parsed.success ? [{ id: message.id, signals: parsed.data.signals }] : [];
    });
    const recorded = await fetch(`${env.RECEIVER_URL}/queue`, {
      method: 'POST',
      body: JSON.stringify(messages),
    });
    if (recorded.ok) batch.ackAll();
    else batch.retryAll();
  },
} satisfies ExportedHandler<Env>;
