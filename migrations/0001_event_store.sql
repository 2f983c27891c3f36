-- The event log: the only source of truth. Everything else is derived from it.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  type TEXT NOT NULL,
  schema_version INTEGER NOT NULL DEFAULT 1,
  data TEXT NOT NULL CHECK (json_valid(data)),
  metadata TEXT NOT NULL CHECK (json_valid(metadata)),
  idempotency_key TEXT,
  recorded_at TEXT NOT NULL
);

CREATE UNIQUE INDEX events_stream_version ON events (stream_id, version);
CREATE INDEX events_type_seq ON events (type, seq);

-- Immutability is enforced by the database, not by convention.
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'vigil: events are immutable'); END;

CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'vigil: events are immutable'); END;

-- A stream's versions are contiguous from 1: an append computed from a stale expected version aborts.
CREATE TRIGGER events_contiguous_versions BEFORE INSERT ON events WHEN NEW.version <> (SELECT COALESCE(MAX(version), 0) + 1 FROM events WHERE stream_id = NEW.stream_id) BEGIN SELECT RAISE(ABORT, 'vigil: stream version conflict'); END;

-- One row per idempotent append: a repeated key returns this result and appends nothing.
CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  stream_id TEXT NOT NULL,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  next_expected_version INTEGER NOT NULL,
  recorded_at TEXT NOT NULL
);

-- Where each consumer of the log has got to. An advance names the position it started from
-- (previous_position); the trigger aborts the whole batch when another consumer moved it first,
-- so read-model writes and the checkpoint commit together or not at all.
CREATE TABLE checkpoints (
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL DEFAULT 0,
  previous_position INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TRIGGER checkpoints_compare_and_set BEFORE UPDATE OF position ON checkpoints WHEN NEW.previous_position <> OLD.position OR NEW.position < OLD.position BEGIN SELECT RAISE(ABORT, 'vigil: checkpoint moved'); END;

-- Bearer keys, stored only as SHA-256 hashes.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL CHECK (json_valid(scopes)),
  service TEXT,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
