-- An alert's resolve or acknowledge that reaches the detector before its trigger (queues are
-- unordered, and a batch is sorted by the senders' clocks) finds no incident to act on. It is
-- kept here, per alert slot and action, so the trigger received before it opens its incident
-- already resolved or acknowledged instead of leaving it open or unowned.
-- trigger_received_at (resolves only) is the receive time of the trigger that used the resolve
-- ('' when the resolve closed its incident itself, i.e. for every trigger received before it),
-- NULL while none has: a repeat of that firing received before the resolve must not open a
-- second incident, left open.
CREATE TABLE early_alert_actions (
  slot TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('resolve', 'acknowledge')),
  received_at TEXT NOT NULL,
  trigger_received_at TEXT,
  PRIMARY KEY (slot, action)
);
CREATE INDEX early_alert_actions_received ON early_alert_actions (received_at);
