-- Alert dedup keys are scoped per service, as PagerDuty scopes them per service integration:
-- open alert incidents move from alert:<source>:<dedup key> to alert:<source>:<service>:<dedup key>
-- (colons in the service escaped as %3A), the slot the detector now looks up.
-- Superseded by 0010 (scoped per integration instead); OR IGNORE leaves a row whose new slot
-- another row's old slot already spells (dedup keys may hold colons) as it was.
UPDATE OR IGNORE open_incidents SET slot = (
  SELECT 'alert:' || (e.data ->> 'source') || ':' || replace(e.data ->> 'service', ':', '%3A') || ':' || (e.data ->> 'dedupKey')
  FROM events AS e WHERE e.stream_id = open_incidents.incident_id AND e.version = 1
) WHERE slot LIKE 'alert:%';
