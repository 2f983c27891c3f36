import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** The append-only event log (see migrations/0001_event_store.sql for its triggers). */
export const events = sqliteTable(
  'events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    streamId: text('stream_id').notNull(),
    version: integer('version').notNull(),
    type: text('type').notNull(),
    schemaVersion: integer('schema_version').notNull().default(1),
    data: text('data').notNull(),
    metadata: text('metadata').notNull(),
    idempotencyKey: text('idempotency_key'),
    recordedAt: text('recorded_at').notNull(),
  },
  (table) => [uniqueIndex('events_stream_version').on(table.streamId, table.version)],
);

export const idempotencyKeys = sqliteTable('idempotency_keys', {
  key: text('key').primaryKey(),
  streamId: text('stream_id').notNull(),
  firstSeq: integer('first_seq').notNull(),
  lastSeq: integer('last_seq').notNull(),
  nextExpectedVersion: integer('next_expected_version').notNull(),
  recordedAt: text('recorded_at').notNull(),
});

export const checkpoints = sqliteTable('checkpoints', {
  name: text('name').primaryKey(),
  position: integer('position').notNull().default(0),
  previousPosition: integer('previous_position').notNull().default(0),
  updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
});

export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  scopes: text('scopes').notNull(),
  service: text('service'),
  createdAt: text('created_at').notNull(),
  revokedAt: text('revoked_at'),
});
