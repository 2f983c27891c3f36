import type { EventSignal } from '@vigil/contracts';

/** Extra facts on an error or security signal; long strings are cut to what Vigil accepts. */
export type SignalAttributes = Record<string, string | number | boolean>;

const MAX_SUMMARY = 1024;
const MAX_ATTRIBUTE_KEY = 128;
const MAX_ATTRIBUTE_VALUE = 2048;

/** An error or security signal, cut to the schema's limits instead of refused over them. */
export function eventSignal(
  type: EventSignal['type'],
  service: string,
  at: Date,
  summary: string,
  attributes?: SignalAttributes,
): EventSignal {
  return {
    type,
    service,
    at: at.toISOString(),
    summary: summary.slice(0, MAX_SUMMARY),
    ...(attributes === undefined ? {} : { attributes: fitAttributes(attributes) }),
  };
}

/** The summary and attributes of a thrown value: `TypeError: …` with its name and stack. */
export function describeError(error: unknown): { summary: string; attributes: SignalAttributes } {
  if (error instanceof Error) {
    return {
      summary: `${error.name}: ${error.message}`,
      attributes: { errorName: error.name, ...(error.stack ? { stack: error.stack } : {}) },
    };
  }
  return { summary: String(error), attributes: {} };
}

function fitAttributes(attributes: SignalAttributes): SignalAttributes {
  const fitted: SignalAttributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key.length > MAX_ATTRIBUTE_KEY) continue;
    fitted[key] = typeof value === 'string' ? value.slice(0, MAX_ATTRIBUTE_VALUE) : value;
  }
  return fitted;
}
