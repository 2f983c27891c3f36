-- Projector read models beyond incidents and timeline: metric facts and their rollups, the
-- public status page, and action items. All derived from the log and rebuilt by replaying it.

-- One row per incident: its durations in seconds, for metrics. `hour` and `day` are the
-- rollup buckets its start falls in.
CREATE TABLE metric_facts (
  incident_id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  started_at TEXT NOT NULL,
  hour TEXT NOT NULL,
  day TEXT NOT NULL,
  time_to_detect REAL NOT NULL,
  time_to_acknowledge REAL,
  time_to_identify REAL,
  time_to_mitigate REAL,
  time_to_resolve REAL,
  version INTEGER NOT NULL
);
CREATE INDEX metric_facts_started ON metric_facts (started_at);
CREATE INDEX metric_facts_repeat ON metric_facts (service, kind, started_at);

-- Metric facts summed per period (hour or day), service ('*' for all) and severity. Durations are
-- mergeable digests (count, sum, log-scale buckets), so a window's metrics add rollups up.
CREATE TABLE metric_rollups (
  period TEXT NOT NULL CHECK (period IN ('hour', 'day')),
  bucket TEXT NOT NULL,
  service TEXT NOT NULL,
  severity TEXT NOT NULL,
  incidents INTEGER NOT NULL,
  repeats INTEGER NOT NULL,
  digests TEXT NOT NULL CHECK (json_valid(digests)),
  PRIMARY KEY (period, bucket, service, severity)
);

-- Which buckets have rollups that still match their facts. Writing a fact bumps its buckets'
-- generation; a rollup records the generation it read, and only if no write came in between.
-- Queries read the rollups of clean buckets and the facts of dirty or never-rolled ones.
CREATE TABLE rollup_buckets (
  period TEXT NOT NULL CHECK (period IN ('hour', 'day')),
  bucket TEXT NOT NULL,
  generation INTEGER NOT NULL,
  rolled_generation INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (period, bucket)
);
CREATE INDEX rollup_buckets_dirty ON rollup_buckets (period, bucket) WHERE generation > rolled_generation;

-- The status page's incidents: public fields only, as the core `PublicIncident` projection keeps them.
CREATE TABLE public_incidents (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  status TEXT NOT NULL,
  component_status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  resolved_at TEXT,
  postmortem_published_at TEXT,
  version INTEGER NOT NULL,
  model TEXT NOT NULL CHECK (json_valid(model))
);
CREATE INDEX public_incidents_active ON public_incidents (resolved_at, service);
CREATE INDEX public_incidents_resolved ON public_incidents (resolved_at DESC);

-- When each incident made its service look worse than operational: the 90-day uptime bars.
CREATE TABLE impact_periods (
  incident_id TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  service TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  PRIMARY KEY (incident_id, ordinal)
);
CREATE INDEX impact_periods_service ON impact_periods (service, ended_at);

-- The status-page component of each service that ever had an incident.
CREATE TABLE service_components (
  service TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  active_incidents INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);

-- Improvements assigned on incidents, with where they stand.
CREATE TABLE action_items (
  incident_id TEXT NOT NULL,
  id TEXT NOT NULL,
  service TEXT NOT NULL,
  title TEXT NOT NULL,
  kind TEXT NOT NULL,
  owner_role TEXT,
  owner_person TEXT,
  due_date TEXT,
  status TEXT NOT NULL,
  failure_reason TEXT,
  added_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (incident_id, id)
);
CREATE INDEX action_items_status ON action_items (status, added_at, incident_id, id);

-- The cron prunes detector data past retention by age; these keep that from scanning whole tables.
CREATE INDEX metric_buckets_minute ON metric_buckets (minute);
CREATE INDEX latency_buckets_minute ON latency_buckets (minute);
CREATE INDEX detector_verdicts_minute ON detector_verdicts (minute);
CREATE INDEX folded_signals_folded_at ON folded_signals (folded_at);
