export {
  createVigil,
  DEFAULT_MAX_BUFFERED_SIGNALS,
  DEFAULT_MAX_ROUTE_GROUPS,
  DEFAULT_WINDOW_SECONDS,
  type DeploymentInput,
  type FetchHandler,
  type Vigil,
  type VigilOptions,
  type VigilStats,
} from './createVigil';
export type { SignalAttributes } from './eventSignal';
export { DEFAULT_HTTP_TIMEOUT_MS, type HttpTarget, http } from './http';
export { newSignalId } from './newSignalId';
export type { PendingSignal } from './outbox';
export { queue } from './queue';
export { type IngestBinding, serviceBinding } from './serviceBinding';
export { SignalsRejectedError, SignalsTooLargeError, type Transport } from './transport';
export { OVERFLOW_ROUTE_GROUP, type RequestSample, WindowAggregator } from './windowAggregator';
