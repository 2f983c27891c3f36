import {
  ActionItemBody,
  ActionItemStatusBody,
  AlertmanagerWebhook,
  ApiKeyInput,
  ChannelInput,
  ChannelReplacement,
  DeclareIncidentBody,
  EscalateBody,
  IdentifyBody,
  MitigatedBody,
  MitigationBody,
  MitigationResultBody,
  NoteBody,
  PagerDutyChangeEvent,
  PagerDutyEvent,
  PostmortemBody,
  ReopenBody,
  ResolveBody,
  ServiceSettingsOverride,
  SeverityBody,
  SignalBatch,
  StatusUpdateBody,
} from '@vigil/contracts';
import {
  health,
  missingRoute,
  openApiDocument,
  problemFor,
  RequestError,
  type RouteDoc,
  readJson,
  requireScope,
} from '@vigil/http';
import { AutoRouter, type IRequest } from 'itty-router';
import { z } from 'zod';
import pkg from '../package.json';
import * as admin from './admin';
import { receiveAlertmanager } from './alertmanager';
import { enqueueSignals } from './ingest';
import { enqueuePagerDutyChange, enqueuePagerDutyEvent } from './pagerDuty';
import * as responder from './responderCommands';

type Handler = (request: IRequest, env: Env) => Promise<Response>;

async function ingestSignals(request: IRequest, env: Env): Promise<Response> {
  const key = await requireScope(request, env.DB, 'ingest');
  const { signals } = await readJson(request, SignalBatch);
  if (key.service !== null) {
    const foreign = signals.findIndex((signal) => signal.service !== key.service);
    if (foreign >= 0) {
      throw new RequestError(
        403,
        'service_not_allowed',
        `This API key may only send signals for "${key.service}".`,
        [{ path: `/signals/${foreign}/service`, message: `expected "${key.service}"` }],
      );
    }
  }
  return Response.json(await enqueueSignals(env.SIGNALS, signals, new Date()), { status: 202 });
}

const Accepted = z.object({ accepted: z.number().int(), ids: z.array(z.string()) });
const CommandResult = z.object({
  id: z.string(),
  version: z.number().int(),
  status: z.string(),
  replayed: z.boolean(),
  events: z.array(z.object({ seq: z.number().int(), type: z.string() })),
  state: z
    .record(z.string(), z.unknown())
    .describe(
      'The folded incident state after the command, without its notes and recorded deliveries (the timeline has both)',
    ),
});
const commandHeaders = {
  'If-Match': { description: 'The incident version you saw; a stale one answers 412.' },
  'Idempotency-Key': {
    description: 'Makes a retry safe: the first result is returned, nothing is appended twice.',
  },
  'X-Vigil-Actor': { description: 'The person acting (the key vouches for them); defaults to the key name.' },
};
/** What a command that creates something answers: 201, and the id it created when it names one. */
interface Creates {
  id?: 'updateId' | 'mitigationId' | 'actionItemId';
}
const commandResponses = (created?: Creates) => ({
  [created ? 201 : 200]: {
    description: 'The incident after the command.',
    schema: created?.id
      ? CommandResult.extend({
          [created.id]: z.string().describe('The id it created (the first request’s, when replayed).'),
        })
      : CommandResult,
  },
  404: { description: 'No such incident (or mitigation / action item).' },
  409: { description: 'Not allowed in the incident’s state; `code` says why.' },
  412: { description: 'If-Match named a version that is no longer current.' },
});

function command(
  path: string,
  summary: string,
  body: z.ZodType | undefined,
  handler: Handler,
  created?: Creates,
) {
  return {
    doc: {
      method: 'post',
      path,
      summary,
      scope: 'respond',
      headers: commandHeaders,
      ...(body && { body }),
      responses: commandResponses(created),
    } satisfies RouteDoc,
    handler,
  };
}

