import { byteLength, type EventSignal } from '@vigil/contracts';

/**
 * Extra facts on an error or security signal; long strings are cut to what Vigil accepts,
 * and attributes past 16 KB of JSON are left out.
 */
export type SignalAttributes = Record<string, string | number | boolean>;

const MAX_SUMMARY = 1024;
const MAX_ATTRIBUTE_KEY = 128;
const MAX_ATTRIBUTE_VALUE = 2048;
// A signal must fit one queue message (128 KB) on its way to the detector: one that does not
// fails every send it is in, over every transport, and holds back every signal behind it.
const MAX_ATTRIBUTES_BYTES = 16 * 1024;

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
  let bytes = 2;
  for (const [key, value] of Object.entries(attributes)) {
    const fit = fitValue(value);
    if (key.length > MAX_ATTRIBUTE_KEY || fit === undefined) continue;
    const size = byteLength(JSON.stringify(key)) + byteLength(JSON.stringify(fit)) + 2;
    if (bytes + size > MAX_ATTRIBUTES_BYTES) continue;
    fitted[key] = fit;
    bytes += size;
  }
  return fitted;
}

// NaN and Infinity (a parseInt of a missing header) would make Vigil refuse the whole signal.
function fitValue(value: unknown): string | number | boolean | undefined {
  if (typeof value === 'string') return value.slice(0, MAX_ATTRIBUTE_VALUE);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  return typeof value === 'boolean' ? value : undefined;
}
