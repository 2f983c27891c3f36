/**
 * A Worker's fetch that answers HEAD as GET without the body (RFC 9110: a server that answers GET
 * answers HEAD), so an uptime monitor probing `/status` or `/health` with HEAD sees what GET would.
 *
 * @example
 * export default { fetch: answeringHead((request, env, ctx) => router.fetch(request, env, ctx)) };
 */
export function answeringHead<E, C>(
  fetch: (request: Request, env: E, ctx: C) => Promise<Response>,
): (request: Request, env: E, ctx: C) => Promise<Response> {
  return async (request, env, ctx) => {
    if (request.method !== 'HEAD') return fetch(request, env, ctx);
    const response = await fetch(new Request(request, { method: 'GET' }), env, ctx);
    await response.body?.cancel();
    return new Response(null, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
