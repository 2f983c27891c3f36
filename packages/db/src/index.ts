export { type ApiKey, ApiKeys, generateApiKey, hashApiKey, SCOPES, type Scope } from './apiKeys';
export { isBusy, withBusyRetry, withBusyRetryEnv } from './busyRetry';
export { carriedBy, carriedPage, carryable } from './carriedEvents';
export { type Channel, Channels, type PublicChannel, redactTarget, toPublicChannel } from './channels';
export { Checkpoints } from './checkpoints';
export {
  type Decider,
  type HandleOptions,
  type HandleResult,
  handleCommand,
  handleCommands,
} from './commandHandler';
export { recordDeadLetter } from './deadLetters';
export { type EarlyAction, EarlyAlertActions } from './earlyAlertActions';
export {
  ConcurrencyError,
  IdempotencyKeyReusedError,
  isCheckpointMoved,
  isIdempotencyConflict,
  isVersionConflict,
  RetriesExhaustedError,
} from './errors';
export {
  type AppendOptions,
  type AppendResult,
  type DomainEvent,
  DuplicateAppend,
  type EventActor,
  type EventMetadata,
  EventStore,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from './eventStore';
export { type CatchUpResult, IncidentProjection } from './incidentProjection';
export { type ExecuteOptions, IncidentStore, incidentDecider } from './incidentStore';
export {
  addMinutes,
  type DeploymentSample,
  type MetricSample,
  MetricWindows,
  type MinuteBucket,
  minuteOf,
  sumBuckets,
  type WindowTotals,
} from './metricWindows';
export * from './notifications/index';
export * from './readModels/index';
export { type LogConsumerQueues, wakeConsumers } from './wakeUps';
