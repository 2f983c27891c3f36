/**
 * Whether an `If-None-Match` header matches the current entity tag (RFC 9110 §13.1.2): `*`
 * matches any current representation; otherwise any tag of the list does, compared weakly
 * (`W/"3"` matches `"3"`).
 *
 * @example
 * if (ifNoneMatch(request.headers.get('if-none-match'), '"3"')) return new Response(null, { status: 304 });
 */
export function ifNoneMatch(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}
