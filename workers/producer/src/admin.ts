import {
  ApiKeyInput,
  ChannelInput,
  ChannelReplacement,
  needsSecret,
  ServiceName,
  ServiceSettingsOverride,
  secretRequirement,
} from '@vigil/contracts';
import { incidentEventTypes } from '@vigil/core';
import { ApiKeys, Channels, toPublicChannel } from '@vigil/db';
import { RequestError, readJson, requireScope } from '@vigil/http';
import type { IRequest } from 'itty-router';

const notFound = (what: string, id: string) =>
  new RequestError(404, `${what}_not_found`, `No ${what.replace('_', ' ')} ${id}.`);

/** `POST /v1/admin/keys`: the key itself is in this answer only; Vigil stores its hash. */
export async function createKey(request: IRequest, env: Env): Promise<Response> {
  await requireScope(request, env.DB, 'admin');
  const input = await readJson(request, ApiKeyInput);
  const { key, apiKey } = await new ApiKeys(env.DB).create({ ...input, service: input.service ?? null });
  return Response.json({ key, apiKey }, { status: 201 });
}

export async function listKeys(request: IRequest, env: Env): Promise<Response> {
  await requireScope(request, env.DB, 'admin');
  return Response.json({ items: await new ApiKeys(env.DB).list() });
}

export async function revokeKey(request: IRequest, env: Env): Promise<Response> {
  await requireScope(request, env.DB, 'admin');
  if (!(await new ApiKeys(env.DB).revoke(request.params.id!))) throw notFound('api_key', request.params.id!);
  return new Response(null, { status: 204 });
}

const KNOWN_EVENT_TYPES = new Set<string>(incidentEventTypes);

/** A channel's input, with its event types checked against the domain's. */
async function channelInput(request: IRequest, schema: typeof ChannelInput = ChannelInput) {
  const input = await readJson(request, schema);
  const unknown = input.eventTypes.findIndex((type) => !KNOWN_EVENT_TYPES.has(type));
  if (unknown >= 0) {
    throw new RequestError(400, 'validation_failed', 'The request body is invalid.', [
      { path: `/eventTypes/${unknown}`, message: `not an incident event type: ${input.eventTypes[unknown]}` },
    ]);
  }
  return input;
}

/** Channels never show their secret, and their target only redacted. */
export async function createChannel(request: IRequest, env: Env): Promise<Response> {
  await requireScope(request, env.DB, 'admin');
  const channel = await new Channels(env.DB).create(await channelInput(request));
  return Response.json(toPublicChannel(channel), { status: 201 });
}

export async function listChannels(request: IRequest, env: Env): Promise<Response> {
  await requireScope(request, env.DB, 'admin');
  return Response.json({ items: (await new Channels(env.DB).list()).map(toPublicChannel) });
}

export async function getChannel(request: IRequest, env: Env): Promise<Response> {
  await requireScope(request, env.DB, 'admin');
  const channel = await new Channels(env.DB).get(request.params.id!);
  if (!channel) throw notFound('channel', request.params.id!);
  return Response.json(toPublicChannel(channel));
}

/** `PUT`: the whole channel; a secret left out keeps the stored one while the type stays the same. */
export async function replaceChannel(request: IRequest, env: Env): Promise<Response> {
  await requireScope(request, env.DB, 'admin');
  const input = await channelInput(request, ChannelReplacement);
  const channels = new Channels(env.DB);
  const stored = await channels.get(request.params.id!);
  if (!stored) throw notFound('channel', request.params.id!);
  const keeps = stored.type === input.type && stored.secret !== null;
  if (input.secret === undefined && needsSecret(input.type) && !keeps) {
    throw new RequestError(400, 'validation_failed', 'The request body is invalid.', [
      { path: '/secret', message: secretRequirement(input.type) },
    ]);
  }
  const channel = await channels.update(request.params.id!, input);
  if (!channel) throw notFound('channel', request.params.id!);
  return Response.json(toPublicChannel(channel));
}

export async function deleteChannel(request: IRequest, env: Env): Promise<Response> {
  await requireScope(request, env.DB, 'admin');
  if (!(await new Channels(env.DB).remove(request.params.id!))) throw notFound('channel', request.params.id!);
  return new Response(null, { status: 204 });
}

function serviceParam(request: IRequest): string {
  const invalid = () =>
    new RequestError(400, 'invalid_service', 'Not a service name.', [
      { path: '/service', message: 'invalid' },
    ]);
  let decoded: string;
  try {
    decoded = decodeURIComponent(request.params.service ?? '');
  } catch {
    // A malformed escape (`%E0%A4%A`) is the caller's mistake, not a fault.
    throw invalid();
  }
  const parsed = ServiceName.safeParse(decoded);
  if (!parsed.success) throw invalid();
  return parsed.data;
}

/** `PUT /v1/admin/services/{service}/settings`: the detector's per-service overrides. */
export async function putServiceSettings(request: IRequest, env: Env): Promise<Response> {
  await requireScope(request, env.DB, 'admin');
  const service = serviceParam(request);
  const settings = await readJson(request, ServiceSettingsOverride);
  const updatedAt = new Date().toISOString();
  await env.DB.prepare(
    `INSERT INTO service_settings (service, settings, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (service) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
  )
    .bind(service, JSON.stringify(settings), updatedAt)
    .run();
  return Response.json({ service, settings, updatedAt });
}

export async function getServiceSettings(request: IRequest, env: Env): Promise<Response> {
  await requireScope(request, env.DB, 'admin');
  const service = serviceParam(request);
  const row = await env.DB.prepare('SELECT settings, updated_at FROM service_settings WHERE service = ?')
    .bind(service)
    .first<{ settings: string; updated_at: string }>();
  if (!row) throw notFound('service_settings', service);
  return Response.json({ service, settings: JSON.parse(row.settings), updatedAt: row.updated_at });
}

export async function deleteServiceSettings(request: IRequest, env: Env): Promise<Response> {
  await requireScope(request, env.DB, 'admin');
  const service = serviceParam(request);
  const result = await env.DB.prepare('DELETE FROM service_settings WHERE service = ?').bind(service).run();
  if (result.meta.changes === 0) throw notFound('service_settings', service);
  return new Response(null, { status: 204 });
}
