import {
  ActionItemBody,
  ActionItemStatusBody,
  DeclareIncidentBody,
  EmptyBody,
  EscalateBody,
  IdentifyBody,
  MitigatedBody,
  MitigationBody,
  MitigationResultBody,
  NoteBody,
  PostmortemBody,
  ReopenBody,
  ResolveBody,
  SeverityBody,
  StatusUpdateBody,
} from '@vigil/contracts';
import {
  type Actor,
  type IncidentCommand,
  type IncidentEvent,
  type IncidentState,
  newId,
  newIncidentId,
  type Role,
  stateView,
  triage,
} from '@vigil/core';
import {
  type ApiKey,
  IdempotencyKeyReusedError,
  IncidentStore,
  incidentDecider,
  pastIncidents,
  wakeConsumers,
} from '@vigil/db';
import { RequestError, readJson, requireScope } from '@vigil/http';
import type { IRequest } from 'itty-router';
import type { z } from 'zod';

/** Who acts: the person named in `X-Vigil-Actor` (the key vouches for them), else the key itself. */
function actorOf(request: Request, key: ApiKey): Actor {
  const named = request.headers.get('x-vigil-actor')?.trim();
  if (named && named.length > 128) {
    throw new RequestError(400, 'invalid_actor', 'X-Vigil-Actor is at most 128 characters.');
  }
  return named ? { kind: 'human', id: named, name: named } : { kind: 'human', id: key.id, name: key.name };
}

/** `If-Match: "3"` (or `3`): the version the responder saw; a stale one answers 412. */
function expectedVersion(request: Request): number | undefined {
  const header = request.headers.get('if-match');
  if (header === null) return undefined;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  if (!match)
    throw new RequestError(400, 'invalid_if_match', 'If-Match must be the incident version, e.g. "3".');
  return Number(match[1]);
}

/**
 * Idempotency keys are scoped to the API key, so two clients cannot collide, and to the kind of
 * command (the endpoint, the incident id left out), so a key reused for another command is a new
 * request, not a replay of an acknowledge as if it were a status update. Reused on another
 * incident for the same command, it is refused (`idempotency_key_reused`).
 */
function idempotencyKey(request: Request, key: ApiKey, incidentId?: string): string | undefined {
  const header = request.headers.get('idempotency-key');
  if (header === null) return undefined;
  if (header.length < 1 || header.length > 200) {
    throw new RequestError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 200 characters.');
  }
  const { pathname } = new URL(request.url);
  const command = incidentId === undefined ? pathname : pathname.replace(`/${incidentId}`, '/{id}');
  return `http:${key.id}:${command}:${header}`;
}

/** A key restricted to one service acts only on that service's incidents. */
function mayActOn(key: ApiKey, service: string): void {
  if (key.service !== null && service !== key.service) {
    throw new RequestError(403, 'service_not_allowed', `This API key may only act on "${key.service}".`);
  }
}

/**
 * The id a command created, read from the events it recorded: a retried request with the
 * same Idempotency-Key answers the id of the first one, which is the id that exists.
 */
function createdId<T extends IncidentEvent['type']>(
  type: T,
  field: keyof Extract<IncidentEvent, { type: T }>['data'],
) {
  return (events: readonly { type: string; data: unknown }[]): Record<string, unknown> => {
    const event = events.find((candidate) => candidate.type === type);
    return event ? { [field]: (event.data as Record<PropertyKey, unknown>)[field] } : {};
  };
}

/**
 * Commands whose fields are all optional (acknowledge, mitigated, publish, …) may come with no
 * body at all, as `curl -X POST` and the CLI send them, with or without a content type; a
 * command without fields also ignores a body sent without a content type (it is not JSON).
 */
async function bodyOf<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const empty = schema.safeParse({});
  if (!empty.success) return readJson(request, schema);
  if (schema === (EmptyBody as z.ZodType) && !request.headers.get('content-type')) return empty.data;
  return readJson(request, schema, { empty: empty.data });
}

function respond(
  incidentId: string,
  result: {
    state: IncidentState;
    version: number;
    events: { seq: number; type: string; data: unknown }[];
    duplicate: boolean;
  },
  status: number,
  extra: Record<string, unknown> = {},
): Response {
  return Response.json(
    {
      id: incidentId,
      version: result.version,
      status: result.state.status,
      replayed: result.duplicate,
      events: result.events.map((event) => ({ seq: event.seq, type: event.type })),
      ...extra,
      state: stateView(result.state),
    },
    {
      status,
      headers: { etag: `"${result.version}"`, location: `/v1/incidents/${incidentId}` },
    },
  );
}

interface CommandContext<B> {
  incidentId: string;
  body: B;
  at: string;
  by: Actor;
  params: Record<string, string>;
  now: Date;
}

