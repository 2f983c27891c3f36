-- The notifier's delivery log: one row per (channel, event) it decided to deliver, and one per
-- digest. The id is stable (a hash of channel and event), so a redelivered wake-up inserts
-- nothing new, and it doubles as the Standard Webhooks `webhook-id` of every retry.
CREATE TABLE notification_deliveries (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('event', 'digest')),
  channel_id TEXT NOT NULL,
  channel_type TEXT NOT NULL,
  -- Redacted when the row is written: the delivery log never holds a secret.
  target TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  -- The event delivered; for a digest, the first event folded into it.
  event_seq INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('P0', 'P1', 'P2', 'P3')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dead', 'folded', 'cancelled')),
  -- A folded event names the digest that carries it.
  digest_id TEXT,
  -- A page (an event delivered at once) opens a repage window for its channel and incident until then.
  window_ends_at TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  -- The last attempt whose outcome is in the incident's log (NotificationSent / NotificationFailed).
  recorded_attempt INTEGER NOT NULL DEFAULT 0,
  -- When the job should run next: now, the end of a digest window, a retry's backoff or a send's lease.
  due_at TEXT NOT NULL,
  enqueued_at TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX notification_deliveries_outbox ON notification_deliveries (status, enqueued_at, due_at) WHERE status IN ('pending', 'sending');

CREATE INDEX notification_deliveries_pages ON notification_deliveries (incident_id, channel_id, event_seq) WHERE kind = 'event' AND window_ends_at IS NOT NULL;

CREATE INDEX notification_deliveries_digest ON notification_deliveries (digest_id) WHERE digest_id IS NOT NULL;

-- The incident a status-page channel created for a Vigil incident, so later updates amend it.
CREATE TABLE notification_external_incidents (
  channel_id TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  external_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (channel_id, incident_id)
);
