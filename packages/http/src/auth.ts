import { type ApiKey, ApiKeys, type Scope } from '@vigil/db';
import { RequestError } from './requestError';

/** The bearer token of a request, or undefined. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * The API key behind a request, if it has `scope` (admin keys have every scope; administration
 * itself needs a key without a service restriction). 401 without a key or with an unknown one,
 * 403 with the wrong scope.
 */
export async function requireScope(request: Request, db: D1Database, scope: Scope): Promise<ApiKey> {
  const token = bearerToken(request);
  if (!token) {
    throw new RequestError(
      401,
      'unauthorized',
      'Send an API key as "Authorization: Bearer <key>".',
      undefined,
      {
        'www-authenticate': 'Bearer realm="vigil"',
      },
    );
  }
  const key = await new ApiKeys(db).authenticate(token);
  if (!key) {
    throw new RequestError(401, 'unauthorized', 'The API key is unknown or revoked.', undefined, {
      'www-authenticate': 'Bearer realm="vigil", error="invalid_token"',
    });
  }
  if (!key.scopes.includes(scope) && !key.scopes.includes('admin')) {
    throw new RequestError(403, 'forbidden', `This API key lacks the "${scope}" scope.`);
  }
  // Administration (keys, channels, settings) is global: a key kept to one service could
  // otherwise mint keys without its restriction.
  if (scope === 'admin' && key.service !== null) {
    throw new RequestError(
      403,
      'service_not_allowed',
      `Administration needs a key not restricted to a service.`,
    );
  }
  return key;
}
