/**
 * Characters of JSON per bound value. Hosted D1 refuses any value over 2,000,000 bytes (local
 * D1 does not, so nothing here would notice); a quarter of that leaves room for multi-byte text.
 */
export const MAX_JSON_CHARS = 512 * 1024;

/**
 * Serialized items joined into JSON arrays of at most `maxChars` each, in order, for statements
 * that read their rows with `json_each(?)`. An item longer than the limit gets an array of its own.
 *
 * @example
 * jsonArraysOf(['{"a":1}', '{"a":2}']); // ['[{"a":1},{"a":2}]']
 */
export function jsonArraysOf(serialized: readonly string[], maxChars = MAX_JSON_CHARS): string[] {
  const arrays: string[] = [];
  let current: string[] = [];
  let chars = 0;
  for (const item of serialized) {
    if (current.length > 0 && chars + item.length + 1 > maxChars) {
      arrays.push(`[${current.join(',')}]`);
      current = [];
      chars = 0;
    }
    current.push(item);
    chars += item.length + 1;
  }
  if (current.length > 0) arrays.push(`[${current.join(',')}]`);
  return arrays;
}

/** Items as JSON arrays of at most `maxChars` each (see `jsonArraysOf`). */
export function jsonArrays(items: readonly unknown[], maxChars = MAX_JSON_CHARS): string[] {
  return jsonArraysOf(
    items.map((item) => JSON.stringify(item)),
    maxChars,
  );
}
