import { errorText } from './errors';

const BUSY = /SQLITE_BUSY|database is locked/;

export function isBusy(error: unknown): boolean {
  return BUSY.test(errorText(error));
}

const originals = new WeakMap<object, D1PreparedStatement>();

/**
 * D1 with a short, jittered retry for "database is locked": an error that guarantees the
 * statement did not run, so retrying cannot apply it twice. Locally several `wrangler dev`
 * processes share one SQLite file and meet it whenever two write at once; hosted D1
 * serializes writes itself, and there the wrapper simply never retries.
 *
 * @example
 * const db = withBusyRetry(env.DB);
 */
export function withBusyRetry(db: D1Database, { attempts = 8, baseDelayMs = 10 } = {}): D1Database {
  const retry = async <T>(run: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (!isBusy(error) || attempt >= attempts) throw error;
        const delay = Math.min(500, baseDelayMs * 2 ** attempt) * (0.5 + Math.random());
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };

  const wrapStatement = (statement: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = new Proxy(statement, {
      get(target, property) {
        switch (property) {
          case 'bind':
            return (...values: unknown[]) => wrapStatement(target.bind(...values));
          case 'run':
          case 'all':
          case 'first':
          case 'raw':
            return (...args: unknown[]) =>
              retry(() => (target[property] as (...a: unknown[]) => Promise<unknown>).apply(target, args));
          default: {
            const value = Reflect.get(target, property, target);
            return typeof value === 'function' ? value.bind(target) : value;
          }
        }
      },
    });
    originals.set(wrapped, statement);
    return wrapped;
  };

  return new Proxy(db, {
    get(target, property) {
      switch (property) {
        case 'prepare':
          return (query: string) => wrapStatement(target.prepare(query));
        case 'batch':
          // The runtime needs its own statement objects, not the proxies.
          return (statements: D1PreparedStatement[]) =>
            retry(() => target.batch(statements.map((statement) => originals.get(statement) ?? statement)));
        case 'exec':
          return (query: string) => retry(() => target.exec(query));
        default: {
          const value = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        }
      }
    },
  });
}

/** The same Env with its D1 binding wrapped by withBusyRetry; entry files call it once per event. */
export function withBusyRetryEnv<E extends { DB: D1Database }>(env: E): E {
  return { ...env, DB: withBusyRetry(env.DB) };
}
