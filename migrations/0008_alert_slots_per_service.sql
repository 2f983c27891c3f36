-- Alert dedup keys are scoped per service, as PagerDuty scopes them per service integration:
-- open alert incidents move from alert:<source>:<dedup key> to alert:<source>:<service>:<dedup key>
-- (colons in the service escaped as %3A), the slot the detector now looks up.
UPDATE open_incidents SET slot = (
  SELECT 'alert:' || (e.data ->> 'source') || ':' || replace(e.data ->> 'service', ':', '%3A') || ':' || (e.data ->> 'dedupKey')
  FROM events AS e WHERE e.stream_id = open_incidents.incident_id AND e.version = 1
) WHERE slot LIKE 'alert:%';
