import { z } from 'zod';

const Labels = z.record(z.string(), z.string());

/** One alert in an Alertmanager webhook; `endsAt` is 0001-01-01T00:00:00Z while it fires. */
export const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: Labels,
  annotations: Labels.default({}),
  startsAt: z.string().min(1),
  endsAt: z.string().min(1),
  // Prometheus puts the rule's whole PromQL, URL-encoded, in it: only the body limit bounds it.
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1).max(128).optional(),
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlert>;

/** `POST /v1/integrations/alertmanager`: Alertmanager's webhook payload, version 4. */
export const AlertmanagerWebhook = z.object({
  version: z.literal('4'),
  // Holds the group's labels (all of them with `group_by: ['...']`); only its hash is kept.
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(1024),
  groupLabels: Labels.default({}),
  commonLabels: Labels.default({}),
  commonAnnotations: Labels.default({}),
  externalURL: z.string().optional(),
  alerts: z.array(AlertmanagerAlert).min(1).max(1000),
});
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhook>;
