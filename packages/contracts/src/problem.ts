/**
 * RFC 9457 problem details, the error body of every native endpoint.
 * `code` is Vigil's stable machine-readable code; `errors` lists failing field paths.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(
  status: number,
  code: string,
  detail?: string,
  extensions: Omit<Partial<ProblemDetails>, 'status' | 'code'> = {},
): ProblemDetails {
  return {
    type: `https://vigil.dev/problems/${code.replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    ...(detail !== undefined && { detail }),
    ...extensions,
  };
}

export function problemResponse(details: ProblemDetails, headers: HeadersInit = {}): Response {
  const merged = new Headers(headers);
  merged.set('content-type', PROBLEM_CONTENT_TYPE);
  return new Response(JSON.stringify(details), { status: details.status, headers: merged });
}
