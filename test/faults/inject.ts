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

/** A real queue binding that also keeps a copy of every body sent through it. */
export function recordingQueue(queue: Queue): { queue: Queue; bodies: unknown[] } {
  const bodies: unknown[] = [];
  const recording = {
    send(body: unknown, options?: QueueSendOptions) {
      bodies.push(body);
      return queue.send(body, options);
    },
    sendBatch(messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) {
      const list = [...messages];
      bodies.push(...list.map((message) => message.body));
      return queue.sendBatch(list, options);
    },
  };
  return { queue: recording as unknown as Queue, bodies };
}

/** The real D1, counting the events its reads of the log (`… FROM events WHERE seq > ?`) returned. */
export function logReadCounting(db: D1Database): { db: D1Database; eventsRead: () => number } {
  let eventsRead = 0;
  const counted = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, property) {
        if (property === 'bind') return (...values: unknown[]) => counted(target.bind(...values));
        if (property === 'all') {
          return async () => {
            const result = await target.all();
            eventsRead += result.results.length;
            return result;
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const counting = new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') {
        return (query: string) =>
          /FROM events WHERE seq > \?/.test(query) ? counted(target.prepare(query)) : target.prepare(query);
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: counting, eventsRead: () => eventsRead };
}
