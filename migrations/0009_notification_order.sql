-- The notifier keeps one incident's deliveries to one channel in order (a PagerDuty action a
-- later one supersedes is dropped, a status page update waits for the earlier one) and asks
-- which channels were already told of an incident: both by incident, channel and event.
CREATE INDEX notification_deliveries_incident ON notification_deliveries (incident_id, channel_id, event_seq);

CREATE INDEX notification_external_incidents_incident ON notification_external_incidents (incident_id);
