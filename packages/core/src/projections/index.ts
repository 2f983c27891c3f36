export * from './incidentSummary';
export * from './timelineEntry';
