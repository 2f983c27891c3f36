import { type ProblemDetails, problem, problemResponse } from '@vigil/contracts';
import { z } from 'zod';
import { RequestError } from './requestError';

const DOMAIN_STATUS: Record<string, number> = {
  incident_not_found: 404,
  mitigation_not_found: 404,
  action_item_not_found: 404,
  invalid_command: 422,
  reason_required: 422,
  actor_not_allowed: 403,
  unknown_command: 500,
  unknown_event: 500,
  stream_corrupt: 500,
};

/** What every error becomes on the wire. The one place that turns codes into HTTP answers. */
export function toProblem(error: unknown): { details: ProblemDetails; headers: Record<string, string> } {
  if (error instanceof RequestError) {
    return {
      details: problem(
        error.status,
        error.code,
        error.publicMessage,
        error.errors ? { errors: error.errors } : {},
      ),
      headers: error.headers,
    };
  }
  if (error instanceof z.ZodError) {
    return {
      details: problem(400, 'validation_failed', 'The request body is invalid.', {
        errors: zodIssues(error),
      }),
      headers: {},
    };
  }
  const coded = error as { code?: unknown; publicMessage?: unknown };
  // Domain errors (packages/core) carry a code and a public message; they are refusals, not faults.
  if (typeof coded?.code === 'string' && typeof coded.publicMessage === 'string') {
    const status = DOMAIN_STATUS[coded.code] ?? 409;
    if (status >= 500) console.error('vigil: domain fault', error);
    return { details: problem(status, coded.code, coded.publicMessage), headers: {} };
  }
  switch (coded?.code) {
    case 'stream_version_conflict':
      return {
        details: problem(
          412,
          'version_mismatch',
          'The incident changed since the version you sent (If-Match).',
        ),
        headers: {},
      };
    case 'stream_contention':
      return {
        details: problem(
          503,
          'stream_contention',
          'Too many concurrent changes to this incident; retry shortly.',
        ),
        headers: { 'retry-after': '1' },
      };
    case 'idempotency_key_reused':
      return {
        details: problem(
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was already used for another incident.',
        ),
        headers: {},
      };
  }
  console.error('vigil: unexpected error', error);
  return { details: problem(500, 'internal_error', 'Something went wrong on our side.'), headers: {} };
}

export function problemFor(error: unknown): Response {
  const { details, headers } = toProblem(error);
  return problemResponse(details, headers);
}

export function zodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? `/${issue.path.map(String).join('/')}` : '/',
    message: issue.message,
  }));
}