/**
 * One responder command endpoint: authenticate (scope respond), validate the body, build the
 * domain commands, execute them with If-Match and Idempotency-Key, wake the consumers.
 */
function commandEndpoint<S extends z.ZodType>(
  schema: S,
  build: (context: CommandContext<z.infer<S>>) => {
    commands: IncidentCommand[];
    status?: number;
    /** What the answer adds from the recorded events (the first request's, when replayed). */
    created?: (events: readonly { type: string; data: unknown }[]) => Record<string, unknown>;
  },
) {
  return async (request: IRequest, env: Env): Promise<Response> => {
    const key = await requireScope(request, env.DB, 'respond');
    const body = await bodyOf(request, schema);
    const now = new Date();
    const incidentId = request.params.id!;
    const {
      commands,
      status = 200,
      created,
    } = build({
      incidentId,
      body,
      at: now.toISOString(),
      by: actorOf(request, key),
      params: request.params,
      now,
    });
    const version = expectedVersion(request);
    const idempotency = idempotencyKey(request, key, incidentId);
    const result = await new IncidentStore(env.DB).execute(incidentId, commands, {
      source: 'api',
      check: (state) => {
        if (state.status !== 'none') mayActOn(key, state.service);
      },
      ...(version !== undefined && { expectedVersion: version }),
      ...(idempotency !== undefined && { idempotencyKey: idempotency }),
    });
    const head = result.events.at(-1)?.seq ?? 0;
    if (!result.duplicate && head > 0) await wakeConsumers(env, head, 'command', result.events);
    return respond(incidentId, result, status, created?.(result.events));
  };
}

const random = () => Math.random();

/**
 * What a declaration answered, for its retries (same Idempotency-Key): the incident it
 * declared, as that declaration left it, not as later commands changed it.
 */
async function firstDeclaration(store: IncidentStore, idempotency: string): Promise<Response | undefined> {
  const first = await store.events.findIdempotentResult<IncidentEvent>(idempotency);
  if (!first) return undefined;
  const events = await store.events.readStream<IncidentEvent>(first.streamId);
  const state = events
    .filter((event) => event.version <= first.nextExpectedVersion)
    .reduce(incidentDecider.evolve, incidentDecider.initialState);
  return respond(
    first.streamId,
    { state, version: first.nextExpectedVersion, events: first.events, duplicate: true },
    201,
  );
}

/** `POST /v1/incidents`: a person declares an incident; it is triaged in the same append. */
export async function declareIncident(request: IRequest, env: Env): Promise<Response> {
  const key = await requireScope(request, env.DB, 'respond');
  const body = await readJson(request, DeclareIncidentBody);
  mayActOn(key, body.service);
  const now = new Date();
  const at = now.toISOString();
  const by = actorOf(request, key);
  const incidentId = newIncidentId(now, random);
  const impact = {
    usersAffected: body.usersAffected ?? 0,
    revenueImpact: body.revenueImpact ?? 0,
    severity: ({ P0: 'critical', P1: 'high', P2: 'medium', P3: 'low' } as const)[body.severity],
  };
  const kind = body.kind ?? 'manual';
  const commands: IncidentCommand[] = [
    {
      type: 'DeclareIncident',
      data: {
        incidentId,
        at,
        by,
        service: body.service,
        kind,
        severity: body.severity,
        title: body.title,
        startedAt: body.startedAt ? new Date(body.startedAt).toISOString() : at,
        impact,
      },
    },
    {
      type: 'TriageIncident',
      data: {
        incidentId,
        at,
        by,
        triage: triage({
          incident: { id: incidentId, service: body.service, kind, severity: body.severity, impact },
          history: await pastIncidents(env.DB, body.service),
        }),
      },
    },
  ];
  const idempotency = idempotencyKey(request, key);
  const store = new IncidentStore(env.DB);
  if (idempotency !== undefined) {
    const first = await firstDeclaration(store, idempotency);
    if (first) return first;
  }
  let result: Awaited<ReturnType<IncidentStore['execute']>>;
  try {
    result = await store.execute(incidentId, commands, {
      source: 'api',
      ...(idempotency !== undefined && { idempotencyKey: idempotency }),
    });
  } catch (error) {
    // A retry that raced the first request lost on the key (it had drawn another incident id):
    // the incident the first one declared is its answer, as for any retry.
    const first =
      idempotency !== undefined && error instanceof IdempotencyKeyReusedError
        ? await firstDeclaration(store, idempotency)
        : undefined;
    if (first) return first;
    throw error;
  }
  const head = result.events.at(-1)?.seq ?? 0;
  if (head > 0) await wakeConsumers(env, head, 'command', result.events);
  return respond(incidentId, result, 201);
}

export const acknowledge = commandEndpoint(EmptyBody, ({ incidentId, at, by }) => ({
  commands: [{ type: 'AcknowledgeIncident', data: { incidentId, at, by } }],
}));

