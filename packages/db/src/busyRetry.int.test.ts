import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { isBusy, withBusyRetry } from './busyRetry';
import { EventStore } from './eventStore';

const actor = { kind: 'system', id: 'test' } as const;

describe('withBusyRetry', () => {
  it('is transparent over a real D1: statements, binds, batches and the event store work through it', async () => {
    const db = withBusyRetry(env.DB);
    const store = new EventStore(db);
    await store.appendToStream('BUSY-1', [{ type: 'NoteAdded', data: { n: 1 }, metadata: { actor } }], {
      expectedVersion: 0,
    });
    const [count] = await db.batch([
      db.prepare("SELECT COUNT(*) AS n FROM events WHERE stream_id = 'BUSY-1'"),
    ]);
    expect(count?.results).toEqual([{ n: 1 }]);
    expect(await db.prepare('SELECT ? AS v').bind(7).first('v')).toBe(7);
  });

  it('passes every other error through at once', async () => {
    const db = withBusyRetry(env.DB);
    await expect(db.prepare('SELECT * FROM no_such_table').all()).rejects.toThrow(/no such table/);
    await expect(db.prepare("DELETE FROM events WHERE stream_id = 'BUSY-1'").run()).rejects.toThrow(
      /immutable/,
    );
  });

  // Two processes contending for one SQLite file cannot be staged inside one test runtime, so
  // this case drives the retry with a binding whose first calls fail as a locked database does.
  it('retries "database is locked" until the statement runs', async () => {
    let failures = 2;
    const locked = new Proxy(env.DB, {
      get(target, property) {
        if (property === 'batch') {
          return (statements: D1PreparedStatement[]) => {
            if (failures-- > 0) return Promise.reject(new Error('D1_ERROR: database is locked: SQLITE_BUSY'));
            return target.batch(statements);
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const db = withBusyRetry(locked);
    const [result] = await db.batch([db.prepare('SELECT 1 AS one')]);
    expect(result?.results).toEqual([{ one: 1 }]);
    expect(failures).toBe(-1);
    expect(isBusy(new Error('x', { cause: new Error('database is locked') }))).toBe(true);
  });
});
