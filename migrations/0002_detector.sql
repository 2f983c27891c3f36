-- Detector windows: metrics snapshots folded into per-service, per-minute buckets.
CREATE TABLE metric_buckets (
  service TEXT NOT NULL,
  minute TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  p95_max REAL,
  availability_sum REAL NOT NULL DEFAULT 0,
  availability_samples INTEGER NOT NULL DEFAULT 0,
  first_at TEXT NOT NULL,
  PRIMARY KEY (service, minute)
);

-- The merged latency histogram of each bucket, one row per non-empty histogram bucket,
-- so folding is an additive upsert that concurrent consumers cannot lose.
CREATE TABLE latency_buckets (
  service TEXT NOT NULL,
  minute TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (service, minute, bucket)
);

-- Signal ids already folded: a redelivered message changes nothing.
CREATE TABLE folded_signals (
  id TEXT PRIMARY KEY,
  folded_at TEXT NOT NULL
);

-- One verdict per service, rule kind and evaluated minute; hysteresis counts consecutive verdicts.
CREATE TABLE detector_verdicts (
  service TEXT NOT NULL,
  kind TEXT NOT NULL,
  minute TEXT NOT NULL,
  breaching INTEGER NOT NULL,
  severity TEXT,
  value REAL,
  threshold REAL,
  first_at TEXT NOT NULL,
  PRIMARY KEY (service, kind, minute)
);

-- The open incident of each service and kind (and of each alert dedup key). Written in the
-- same batch as the incident's first events: two detectors cannot both open one.
CREATE TABLE open_incidents (
  slot TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL,
  opened_at TEXT NOT NULL
);
CREATE INDEX open_incidents_incident ON open_incidents (incident_id);

-- Deployments, for correlating an incident with a deploy just before it.
CREATE TABLE deployments (
  signal_id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  version TEXT NOT NULL,
  commit_sha TEXT,
  author TEXT,
  at TEXT NOT NULL
);
CREATE INDEX deployments_service_at ON deployments (service, at);

-- Per-service detection settings set by admins; absent fields use the defaults.
CREATE TABLE service_settings (
  service TEXT PRIMARY KEY,
  settings TEXT NOT NULL CHECK (json_valid(settings)),
  updated_at TEXT NOT NULL
);

-- Messages no consumer could ever handle, with the reason (the queue's DLQ holds the message too).
CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  message_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  body TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
