-- Dedup keys are scoped to the integration (ingest key) an alert came through, as PagerDuty
-- scopes them, not to the service a payload names (migration 0008): an acknowledge or resolve
-- without a payload names no service. Open alert incidents go back to their source's slot,
-- alert:<source>:<dedup key>, which the detector still finds for incidents opened before
-- integrations were recorded. A slot two of them would now share keeps the first.
UPDATE OR IGNORE open_incidents SET slot = (
  SELECT 'alert:' || (e.data ->> 'source') || ':' || (e.data ->> 'dedupKey')
  FROM events AS e WHERE e.stream_id = open_incidents.incident_id AND e.version = 1
) WHERE slot LIKE 'alert:%';
