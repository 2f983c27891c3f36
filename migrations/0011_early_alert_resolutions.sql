-- A resolve that reaches the detector before its trigger (queues are unordered, and a batch is
-- sorted by the senders' clocks) finds no incident to close. It is kept here, per alert slot, so
-- the trigger received before it opens its incident already resolved instead of leaving it open.
CREATE TABLE early_alert_resolutions (
  slot TEXT PRIMARY KEY NOT NULL,
  received_at TEXT NOT NULL
);
CREATE INDEX early_alert_resolutions_received ON early_alert_resolutions (received_at);
