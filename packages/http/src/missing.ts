import type { RouteDoc } from './openApi';
import { RequestError } from './requestError';
import { problemFor } from './toProblem';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The answer when no route matched: `405` with `Allow` when the path exists with other methods
 * (from the documented routes), else `404`.
 *
 * @example
 * AutoRouter({ missing: missingRoute(routes) });
 */
export function missingRoute(routes: readonly Pick<RouteDoc, 'method' | 'path'>[]) {
  const patterns = routes.map((route) => ({
    method: route.method.toUpperCase(),
    pattern: new RegExp(
      `^${route.path
        .split(/\{\w+\}/)
        .map(escapeRegExp)
        .join('[^/]+')}$`,
    ),
  }));
  return (request: Request): Response => {
    const { pathname } = new URL(request.url);
    const allowed = [
      ...new Set(patterns.filter((route) => route.pattern.test(pathname)).map((route) => route.method)),
    ];
    // HEAD is answered wherever GET is (answeringHead).
    if (allowed.includes('GET')) allowed.push('HEAD');
    if (allowed.length === 0) return problemFor(new RequestError(404, 'not_found', 'No such endpoint.'));
    const allow = allowed.join(', ');
    return problemFor(
      new RequestError(
        405,
        'method_not_allowed',
        `${request.method} is not allowed here; use ${allow}.`,
        undefined,
        {
          allow,
        },
      ),
    );
  };
}
