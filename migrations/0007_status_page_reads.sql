-- The status page reads the impact periods that ended inside its 90 days or have not ended:
-- without this index that read walks every period ever recorded.
CREATE INDEX impact_periods_ended ON impact_periods (ended_at);
