// Fault injection over real bindings: the real D1 and queues do the work, and the wrapper
// fails exactly the call a test names.

const originals = new WeakMap<object, D1PreparedStatement>();

/**
 * The real D1, except that its `failAt`-th call (a statement's run/all/first/raw, or a batch)
 * throws before reaching the database. `calls()` counts the calls made so far.
 */
export function faultyD1(db: D1Database, failAt: number): { db: D1Database; calls: () => number } {
  let calls = 0;
  const attempt = <T>(run: () => Promise<T>): Promise<T> => {
    calls++;
    if (calls === failAt) return Promise.reject(new Error(`D1_ERROR: injected fault at call ${calls}`));
    return run();
  };
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = new Proxy(statement, {
      get(target, property) {
        if (property === 'bind') return (...values: unknown[]) => wrap(target.bind(...values));
        if (property === 'run' || property === 'all' || property === 'first' || property === 'raw') {
          return (...args: unknown[]) =>
            attempt(() => (target[property] as (...a: unknown[]) => Promise<unknown>).apply(target, args));
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    originals.set(wrapped, statement);
    return wrapped;
  };
  const faulty = new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') return (query: string) => wrap(target.prepare(query));
      if (property === 'batch') {
        return (statements: D1PreparedStatement[]) =>
          attempt(() => target.batch(statements.map((statement) => originals.get(statement) ?? statement)));
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: faulty, calls: () => calls };
}

/** A queue binding whose sends all fail, as after a crash or an outage of Queues. */
export function failingQueue(): Queue {
  const fail = () => Promise.reject(new Error('injected: queue unavailable'));
  return { send: fail, sendBatch: fail } as unknown as Queue;
}
