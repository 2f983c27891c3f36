// Crockford base 32: no I, L, O or U, so an id read aloud or copied by hand survives.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const timeWidth = 10;
const maxMillis = 32 ** timeWidth - 1;

/**
 * The time part of an id: milliseconds since the epoch in 10 Crockford base-32 digits,
 * zero-padded so that string order is time order (until the year 37648).
 *
 * @example
 * encodeTime(new Date(0)); // '0000000000'
 */
export function encodeTime(now: Date): string {
  const millis = now.getTime();
  if (!Number.isInteger(millis) || millis < 0 || millis > maxMillis) {
    throw new RangeError(`cannot encode time ${now.toISOString?.() ?? millis}`);
  }
  let digits = '';
  let rest = millis;
  for (let i = 0; i < timeWidth; i++) {
    digits = alphabet.charAt(rest % 32) + digits;
    rest = Math.floor(rest / 32);
  }
  return digits;
}

function randomChars(count: number, random: () => number): string {
  let chars = '';
  for (let i = 0; i < count; i++) {
    // min() guards a random source that returns exactly 1.
    chars += alphabet.charAt(Math.min(31, Math.floor(random() * 32)));
  }
  return chars;
}

/**
 * An incident id people can say aloud and sort: `INC-` + time + `-` + 4 random characters.
 * Ids from different milliseconds sort by time; the clock and randomness are injected.
 *
 * @example
 * newIncidentId(new Date('2025-03-01T10:00:00Z'), Math.random); // 'INC-01JN8JC080-19EP'
 */
export function newIncidentId(now: Date, random: () => number): string {
  return `INC-${encodeTime(now)}-${randomChars(4, random)}`;
}

/**
 * A sortable id for anything inside an incident (mitigations, action items, status updates):
 * `<prefix>-` + time + `-` + 8 random characters, since these are copied rather than spoken.
 *
 * @example
 * newId('mit', new Date('2025-03-01T10:00:00Z'), Math.random); // 'mit-01JN8JC080-6KW3ASG8'
 */
export function newId(prefix: string, now: Date, random: () => number): string {
  return `${prefix}-${encodeTime(now)}-${randomChars(8, random)}`;
}
