import { RequestError, zodIssues } from '@vigil/http';
import type { z } from 'zod';

/**
 * A request's query string validated with a schema; 400 problem details name every failing
 * parameter.
 *
 * @example
 * const query = queryParams(request, IncidentListQuery);
 */
export function queryParams<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    throw new RequestError(
      400,
      'invalid_query',
      'The query parameters are invalid.',
      zodIssues(parsed.error),
    );
  }
  return parsed.data;
}
