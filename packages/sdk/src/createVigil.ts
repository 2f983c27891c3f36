import {
  MAX_SIGNALS_PER_REQUEST,
  type MetricsSignal,
  newSignalIds,
  ServiceName,
  Signal,
} from '@vigil/contracts';
import { describeError, eventSignal, type SignalAttributes } from './eventSignal';
import { Outbox } from './outbox';
import { SignalsRejectedError, SignalsTooLargeError, type Transport } from './transport';
import { WindowAggregator } from './windowAggregator';

export interface VigilOptions<Env> {
  /** The service every signal is sent for, e.g. `checkout`. */
  service: string;
  /** `serviceBinding(…)`, `queue(…)` or `http(…)`. */
  transport: Transport<Env>;
  /**
   * Length of a metrics window in seconds, a divisor of 60 (the detector judges minutes);
   * windows are aligned to the epoch. Default 60.
   */
  windowSeconds?: number;
  /**
   * The route group a request is counted under, e.g. its first path segment. Keep it to a
   * handful of values: past `maxRouteGroups` in a window, requests count under `other`.
   * Without it, each window has one snapshot for the whole service.
   */
  routeGroup?: (request: Request) => string | undefined;
  /** Route groups per window before the rest count under `other`. Default 100. */
  maxRouteGroups?: number;
  /** Signals kept while Vigil cannot be reached; past this the oldest are dropped. Default 1,000. */
  maxBufferedSignals?: number;
}

/** What the SDK did in this isolate since it started. */
export interface VigilStats {
  /** Flushes that delivered everything they sent. */
  flushes: number;
  /** Flushes that failed; what they held is retried on the next flush (or was rejected). */
  failures: number;
  /** Signals Vigil accepted. */
  sent: number;
  /** Signals dropped, oldest first, because the buffer was full. */
  dropped: number;
  /** Signals Vigil refused for good (a 4xx that would repeat), or too large to send on their own. */
  rejected: number;
  /** Helper calls whose signal did not validate (e.g. an empty version); nothing was sent. */
  invalid: number;
  /** Signals waiting for the next flush, including any being sent. */
  buffered: number;
  /** Service and route-group series counted in the open window. */
  openSeries: number;
  /** The last flush failure, or null. */
  lastError: string | null;
}

/** The part of an exported handler the SDK wraps. Method syntax keeps any handler's own `Env` acceptable. */
export interface FetchHandler<Env> {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>;
}

export interface DeploymentInput {
  version: string;
  /** Left out when empty. */
  commit?: string;
  /** Left out when empty. */
  author?: string;
  /** When the deploy happened; default now. */
  at?: Date;
}

export interface Vigil<Env> {
  /**
   * Wraps a module Worker's handlers: every `fetch` is counted (status ≥ 500 or a throw is an
   * error; the thrown value is rethrown unchanged) and closed windows are flushed with
   * `ctx.waitUntil`. The other handlers pass through untouched.
   *
   * @example
   * export default vigil.wrap({ async fetch(request, env, ctx) { return new Response('ok'); } });
   */
  wrap<Handler extends FetchHandler<Env>>(handler: Handler): Handler;
  /**
   * Counts one request handled by `handle`, for hosts that are not a plain handler object
   * (a `WorkerEntrypoint` class, a framework's middleware).
   *
   * @example
   * app.use((c, next) => vigil.measure(c.req.raw, c.env, c.executionCtx, async () => { await next(); return c.res; }));
   */
  measure(
    request: Request,
    env: Env,
    ctx: ExecutionContext,
    handle: () => Response | Promise<Response>,
  ): Promise<Response>;
  /**
   * Sends closed windows and buffered signals now, through `ctx.waitUntil`. The returned
   * promise settles when the flush is over and never rejects.
   *
   * @example
   * async scheduled(controller, env, ctx) { vigil.flush(env, ctx); }
   */
  flush(env: Env, ctx: ExecutionContext): Promise<void>;
  /**
   * Records a deploy of this service; the detector names a deploy just before an incident as
   * its suspect. Sent at once through `ctx.waitUntil`.
   *
   * @example
   * vigil.deployment(env, ctx, { version: env.VERSION, commit: env.COMMIT, author: 'ci' });
   */
  deployment(env: Env, ctx: ExecutionContext, deploy: DeploymentInput): void;
  /**
   * Records an error: a thrown value (its name, message and stack) or a summary.
   *
   * @example
   * catch (caught) { vigil.error(env, ctx, caught, { route: '/pay' }); }
   */
  error(env: Env, ctx: ExecutionContext, error: unknown, attributes?: SignalAttributes): void;
  /**
   * Records a security event.
   *
   * @example
   * vigil.security(env, ctx, 'Repeated failed logins', { ip: request.headers.get('cf-connecting-ip') ?? '' });
   */
  security(env: Env, ctx: ExecutionContext, summary: string, attributes?: SignalAttributes): void;
  /** Counters for this isolate. */
  stats(): VigilStats;
}

