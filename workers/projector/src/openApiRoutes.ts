import type { RouteDoc } from '@vigil/http';
import { ActionItemsQuery } from './actionItemQueries';
import { DashboardQuery } from './dashboard';
import { IncidentListQuery, TimelineQuery } from './incidentQueries';
import { MetricsQuery, RollupsQuery } from './metricsQueries';
import {
  ActionItemPage,
  IncidentDetail,
  IncidentPage,
  Metrics,
  Postmortem,
  RebuildResult,
  Rollups,
  StatusSummary,
  Timeline,
} from './responseSchemas';

const notFound = { description: 'No such incident.', contentType: 'application/problem+json' };

/** Every projector endpoint, for `GET /v1/openapi.json`. */
export const projectorRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/incidents',
    summary: 'Incidents, newest first; filter by status (or open), severity, service and start time.',
    scope: 'read',
    query: IncidentListQuery,
    responses: { 200: { description: 'A page of incidents.', schema: IncidentPage } },
  },
  {
    method: 'get',
    path: '/v1/incidents/{id}',
    summary: 'One incident: current state, triage, transitions; its version is the ETag.',
    scope: 'read',
    headers: { 'if-none-match': { description: 'An ETag from an earlier answer: 304 when unchanged.' } },
    responses: {
      200: { description: 'The incident.', schema: IncidentDetail },
      304: { description: 'Unchanged since the ETag sent.' },
      404: notFound,
    },
  },
  {
    method: 'get',
    path: '/v1/incidents/{id}/timeline',
    summary: 'Every event of the incident as a human-readable entry with actor and time.',
    scope: 'read',
    query: TimelineQuery,
    responses: { 200: { description: 'A page of entries in log order.', schema: Timeline }, 404: notFound },
  },
  {
    method: 'get',
    path: '/v1/incidents/{id}/postmortem',
    summary: 'The postmortem derived from the events; Markdown with Accept: text/markdown.',
    scope: 'read',
    headers: { accept: { description: 'application/json (default) or text/markdown.' } },
    responses: {
      200: { description: 'The postmortem as JSON (or Markdown).', schema: Postmortem },
      404: notFound,
    },
  },
  {
    method: 'get',
    path: '/v1/metrics',
    summary: 'MTTD, MTTA, MTTI, MTTM, MTTR, frequency, repeat rate and runbook compliance over a window.',
    scope: 'read',
    query: MetricsQuery,
    responses: { 200: { description: 'The metrics of the window.', schema: Metrics } },
  },
  {
    method: 'get',
    path: '/v1/metrics/rollups',
    summary: 'Stored hourly or daily rollups of the metric facts.',
    scope: 'read',
    query: RollupsQuery,
    responses: { 200: { description: 'A page of rollup rows.', schema: Rollups } },
  },
  {
    method: 'get',
    path: '/v1/action-items',
    summary: 'Action items across incidents; open ones (pending, in progress, failed) by default.',
    scope: 'read',
    query: ActionItemsQuery,
    responses: { 200: { description: 'A page of action items.', schema: ActionItemPage } },
  },
  {
    method: 'post',
    path: '/v1/admin/rebuild',
    summary: 'Drop every read model and replay the whole log into it.',
    scope: 'admin',
    responses: {
      200: { description: 'What the rebuild did and the rows per table.', schema: RebuildResult },
    },
  },
  {
    method: 'get',
    path: '/status',
    summary: 'The public status page (HTML).',
    responses: { 200: { description: 'The page.', contentType: 'text/html' } },
  },
  {
    method: 'get',
    path: '/status.json',
    summary: "The public status in the shape of Statuspage's /api/v2/summary.json.",
    responses: { 200: { description: 'The summary.', schema: StatusSummary } },
  },
  {
    method: 'get',
    path: '/status/incidents/{id}/postmortem',
    summary: 'A published postmortem as a public page.',
    responses: {
      200: { description: 'The page.', contentType: 'text/html' },
      404: { description: 'No published postmortem.', contentType: 'application/problem+json' },
    },
  },
  {
    method: 'get',
    path: '/',
    summary: 'The dashboard shell: a sign-in form keeping a read key for the tab.',
    responses: { 200: { description: 'The page.', contentType: 'text/html' } },
  },
  {
    method: 'get',
    path: '/v1/dashboard',
    summary: 'The dashboard body, server-rendered HTML with SVG charts (loaded by the shell).',
    scope: 'read',
    query: DashboardQuery,
    responses: { 200: { description: 'An HTML fragment.', contentType: 'text/html' } },
  },
  {
    method: 'get',
    path: '/health',
    summary: "The Worker's name, version and whether D1 answers.",
    responses: { 200: { description: 'Healthy.' } },
  },
];
