/**
 * The quality an `Accept` header gives a media type (RFC 9110 §12.5.1): that of the most specific
 * range matching it (the type itself, then its top-level wildcard, then the full wildcard), 1 when
 * no q is given, 0 when nothing matches.
 *
 * @example
 * qualityOf('text/markdown;q=0.5, application/json', 'text/markdown'); // 0.5
 */
export function qualityOf(accept: string, mediaType: string): number {
  return rangeOf(accept, mediaType).q;
}

/** The most specific range of `accept` matching `mediaType` (2 itself, 1 `type/*`, 0 `*\/*`) and its q. */
function rangeOf(accept: string, mediaType: string): { specificity: number; q: number } {
  const [type] = mediaType.split('/');
  let best = { specificity: -1, q: 0 };
  for (const range of accept.split(',')) {
    const [media = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const specificity = media === mediaType ? 2 : media === `${type}/*` ? 1 : media === '*/*' ? 0 : -1;
    if (specificity <= best.specificity) continue;
    const q = params.find((param) => param.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    best = { specificity, q: Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0 };
  }
  return best;
}

/**
 * Whether a client asks for Markdown over JSON: a postmortem is JSON unless `Accept` rates
 * `text/markdown` above `application/json`, or as high and by a more specific range (it names
 * Markdown and takes JSON only through a wildcard). Otherwise a tie, or no header, stays JSON.
 *
 * @example
 * prefersMarkdown('text/markdown'); // true
 * prefersMarkdown('text/markdown, *\/*'); // true
 * prefersMarkdown('text/markdown;q=0, application/json'); // false
 */
export function prefersMarkdown(accept: string | null): boolean {
  if (!accept) return false;
  const markdown = rangeOf(accept, 'text/markdown');
  const json = rangeOf(accept, 'application/json');
  if (markdown.q !== json.q) return markdown.q > json.q;
  return markdown.q > 0 && markdown.specificity > json.specificity;
}
