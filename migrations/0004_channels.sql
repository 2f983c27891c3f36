-- Notification channels and their routing, configured through the admin API.
-- `secret` (webhook signing secret, PagerDuty routing key, Statuspage token) is never returned or logged.
CREATE TABLE notification_channels (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('slack', 'pagerduty', 'webhook', 'email', 'statuspage')),
  target TEXT NOT NULL,
  secret TEXT,
  min_severity TEXT NOT NULL DEFAULT 'P3' CHECK (min_severity IN ('P0', 'P1', 'P2', 'P3')),
  services TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(services)),
  event_types TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(event_types)),
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
