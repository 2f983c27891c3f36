import { isCheckpointMoved } from './errors';

/**
 * Named positions in the global log, one per consumer. An advance is a compare-and-set: it
 * names the position it read, and fails when another consumer moved the checkpoint first.
 *
 * @example
 * const from = await checkpoints.position('projector');
 * await db.batch([...readModelWrites, checkpoints.advanceStatement('projector', from, lastSeq)]);
 */
export class Checkpoints {
  constructor(private readonly db: D1Database) {}

  async position(name: string): Promise<number> {
    const row = await this.db
      .prepare('SELECT position FROM checkpoints WHERE name = ?')
      .bind(name)
      .first<{ position: number }>();
    return row?.position ?? 0;
  }

  async all(): Promise<{ name: string; position: number; updatedAt: string }[]> {
    const { results } = await this.db
      .prepare('SELECT name, position, updated_at FROM checkpoints ORDER BY name')
      .all<{ name: string; position: number; updated_at: string }>();
    return results.map((row) => ({ name: row.name, position: row.position, updatedAt: row.updated_at }));
  }

  /**
   * Statements that move `name` from `from` to `to`, for a batch with the writes they cover:
   * the checkpoints trigger aborts the whole batch when the checkpoint is no longer at `from`.
   */
  advanceStatements(name: string, from: number, to: number): D1PreparedStatement[] {
    return [
      this.db
        .prepare('INSERT OR IGNORE INTO checkpoints (name, position, previous_position) VALUES (?, 0, 0)')
        .bind(name),
      this.db
        .prepare(
          `UPDATE checkpoints SET position = ?, previous_position = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE name = ?`,
        )
        .bind(to, from, name),
    ];
  }

  /** Moves the checkpoint on its own; false when another consumer moved it first. */
  async advance(name: string, from: number, to: number): Promise<boolean> {
    try {
      await this.db.batch(this.advanceStatements(name, from, to));
      return true;
    } catch (error) {
      if (isCheckpointMoved(error)) return false;
      throw error;
    }
  }

  /** Drops a checkpoint so its consumer starts again from the beginning of the log (rebuilds). */
  resetStatement(name: string): D1PreparedStatement {
    return this.db.prepare('DELETE FROM checkpoints WHERE name = ?').bind(name);
  }
}
