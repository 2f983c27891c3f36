import { z } from 'zod';
import { Timestamp } from './signals';

/** PagerDuty's severities, as its Events API v2 accepts them. */
export const PagerDutySeverity = z.enum(['critical', 'error', 'warning', 'info']);

const Link = z.object({ href: z.string().min(1).max(2048), text: z.string().max(1024).optional() });
const Image = z.object({
  src: z.string().min(1).max(2048),
  href: z.string().max(2048).optional(),
  alt: z.string().max(1024).optional(),
});
// Real senders (Alertmanager's PagerDuty client among them) send string-valued details; any JSON is allowed.
const CustomDetails = z.union([z.record(z.string(), z.unknown()), z.string(), z.array(z.unknown())]);

const TriggerPayload = z.object({
  summary: z.string().min(1).max(1024),
  source: z.string().min(1).max(255),
  severity: PagerDutySeverity,
  timestamp: Timestamp.optional(),
  component: z.string().max(255).optional(),
  group: z.string().max(255).optional(),
  class: z.string().max(255).optional(),
  custom_details: CustomDetails.optional(),
});

/** `POST /v2/enqueue`: an alert event, PagerDuty Events API v2. */
export const PagerDutyEvent = z
  .object({
    routing_key: z.string().min(1).max(255),
    event_action: z.enum(['trigger', 'acknowledge', 'resolve']),
    dedup_key: z.string().min(1).max(255).optional(),
    // Acknowledge and resolve events may still carry a payload (Alertmanager sends one).
    payload: TriggerPayload.partial().optional(),
    client: z.string().max(255).optional(),
    client_url: z.string().max(2048).optional(),
    links: z.array(Link).max(50).optional(),
    images: z.array(Image).max(50).optional(),
  })
  .superRefine((event, context) => {
    if (event.event_action === 'trigger') {
      const payload = TriggerPayload.safeParse(event.payload ?? {});
      if (!payload.success) {
        for (const issue of payload.error.issues) {
          context.addIssue({ ...issue, path: ['payload', ...issue.path] } as z.core.$ZodRawIssue);
        }
      }
    } else if (event.dedup_key === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['dedup_key'],
        message: `is required for ${event.event_action}`,
      });
    }
  });
export type PagerDutyEvent = z.infer<typeof PagerDutyEvent>;

/** `POST /v2/change/enqueue`: a change event (Vigil records it as a deployment). */
export const PagerDutyChangeEvent = z.object({
  routing_key: z.string().min(1).max(255),
  payload: z.object({
    summary: z.string().min(1).max(1024),
    timestamp: Timestamp.optional(),
    source: z.string().max(255).optional(),
    custom_details: CustomDetails.optional(),
  }),
  links: z.array(Link).max(50).optional(),
});
export type PagerDutyChangeEvent = z.infer<typeof PagerDutyChangeEvent>;

/** PagerDuty's answers, byte for byte. */
export const pagerDutyAnswers = {
  accepted: (dedupKey: string) => ({ status: 'success', message: 'Event processed', dedup_key: dedupKey }),
  changeAccepted: () => ({ status: 'success', message: 'Change event processed' }),
  invalid: (errors: string[]) => ({ status: 'invalid event', message: 'Event object is invalid', errors }),
  throttled: () => ({
    status: 'throttle event',
    message: 'Requests for this service are arriving too quickly.  Please retry later.',
  }),
} as const;
