export * from './admin';
export * from './latencyHistogram';
export * from './packing';
export * from './problem';
export * from './queueMessages';
export * from './signals';