export const escalate = commandEndpoint(EscalateBody, ({ incidentId, at, by, body }) => ({
  commands: [
    {
      type: 'EscalateIncident',
      data: { incidentId, at, by, toRole: body.toRole as Role, reason: body.reason },
    },
  ],
}));

export const changeSeverity = commandEndpoint(SeverityBody, ({ incidentId, at, by, body }) => ({
  commands: [
    { type: 'ChangeSeverity', data: { incidentId, at, by, to: body.severity, reason: body.reason } },
  ],
}));

export const identify = commandEndpoint(IdentifyBody, ({ incidentId, at, by, body }) => ({
  commands: [{ type: 'IdentifyRootCause', data: { incidentId, at, by, rootCause: body.rootCause } }],
}));

export const postStatusUpdate = commandEndpoint(StatusUpdateBody, ({ incidentId, at, by, body, now }) => {
  const updateId = newId('upd', now, random);
  return {
    commands: [{ type: 'PostStatusUpdate', data: { incidentId, at, by, updateId, ...body } }],
    status: 201,
    created: createdId('StatusUpdatePosted', 'updateId'),
  };
});

export const attemptMitigation = commandEndpoint(MitigationBody, ({ incidentId, at, by, body, now }) => {
  const mitigationId = newId('mit', now, random);
  return {
    commands: [
      {
        type: 'AttemptMitigation',
        data: {
          incidentId,
          at,
          by,
          mitigationId,
          action: body.action,
          description: body.description,
          ...(body.params !== undefined && { params: body.params }),
        },
      },
    ],
    status: 201,
    created: createdId('MitigationAttempted', 'mitigationId'),
  };
});

export const recordMitigationResult = commandEndpoint(
  MitigationResultBody,
  ({ incidentId, at, by, body, params }) => ({
    commands: [
      {
        type: 'RecordMitigationResult',
        data: { incidentId, at, by, mitigationId: params.mid!, outcome: body.outcome, message: body.message },
      },
    ],
  }),
);

export const markMitigated = commandEndpoint(MitigatedBody, ({ incidentId, at, by, body }) => ({
  commands: [
    {
      type: 'MarkMitigated',
      data: {
        incidentId,
        at,
        by,
        ...(body.mitigationId !== undefined && { mitigationId: body.mitigationId }),
      },
    },
  ],
}));

export const resolve = commandEndpoint(ResolveBody, ({ incidentId, at, by, body }) => ({
  commands: [{ type: 'ResolveIncident', data: { incidentId, at, by, resolution: body.resolution } }],
}));

export const reopen = commandEndpoint(ReopenBody, ({ incidentId, at, by, body }) => ({
  commands: [{ type: 'ReopenIncident', data: { incidentId, at, by, reason: body.reason } }],
}));

export const addNote = commandEndpoint(NoteBody, ({ incidentId, at, by, body }) => ({
  commands: [{ type: 'AddNote', data: { incidentId, at, by, text: body.text } }],
  status: 201,
}));

export const addActionItem = commandEndpoint(ActionItemBody, ({ incidentId, at, by, body, now }) => {
  const actionItemId = newId('act', now, random);
  return {
    commands: [
      {
        type: 'AddActionItem',
        data: {
          incidentId,
          at,
          by,
          actionItemId,
          title: body.title,
          kind: body.kind,
          ...(body.ownerRole !== undefined && { ownerRole: body.ownerRole }),
          ...(body.ownerPerson !== undefined && { ownerPerson: body.ownerPerson }),
          ...(body.dueDate !== undefined && { dueDate: body.dueDate }),
        },
      },
    ],
    status: 201,
    created: createdId('ActionItemAdded', 'actionItemId'),
  };
});

export const changeActionItemStatus = commandEndpoint(
  ActionItemStatusBody,
  ({ incidentId, at, by, body, params }) => ({
    commands: [
      {
        type: 'ChangeActionItemStatus',
        data: {
          incidentId,
          at,
          by,
          actionItemId: params.aid!,
          to: body.status,
          ...(body.reason !== undefined && { reason: body.reason }),
        },
      },
    ],
  }),
);

export const draftPostmortem = commandEndpoint(PostmortemBody, ({ incidentId, at, by, body }) => ({
  commands: [
    {
      type: 'DraftPostmortem',
      data: {
        incidentId,
        at,
        by,
        lessonsLearned: body.lessonsLearned,
        ...(body.summary !== undefined && { summary: body.summary }),
        ...(body.impactNarrative !== undefined && { impactNarrative: body.impactNarrative }),
        ...(body.acknowledgments !== undefined && { acknowledgments: body.acknowledgments }),
      },
    },
  ],
}));

export const publishPostmortem = commandEndpoint(EmptyBody, ({ incidentId, at, by }) => ({
  commands: [{ type: 'PublishPostmortem', data: { incidentId, at, by } }],
}));
