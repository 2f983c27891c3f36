import { RequestError } from '@vigil/http';

/**
 * Opaque page cursors: the sort key of the last item, as base64url JSON, so that a page
 * stays stable while new rows arrive.
 *
 * @example
 * const next = encodeCursor(['2026-11-29T10:00:00.000Z', 'INC-1']);
 * decodeCursor(next, ['string', 'string']); // ['2026-11-29T10:00:00.000Z', 'INC-1']
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return btoa(JSON.stringify(key)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

type Part = 'string' | 'integer';
type Key<K extends readonly Part[]> = { -readonly [I in keyof K]: K[I] extends 'integer' ? number : string };

/**
 * The key of a cursor whose parts have the kinds given: a cursor of another list (or edited
 * by hand) is a 400, never a page of wrong rows.
 */
export function decodeCursor<const K extends readonly Part[]>(cursor: string, kinds: K): Key<K> {
  try {
    const value = JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/')));
    if (
      Array.isArray(value) &&
      value.length === kinds.length &&
      value.every((part, i) =>
        kinds[i] === 'integer' ? Number.isSafeInteger(part) : typeof part === 'string',
      )
    ) {
      return value as Key<K>;
    }
  } catch {}
  throw new RequestError(400, 'invalid_cursor', 'The cursor is not one this API returned.', [
    { path: '/cursor', message: 'unknown cursor' },
  ]);
}