export const DEFAULT_WINDOW_SECONDS = 60;
export const DEFAULT_MAX_BUFFERED_SIGNALS = 1000;
export const DEFAULT_MAX_ROUTE_GROUPS = 100;
// A flush the runtime cuts off never settles its lease; waitUntil work ends 30 s after the response.
const LEASE_MS = 30_000;
const MAX_ROUTE_GROUP_LENGTH = 128;

/**
 * The most requests one flush makes: a backlog halved for a receiver that takes less than Vigil
 * does stays well inside a Worker's subrequest limit (50 on the free plan).
 */
const MAX_REQUESTS_PER_FLUSH = 32;

/**
 * Creates the SDK for one service, once per module: it aggregates requests in the isolate
 * and flushes a metrics snapshot per window, per route group, over the chosen transport.
 * Nothing it does throws into the host or holds up a response. Invalid options throw here,
 * when the module loads, so a misconfigured Worker fails its deploy instead of going quiet.
 *
 * @example
 * const vigil = createVigil({
 *   service: 'checkout',
 *   transport: serviceBinding((env: Env) => env.VIGIL),
 *   routeGroup: (request) => new URL(request.url).pathname.split('/')[1] || 'root',
 * });
 * export default vigil.wrap({ async fetch(request, env, ctx) { return handle(request, env); } });
 */
