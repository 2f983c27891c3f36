/** Text made safe for HTML content and attribute values. */
export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * A template tag that escapes every interpolated value unless it is already markup made by
 * `html` (arrays of markup are joined), so no page can forget to escape a field.
 *
 * @example
 * html`<p>${userText}</p>`; // escapes userText
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new Markup(out);
}

export class Markup {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

/** Markup built elsewhere that is known to be safe (SVG we generated, an inline script). */
export const trusted = (value: string) => new Markup(value);

function render(value: unknown): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

const STYLE = `
:root { color-scheme: light; --ok: #2f9e44; --degraded: #f59f00; --partial: #e8590c; --major: #e03131; --muted: #868e96; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #212529; background: #f8f9fa; }
main { max-width: 960px; margin: 0 auto; padding: 24px 16px 64px; }
h1 { font-size: 26px; margin: 0 0 16px; } h2 { font-size: 19px; margin: 32px 0 12px; } h3 { font-size: 16px; margin: 0 0 4px; }
.card { background: #fff; border: 1px solid #dee2e6; border-radius: 8px; padding: 16px; margin-bottom: 12px; }
.banner { border-radius: 8px; padding: 16px 20px; color: #fff; font-size: 18px; font-weight: 600; }
.banner.none { background: var(--ok); } .banner.minor { background: var(--degraded); }
.banner.major { background: var(--partial); } .banner.critical { background: var(--major); }
.status { font-weight: 600; }
.status.operational { color: var(--ok); } .status.degraded_performance { color: var(--degraded); }
.status.partial_outage { color: var(--partial); } .status.major_outage { color: var(--major); }
.component { display: flex; justify-content: space-between; align-items: baseline; }
.uptime { display: block; width: 100%; height: 34px; margin-top: 8px; }
.muted { color: var(--muted); font-size: 13px; }
ul.updates { list-style: none; padding: 0; margin: 8px 0 0; } ul.updates li { margin: 6px 0; }
table { width: 100%; border-collapse: collapse; } th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e9ecef; }
.sev { display: inline-block; min-width: 32px; text-align: center; border-radius: 4px; color: #fff; font-weight: 600; padding: 0 6px; }
.sev.P0 { background: var(--major); } .sev.P1 { background: var(--partial); } .sev.P2 { background: var(--degraded); } .sev.P3 { background: var(--muted); }
.counts { display: flex; gap: 12px; } .counts .card { flex: 1; text-align: center; } .counts strong { font-size: 28px; display: block; }
.charts { display: grid; grid-template-columns: 1fr; gap: 12px; }
form.signin { max-width: 420px; } input, button { font: inherit; padding: 8px 10px; } input { width: 100%; margin: 8px 0; }
a { color: #1c7ed6; }
button.signout { font-size: 13px; padding: 4px 10px; margin-left: 12px; vertical-align: middle; }
`;

/** A whole page with the shared style. */
export function page({ title, body, script }: { title: string; body: Markup; script?: string }): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${trusted(STYLE)}</style></head><body><main>${body}</main>${script ? trusted(`<script>${script}</script>`) : ''}</body></html>`}`;
}

/** Base64 SHA-256 of a script, as a Content-Security-Policy source names it. */
async function scriptHash(script: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(script));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

/**
 * The headers every page is sent with: a policy that runs no script but the page's own (by hash,
 * so markup injected into the page could not run one), fetches only from this origin, and keeps
 * the page out of frames (the dashboard holds a key); no MIME sniffing, no referrer.
 */
export async function pageHeaders(scripts: readonly string[] = []): Promise<Record<string, string>> {
  const hashes = await Promise.all(scripts.map(scriptHash));
  const policy = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    ...(hashes.length > 0 ? [`script-src ${hashes.join(' ')}`, "connect-src 'self'"] : []),
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': policy,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}

/** An HTML response with the page headers; `scripts` are the inline scripts the page may run. */
export async function htmlResponse(
  markup: string | Markup,
  init: ResponseInit = {},
  scripts: readonly string[] = [],
): Promise<Response> {
  return new Response(String(markup), {
    ...init,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      ...(await pageHeaders(scripts)),
      ...Object.fromEntries(new Headers(init.headers)),
    },
  });
}
