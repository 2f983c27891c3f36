-- A resolve that reaches the detector before its trigger (queues are unordered, and a batch is
-- sorted by the senders' clocks) finds no incident to close. It is kept here, per alert slot, so
-- the trigger received before it opens its incident already resolved instead of leaving it open.
-- trigger_received_at is the receive time of the trigger that did so (NULL while none has): a
-- repeat of that trigger received after it and before the resolve (senders repeat a firing alert)
-- belongs to the same firing and must not open a second incident, left open.
CREATE TABLE early_alert_resolutions (
  slot TEXT PRIMARY KEY NOT NULL,
  received_at TEXT NOT NULL,
  trigger_received_at TEXT
);
CREATE INDEX early_alert_resolutions_received ON early_alert_resolutions (received_at);
-- The same for an acknowledge that came before its trigger: the trigger received before it opens
-- its incident acknowledged, so escalation timers do not page for an alert someone owns.
CREATE TABLE early_alert_acknowledgements (
  slot TEXT PRIMARY KEY NOT NULL,
  received_at TEXT NOT NULL
);
CREATE INDEX early_alert_acknowledgements_received ON early_alert_acknowledgements (received_at);
