-- Read models: all derived from the log, all droppable and rebuilt by replaying it.

-- One row per incident: what lists and filters need, plus the folded state for detail views.
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL,
  title TEXT NOT NULL,
  category TEXT,
  owner_role TEXT,
  started_at TEXT NOT NULL,
  detected_at TEXT NOT NULL,
  acknowledged_first_at TEXT,
  acknowledged_last_at TEXT,
  identified_first_at TEXT,
  identified_last_at TEXT,
  mitigated_first_at TEXT,
  mitigated_last_at TEXT,
  resolved_first_at TEXT,
  resolved_last_at TEXT,
  resolved_at TEXT,
  version INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (json_valid(state)),
  updated_at TEXT NOT NULL
);
CREATE INDEX incidents_started ON incidents (started_at DESC, id DESC);
CREATE INDEX incidents_service_started ON incidents (service, started_at DESC);
CREATE INDEX incidents_status ON incidents (status, started_at DESC);

-- Every event of an incident as a human-readable entry.
CREATE TABLE timeline_entries (
  seq INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  actor TEXT NOT NULL CHECK (json_valid(actor)),
  summary TEXT NOT NULL,
  visibility TEXT NOT NULL DEFAULT 'internal'
);
CREATE INDEX timeline_incident ON timeline_entries (incident_id, seq);