/** Every endpoint once: the router and the OpenAPI document are both built from this list. */
const endpoints: { doc: RouteDoc; handler: Handler }[] = [
  {
    doc: {
      method: 'get',
      path: '/health',
      summary: 'Worker name, version and whether D1 answers.',
      responses: { 200: { description: 'Healthy.' }, 503: { description: 'D1 does not answer.' } },
    },
    handler: (_request, env) => health('vigil-producer', pkg.version, env.DB),
  },
  {
    doc: {
      method: 'post',
      path: '/v1/signals',
      summary: 'Send native signals: metrics snapshots, deployments, errors, security events.',
      scope: 'ingest',
      body: SignalBatch,
      responses: {
        202: { description: 'Accepted, with an id per signal.', schema: Accepted },
        413: { description: 'Body over 1 MiB.' },
        415: { description: 'Body is not application/json.' },
      },
    },
    handler: ingestSignals,
  },
  {
    doc: {
      method: 'post',
      path: '/v2/enqueue',
      summary:
        'PagerDuty Events API v2 (trigger / acknowledge / resolve); the routing key is a Vigil ingest key.',
      body: PagerDutyEvent,
      responses: {
        202: { description: '{"status":"success","message":"Event processed","dedup_key":…}' },
        400: { description: '{"status":"invalid event","message":"Event object is invalid","errors":[…]}' },
        429: { description: 'More than 120 events a minute for this routing key.' },
      },
    },
    handler: (request, env) => enqueuePagerDutyEvent(request, env),
  },
  {
    doc: {
      method: 'post',
      path: '/v2/change/enqueue',
      summary: 'PagerDuty change event, recorded as a deployment.',
      body: PagerDutyChangeEvent,
      responses: { 202: { description: 'Change event processed.' }, 400: { description: 'Invalid event.' } },
    },
    handler: (request, env) => enqueuePagerDutyChange(request, env),
  },
  {
    doc: {
      method: 'post',
      path: '/v1/integrations/alertmanager',
      summary: 'Alertmanager webhook (version 4): firing alerts trigger, resolved ones resolve.',
      scope: 'ingest',
      body: AlertmanagerWebhook,
      responses: { 202: { description: 'Accepted, with an id per alert.', schema: Accepted } },
    },
    handler: (request, env) => receiveAlertmanager(request, env),
  },
  {
    doc: {
      method: 'post',
      path: '/v1/incidents',
      summary: 'Declare an incident (triaged at once).',
      scope: 'respond',
      headers: {
        'Idempotency-Key': commandHeaders['Idempotency-Key'],
        'X-Vigil-Actor': commandHeaders['X-Vigil-Actor'],
      },
      body: DeclareIncidentBody,
      responses: { 201: { description: 'The new incident.', schema: CommandResult } },
    },
    handler: responder.declareIncident,
  },
  command(
    '/v1/incidents/{id}/acknowledge',
    'Acknowledge (take ownership).',
    undefined,
    responder.acknowledge,
  ),
  command('/v1/incidents/{id}/escalate', 'Escalate to a role.', EscalateBody, responder.escalate),
  command('/v1/incidents/{id}/severity', 'Change the severity.', SeverityBody, responder.changeSeverity),
  command('/v1/incidents/{id}/identify', 'Record the root cause.', IdentifyBody, responder.identify),
  command(
    '/v1/incidents/{id}/status-updates',
    'Post a status update (public ones reach the status page).',
    StatusUpdateBody,
    responder.postStatusUpdate,
    { id: 'updateId' },
  ),
  command(
    '/v1/incidents/{id}/mitigations',
    'Attempt a mitigation.',
    MitigationBody,
    responder.attemptMitigation,
    { id: 'mitigationId' },
  ),
  command(
    '/v1/incidents/{id}/mitigations/{mid}/result',
    'Record how a mitigation ended.',
    MitigationResultBody,
    responder.recordMitigationResult,
  ),
  command('/v1/incidents/{id}/mitigated', 'Mark the impact stopped.', MitigatedBody, responder.markMitigated),
  command('/v1/incidents/{id}/resolve', 'Resolve.', ResolveBody, responder.resolve),
  command('/v1/incidents/{id}/reopen', 'Reopen a resolved incident.', ReopenBody, responder.reopen),
  command('/v1/incidents/{id}/notes', 'Add a note to the timeline.', NoteBody, responder.addNote, {}),
  command('/v1/incidents/{id}/action-items', 'Add an action item.', ActionItemBody, responder.addActionItem, {
    id: 'actionItemId',
  }),
  command(
    '/v1/incidents/{id}/action-items/{aid}/status',
    'Move an action item on.',
    ActionItemStatusBody,
    responder.changeActionItemStatus,
  ),
  command(
    '/v1/incidents/{id}/postmortem',
    'Draft the postmortem’s human fields.',
    PostmortemBody,
    responder.draftPostmortem,
  ),
  command(
    '/v1/incidents/{id}/postmortem/publish',
    'Publish the postmortem.',
    undefined,
    responder.publishPostmortem,
  ),
  {
    doc: {
      method: 'post',
      path: '/v1/admin/keys',
      summary: 'Create an API key (shown once).',
      scope: 'admin',
      body: ApiKeyInput,
      responses: { 201: { description: 'The key and its record.' } },
    },
    handler: admin.createKey,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/admin/keys',
      summary: 'List API keys.',
      scope: 'admin',
      responses: { 200: { description: 'Keys.' } },
    },
    handler: admin.listKeys,
  },
  {
    doc: {
      method: 'delete',
      path: '/v1/admin/keys/{id}',
      summary: 'Revoke an API key.',
      scope: 'admin',
      responses: {
        204: { description: 'Revoked (again: revoking a revoked key changes nothing).' },
        404: { description: 'No such key.' },
      },
    },
    handler: admin.revokeKey,
  },
  {
    doc: {
      method: 'post',
      path: '/v1/admin/channels',
      summary: 'Add a notification channel.',
      scope: 'admin',
      body: ChannelInput,
      responses: { 201: { description: 'The channel, secret never shown.' } },
    },
    handler: admin.createChannel,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/admin/channels',
      summary: 'List channels.',
      scope: 'admin',
      responses: { 200: { description: 'Channels.' } },
    },
    handler: admin.listChannels,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/admin/channels/{id}',
      summary: 'One channel.',
      scope: 'admin',
      responses: { 200: { description: 'The channel.' }, 404: { description: 'No such channel.' } },
    },
    handler: admin.getChannel,
  },
  {
    doc: {
      method: 'put',
      path: '/v1/admin/channels/{id}',
      summary: 'Replace a channel’s configuration (omit secret to keep it while the type stays the same).',
      scope: 'admin',
      body: ChannelReplacement,
      responses: { 200: { description: 'The channel.' }, 404: { description: 'No such channel.' } },
    },
    handler: admin.replaceChannel,
  },
  {
    doc: {
      method: 'delete',
      path: '/v1/admin/channels/{id}',
      summary: 'Remove a channel.',
      scope: 'admin',
      responses: { 204: { description: 'Removed.' }, 404: { description: 'No such channel.' } },
    },
    handler: admin.deleteChannel,
  },
  {
    doc: {
      method: 'put',
      path: '/v1/admin/services/{service}/settings',
      summary: 'Set a service’s detection thresholds and windows.',
      scope: 'admin',
      body: ServiceSettingsOverride,
      responses: { 200: { description: 'Stored.' } },
    },
    handler: admin.putServiceSettings,
  },
  {
    doc: {
      method: 'get',
      path: '/v1/admin/services/{service}/settings',
      summary: 'A service’s detection overrides.',
      scope: 'admin',
      responses: { 200: { description: 'Overrides.' }, 404: { description: 'None set.' } },
    },
    handler: admin.getServiceSettings,
  },
  {
    doc: {
      method: 'delete',
      path: '/v1/admin/services/{service}/settings',
      summary: 'Back to the defaults.',
      scope: 'admin',
      responses: { 204: { description: 'Removed.' }, 404: { description: 'None set.' } },
    },
    handler: admin.deleteServiceSettings,
  },
];

const documented: RouteDoc[] = [
  ...endpoints.map((endpoint) => endpoint.doc),
  {
    method: 'get',
    path: '/v1/openapi.json',
    summary: 'This document.',
    responses: { 200: { description: 'OpenAPI 3.1.' } },
  },
];

export const openApi = openApiDocument({
  title: 'Vigil producer',
  version: pkg.version,
  description:
    'Ingest (native, PagerDuty Events API v2, Alertmanager), responder commands and administration.',
  routes: documented,
});

export const router = AutoRouter<IRequest, [Env, ExecutionContext]>({
  catch: problemFor,
  missing: missingRoute(documented),
});

for (const { doc, handler } of endpoints) {
  router[doc.method](doc.path.replaceAll(/\{(\w+)\}/g, ':$1'), handler);
}
router.get('/v1/openapi.json', () => Response.json(openApi));
