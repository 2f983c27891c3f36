import { health, problemFor, RequestError, requireScope, zodIssues } from '@vigil/http';
import { AutoRouter, type IRequest } from 'itty-router';
import pkg from '../package.json';
import { getIncident, getTimeline, IncidentListQuery, listIncidents } from './incidentQueries';

export const router = AutoRouter<IRequest, [Env, ExecutionContext]>({
  catch: problemFor,
  missing: () => problemFor(new RequestError(404, 'not_found', 'No such endpoint.')),
});

function parseQuery(request: IRequest) {
  const parsed = IncidentListQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
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

router.get('/health', (_request, env) => health('vigil-projector', pkg.version, env.DB));

router.get('/v1/incidents', async (request, env) => {
  await requireScope(request, env.DB, 'read');
  return Response.json(await listIncidents(env.DB, parseQuery(request)));
});

router.get('/v1/incidents/:id', async (request, env) => {
  await requireScope(request, env.DB, 'read');
  const incident = await getIncident(env.DB, request.params.id!);
  const etag = `"${incident.version}"`;
  if (request.headers.get('if-none-match') === etag)
    return new Response(null, { status: 304, headers: { etag } });
  return Response.json(incident, { headers: { etag } });
});

router.get('/v1/incidents/:id/timeline', async (request, env) => {
  await requireScope(request, env.DB, 'read');
  return Response.json(await getTimeline(env.DB, request.params.id!));
});
