export { ActionItems, type ActionItemView, OPEN_ACTION_ITEM_STATUSES } from './actionItems';
export { DEFAULT_DETECTOR_RETENTION_DAYS, pruneDetectorData } from './detectorRetention';
export { dayOf, hourOf, MetricFacts, type StoredFact, utc } from './metricFacts';
export { MetricRollups, type RollupPeriod, type ServiceScope } from './metricRollups';
export { pastIncidents } from './pastIncidents';
export { PublicIncidents, type ServiceComponent } from './publicIncidents';
export { READ_MODEL_TABLES, type ReadModelTable, readModelCounts } from './readModelTables';
