// Only full ISO-8601 instants with an explicit zone: a local time would make every
// duration depend on the machine that computed it.
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Whether a string is an ISO-8601 instant with a zone, such as `2025-03-01T10:00:00Z`.
 *
 * @example
 * isInstant('2025-03-01T10:00:00Z'); // true
 * isInstant('yesterday'); // false
 */
export function isInstant(value: string): boolean {
  return isoInstant.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * Milliseconds since the epoch of an ISO-8601 instant; throws a RangeError for anything else.
 *
 * @example
 * millisOf('1970-01-01T00:00:01Z'); // 1000
 */
export function millisOf(instant: string): number {
  if (!isInstant(instant)) throw new RangeError(`not an ISO-8601 instant: ${instant}`);
  return Date.parse(instant);
}

/**
 * Whole-and-fractional seconds from one instant to a later one (negative when earlier).
 *
 * @example
 * secondsBetween('2025-03-01T10:00:00Z', '2025-03-01T10:05:00Z'); // 300
 */
export function secondsBetween(from: string, to: string): number {
  return (millisOf(to) - millisOf(from)) / 1000;
}

/**
 * The earlier of two instants, compared as instants (not as text).
 *
 * @example
 * earlierOf('2025-03-01T10:00:00Z', '2025-03-01T11:00:00+02:00'); // '2025-03-01T11:00:00+02:00'
 */
export function earlierOf(a: string, b: string): string {
  return millisOf(b) < millisOf(a) ? b : a;
}