export function createVigil<Env = unknown>(options: VigilOptions<Env>): Vigil<Env> {
  const service = ServiceName.parse(options.service);
  const windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  requireInteger('windowSeconds', windowSeconds, 1, 60);
  // The detector judges each minute: a window must not straddle two.
  if (60 % windowSeconds !== 0) {
    throw new RangeError(
      `createVigil: windowSeconds must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60), got ${windowSeconds}`,
    );
  }
  const maxBufferedSignals = options.maxBufferedSignals ?? DEFAULT_MAX_BUFFERED_SIGNALS;
  requireInteger('maxBufferedSignals', maxBufferedSignals, 1, Number.MAX_SAFE_INTEGER);
  const maxRouteGroups = options.maxRouteGroups ?? DEFAULT_MAX_ROUTE_GROUPS;
  requireInteger('maxRouteGroups', maxRouteGroups, 1, Number.MAX_SAFE_INTEGER);

  const { transport } = options;
  const windows = new WindowAggregator({ windowSeconds, maxRouteGroups });
  const outbox = new Outbox({ capacity: maxBufferedSignals, leaseMs: LEASE_MS });
  const counters = { flushes: 0, failures: 0, sent: 0, rejected: 0, invalid: 0 };
  let lastError: string | null = null;

  const buffer = (signals: MetricsSignal[] | Signal[]) => {
    const ids = newSignalIds(new Date(), signals.length);
    outbox.add(signals.map((signal, i) => ({ id: ids[i]!, signal })));
  };

  const fail = (error: unknown, fate: string) => {
    counters.failures += 1;
    lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.warn(`vigil: flush over ${transport.kind} failed (${lastError}); ${fate}`);
  };

  const deliver = async (env: Env): Promise<void> => {
    try {
      buffer(windows.closeDue(Date.now()));
      let delivered = false;
      let refused = false;
      let requests = 0;
      for (;;) {
        const leased = outbox.lease(MAX_SIGNALS_PER_REQUEST, Date.now());
        if (leased.length === 0) break;
        const batches = [leased];
        for (let batch = batches.shift(); batch; batch = batches.shift()) {
          if (requests === MAX_REQUESTS_PER_FLUSH) {
            // Halving under a receiver that refuses every size could spend the host's subrequests.
            outbox.settle(leased, 'release');
            fail(
              new Error(`${MAX_REQUESTS_PER_FLUSH} requests in one flush`),
              `${outbox.size} signals kept for the next flush`,
            );
            return;
          }
          requests += 1;
          try {
            await transport.send(batch, env);
          } catch (error) {
            if (error instanceof SignalsTooLargeError && batch.length > 1) {
              // Fewer signals make a smaller body; a proxy before Vigil may take less than it does.
              const half = Math.ceil(batch.length / 2);
              batches.unshift(batch.slice(0, half), batch.slice(half));
              continue;
            }
            const rejected = error instanceof SignalsRejectedError;
            if (rejected) {
              outbox.settle(batch, 'remove');
              counters.rejected += batch.length;
            }
            // One signal too large for any request says nothing of the others: they go on.
            if (error instanceof SignalsTooLargeError) {
              refused = true;
              fail(error, '1 signal too large to send on its own, dropped');
              continue;
            }
            // Whatever this flush leased and did not settle waits for the next one.
            outbox.settle(leased, 'release');
            fail(
              error,
              rejected
                ? `Vigil refused ${batch.length} signals, dropped`
                : `${outbox.size} signals kept for the next flush`,
            );
            return;
          }
          outbox.settle(batch, 'remove');
          counters.sent += batch.length;
          delivered = true;
        }
      }
      if (delivered && !refused) counters.flushes += 1;
    } catch (error) {
      // Only a bug of ours lands here; the host must never see it.
      lastError = String(error);
    }
  };

  const flush = (env: Env, ctx: ExecutionContext): Promise<void> => {
    const flushed = deliver(env);
    try {
      ctx.waitUntil(flushed);
    } catch {
      // Without a usable ctx the flush still runs; the runtime may cut it short.
    }
    return flushed;
  };

  const observe = (
    request: Request,
    env: Env,
    ctx: ExecutionContext,
    startedAtMs: number,
    outcome: { thrown: true } | { thrown: false; response: Response },
  ) => {
    try {
      const finishedAtMs = Date.now();
      const closed = windows.record({
        service,
        routeGroup: routeGroupOf(request),
        finishedAtMs,
        latencyMs: finishedAtMs - startedAtMs,
        failed: outcome.thrown || outcome.response.status >= 500,
      });
      if (closed.length > 0) {
        buffer(closed);
        void flush(env, ctx);
      }
    } catch (error) {
      lastError = String(error);
    }
  };

  const routeGroupOf = (request: Request): string | undefined => {
    if (!options.routeGroup) return undefined;
    try {
      const group = options.routeGroup(request);
      return group ? group.slice(0, MAX_ROUTE_GROUP_LENGTH) : undefined;
    } catch {
      return 'unknown';
    }
  };

  const send = (env: Env, ctx: ExecutionContext, build: () => Signal) => {
    try {
      const signal = build();
      if (!Signal.safeParse(signal).success) {
        counters.invalid += 1;
        return;
      }
      buffer([signal]);
      void flush(env, ctx);
    } catch {
      counters.invalid += 1;
    }
  };

  const measure: Vigil<Env>['measure'] = async (request, env, ctx, handle) => {
    const startedAtMs = Date.now();
    let response: Response;
    try {
      response = await handle();
    } catch (error) {
      observe(request, env, ctx, startedAtMs, { thrown: true });
      throw error;
    }
    observe(request, env, ctx, startedAtMs, { thrown: false, response });
    return response;
  };

  return {
    wrap(handler) {
      const { fetch } = handler;
      // Plain JavaScript can hand over a handler without fetch: nothing to measure.
      if (typeof fetch !== 'function') return handler;
      // A copy with the handler's own prototype: a class instance's `scheduled` or `queue` lives
      // there, and a spread would leave it behind. Those run on the instance itself, as fetch
      // does: on the copy, its private fields would throw and its state would part from fetch's.
      const properties: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(handler);
      for (
        let prototype = Object.getPrototypeOf(handler);
        prototype !== null && prototype !== Object.prototype;
        prototype = Object.getPrototypeOf(prototype)
      ) {
        for (const [name, { value, get, set }] of Object.entries(
          Object.getOwnPropertyDescriptors(prototype),
        )) {
          if (name === 'constructor' || Object.hasOwn(properties, name)) continue;
          if (typeof value === 'function') {
            properties[name] = { value: value.bind(handler), writable: true, configurable: true };
          } else if (get || set) {
            properties[name] = { get: get?.bind(handler), set: set?.bind(handler), configurable: true };
          }
        }
      }
      properties.fetch = {
        value: (request: Request, env: Env, ctx: ExecutionContext) =>
          measure(request, env, ctx, () => fetch.call(handler, request, env, ctx)),
        enumerable: true,
        writable: true,
        configurable: true,
      };
      return Object.create(Object.getPrototypeOf(handler), properties) as typeof handler;
    },
    measure,
    flush,
    deployment(env, ctx, deploy) {
      send(env, ctx, () => {
        const { version, commit, author, at = new Date() } = deploy;
        return {
          type: 'deployment',
          service,
          at: at.toISOString(),
          version,
          // An unset variable often reads as '' (`COMMIT = ""`): absent, not a reason to lose the deploy.
          ...(commit ? { commit } : {}),
          ...(author ? { author } : {}),
        };
      });
    },
    error(env, ctx, error, attributes) {
      send(env, ctx, () => {
        const described = describeError(error);
        const merged = { ...described.attributes, ...attributes };
        return eventSignal('error', service, new Date(), described.summary, merged);
      });
    },
    security(env, ctx, summary, attributes) {
      send(env, ctx, () => eventSignal('security', service, new Date(), summary, attributes));
    },
    stats: () => ({
      ...counters,
      dropped: outbox.dropped,
      buffered: outbox.size,
      openSeries: windows.openSeries,
      lastError,
    }),
  };
}

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`createVigil: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}
