import { RequestError } from '@vigil/http';

/**
 * Opaque page cursors: the sort key of the last item, as base64url JSON, so that a page
 * stays stable while new rows arrive.
 *
 * @example
 * const next = encodeCursor(['2026-11-29T10:00:00.000Z', 'INC-1']);
 * decodeCursor(next, 2); // ['2026-11-29T10:00:00.000Z', 'INC-1']
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return btoa(JSON.stringify(key)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

export function decodeCursor<T extends readonly (string | number)[]>(cursor: string, length: T['length']): T {
  try {
    const value = JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/')));
    if (
      Array.isArray(value) &&
      value.length === length &&
      value.every((part) => typeof part === 'string' || typeof part === 'number')
    ) {
      return value as unknown as T;
    }
  } catch {}
  throw new RequestError(400, 'invalid_cursor', 'The cursor is not one this API returned.', [
    { path: '/cursor', message: 'unknown cursor' },
  ]);
}
