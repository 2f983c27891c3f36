import { z } from 'zod';
import { ServiceName, Severity } from './signals';

export const ChannelType = z.enum(['slack', 'pagerduty', 'webhook', 'email', 'statuspage']);
export type ChannelType = z.infer<typeof ChannelType>;

/** Standard Webhooks: `whsec_` and the base64 of at least 16 bytes, decoded as the signer decodes it. */
function isWebhookSecret(secret: string): boolean {
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) return false;
  try {
    return atob(secret.slice('whsec_'.length)).length >= 16;
  } catch {
    return false;
  }
}

const ChannelFields = z
  .object({
    name: z.string().min(1).max(128),
    type: ChannelType,
    target: z.string().min(1).max(2048),
    secret: z.string().min(1).max(1024).optional(),
    minSeverity: Severity.default('P3'),
    services: z.array(ServiceName).max(100).default([]),
    eventTypes: z.array(z.string().min(1).max(64)).max(50).default([]),
    enabled: z.boolean().default(true),
  })
  .strict();

/** Channel types that cannot send without a secret (the routing key, the signing secret). */
export const needsSecret = (type: ChannelType) => type === 'webhook' || type === 'pagerduty';

/** What a channel of `type` needs as its secret, for the refusal that names it. */
export const secretRequirement = (type: ChannelType) =>
  type === 'webhook'
    ? 'required: the Standard Webhooks signing secret (whsec_ and base64)'
    : 'required: the routing key';

const checked =
  (secretRequired: boolean) => (channel: z.infer<typeof ChannelFields>, context: z.RefinementCtx) => {
    if (channel.type === 'email') {
      if (!z.email().safeParse(channel.target).success) {
        context.addIssue({ code: 'custom', path: ['target'], message: 'an email address' });
      }
    } else if (!z.url({ protocol: /^https?$/ }).safeParse(channel.target).success) {
      context.addIssue({ code: 'custom', path: ['target'], message: 'an http(s) URL' });
    }
    if (secretRequired && needsSecret(channel.type) && channel.secret === undefined) {
      context.addIssue({ code: 'custom', path: ['secret'], message: secretRequirement(channel.type) });
    }
    if (channel.type === 'webhook' && channel.secret !== undefined && !isWebhookSecret(channel.secret)) {
      context.addIssue({
        code: 'custom',
        path: ['secret'],
        message:
          'a Standard Webhooks signing secret: whsec_ and the base64 of at least 16 bytes, e.g. whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      });
    }
  };

/**
 * `POST /v1/admin/channels`: where notifications go and which ones.
 * - slack: `target` is the incoming-webhook URL (treated as a secret: shown redacted).
 * - pagerduty: `target` is the Events API v2 URL (any PagerDuty-compatible receiver), `secret` the routing key.
 * - webhook: `target` is the URL, `secret` the Standard Webhooks signing secret (`whsec_…`).
 * - email: `target` is the recipient address.
 * - statuspage: `target` is the page's API base URL, `secret` the API token.
 * `services` empty means every service; `eventTypes` empty means the default set.
 */
export const ChannelInput = ChannelFields.superRefine(checked(true));
export type ChannelInput = z.infer<typeof ChannelInput>;

/**
 * `PUT /v1/admin/channels/{id}`: the whole channel, as for `POST`, except that a secret left out
 * keeps the stored one while the type stays the same (reads never return it to send back).
 */
export const ChannelReplacement = ChannelFields.superRefine(checked(false));

/** `PUT /v1/admin/services/{service}/settings`: per-service detection overrides (every field optional). */
export const ServiceSettingsOverride = z
  .object({
    thresholds: z
      .object({
        errorRate: z.number().gt(0).lt(1),
        responseTimeP95: z.number().positive(),
        availability: z.number().gt(0).lt(100),
      })
      .partial()
      .strict(),
    windowMinutes: z.number().int().min(1).max(60),
    minRequests: z.number().int().min(0),
    openAfter: z.number().int().min(1).max(60),
    recoverAfter: z.number().int().min(1).max(60),
    autoResolveMinutes: z.number().int().min(0).max(10_080),
    deploySuspectMinutes: z.number().int().min(0).max(1440),
  })
  .partial()
  .strict();
export type ServiceSettingsOverride = z.infer<typeof ServiceSettingsOverride>;

export const Scope = z.enum(['ingest', 'respond', 'read', 'admin']);

/** `POST /v1/admin/keys`. */
export const ApiKeyInput = z
  .object({
    name: z.string().min(1).max(128),
    scopes: z.array(Scope).min(1),
    service: ServiceName.optional(),
  })
  .strict()
  .refine((input) => input.service === undefined || !input.scopes.includes('admin'), {
    path: ['service'],
    message: 'an admin key cannot be restricted to a service: administration is global',
  });
