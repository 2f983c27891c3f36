import { postmortemMarkdown } from '@vigil/core/projections';
import { health, ifNoneMatch, missingRoute, openApiDocument, problemFor, requireScope } from '@vigil/http';
import { AutoRouter, type IRequest } from 'itty-router';
import pkg from '../package.json';
import { prefersMarkdown } from './accept';
import { ActionItemsQuery, listActionItems } from './actionItemQueries';
import { rebuildReadModels } from './adminRebuild';
import { DashboardQuery, dashboardData } from './dashboard';
import { dashboardFragment } from './html/dashboardFragment';
import { DASHBOARD_SCRIPT, dashboardPage } from './html/dashboardPage';
import { htmlResponse } from './html/html';
import { publicPostmortemPage, statusPage } from './html/statusPage';
import { getIncident, getTimeline, IncidentListQuery, listIncidents, TimelineQuery } from './incidentQueries';
import { MetricsQuery, metrics, RollupsQuery, rollups } from './metricsQueries';
import { projectorRoutes } from './openApiRoutes';
import { getPostmortem, getPublicPostmortem } from './postmortemQueries';
import { queryParams } from './queryParams';
import { projectorSettings } from './settings';
import { statuspageSummary, statusSnapshot } from './statusSummary';

export const router = AutoRouter<IRequest, [Env, ExecutionContext]>({
  catch: problemFor,
  missing: missingRoute(projectorRoutes),
});

const openApi = openApiDocument({
  title: 'Vigil projector',
  version: pkg.version,
  description: 'Read models of the incident log: incidents, timelines, postmortems, metrics, status page.',
  routes: projectorRoutes,
});

// The status page changes within seconds of an incident: browsers always revalidate, while a
// shared cache in front may absorb a burst of readers for a few seconds.
const PUBLIC_CACHE = { 'cache-control': 'public, max-age=0, s-maxage=10' };

router.get('/health', (_request, env) => health('vigil-projector', pkg.version, env.DB));
router.get('/v1/openapi.json', () => Response.json(openApi));

router.get('/v1/incidents', async (request, env) => {
  await requireScope(request, env.DB, 'read');
  return Response.json(await listIncidents(env.DB, queryParams(request, IncidentListQuery)));
});

router.get('/v1/incidents/:id', async (request, env) => {
  await requireScope(request, env.DB, 'read');
  const incident = await getIncident(env.DB, request.params.id!);
  const etag = `"${incident.version}"`;
  if (ifNoneMatch(request.headers.get('if-none-match'), etag))
    return new Response(null, { status: 304, headers: { etag } });
  return Response.json(incident, { headers: { etag } });
});

router.get('/v1/incidents/:id/timeline', async (request, env) => {
  await requireScope(request, env.DB, 'read');
  return Response.json(await getTimeline(env.DB, request.params.id!, queryParams(request, TimelineQuery)));
});

router.get('/v1/incidents/:id/postmortem', async (request, env) => {
  await requireScope(request, env.DB, 'read');
  const postmortem = await getPostmortem(env.DB, request.params.id!);
  if (prefersMarkdown(request.headers.get('accept'))) {
    return new Response(postmortemMarkdown(postmortem), {
      headers: { 'content-type': 'text/markdown; charset=utf-8', vary: 'accept' },
    });
  }
  return Response.json(postmortem, { headers: { vary: 'accept' } });
});

router.get('/v1/metrics', async (request, env) => {
  await requireScope(request, env.DB, 'read');
  // Durations come from millisecond timestamps: three decimals of a second is all they hold.
  const body = JSON.stringify(
    await metrics(env.DB, queryParams(request, MetricsQuery), new Date()),
    (_key, value) =>
      typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value,
  );
  return new Response(body, { headers: { 'content-type': 'application/json' } });
});

router.get('/v1/metrics/rollups', async (request, env) => {
  await requireScope(request, env.DB, 'read');
  return Response.json(await rollups(env.DB, queryParams(request, RollupsQuery), new Date()));
});

router.get('/v1/action-items', async (request, env) => {
  await requireScope(request, env.DB, 'read');
  return Response.json(await listActionItems(env.DB, queryParams(request, ActionItemsQuery)));
});

router.post('/v1/admin/rebuild', async (request, env) => {
  await requireScope(request, env.DB, 'admin');
  return Response.json(await rebuildReadModels(env.DB));
});

router.get('/status', async (_request, env) => {
  const { statusPageName } = projectorSettings(env);
  return htmlResponse(statusPage(await statusSnapshot(env.DB, new Date()), statusPageName), {
    headers: PUBLIC_CACHE,
  });
});

router.get('/status.json', async (request, env) => {
  const { statusPageName } = projectorSettings(env);
  const url = `${new URL(request.url).origin}/status`;
  return Response.json(
    statuspageSummary(await statusSnapshot(env.DB, new Date()), { name: statusPageName, url }),
    {
      headers: { ...PUBLIC_CACHE, 'access-control-allow-origin': '*' },
    },
  );
});

router.get('/status/incidents/:id/postmortem', async (request, env) => {
  const { statusPageName } = projectorSettings(env);
  return htmlResponse(
    publicPostmortemPage(await getPublicPostmortem(env.DB, request.params.id!), statusPageName),
    {
      headers: PUBLIC_CACHE,
    },
  );
});

router.get('/', () => htmlResponse(dashboardPage(), {}, [DASHBOARD_SCRIPT]));

router.get('/v1/dashboard', async (request, env) => {
  await requireScope(request, env.DB, 'read');
  const data = await dashboardData(env.DB, queryParams(request, DashboardQuery), new Date());
  return htmlResponse(dashboardFragment(data), { headers: { 'cache-control': 'no-store' } });
});
