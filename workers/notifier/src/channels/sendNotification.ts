import { type Channel, ExternalIncidents } from '@vigil/db';
import type { Notification } from '../notification';
import type { NotifierSettings } from '../settings';
import { type EmailTransport, incidentEmail, sendEmail } from './email';
import { pagerDutyEvent } from './pagerDuty';
import { type SendOutcome, sendJson } from './sendOutcome';
import { slackMessage } from './slack';
import { InvalidSigningSecretError, standardWebhookSignature } from './standardWebhooks';
import { statusPageUpdate } from './statusPage';
import { webhookPayload } from './webhook';

/** What sending needs besides the channel and the notification. */
export interface SendDependencies {
  db: D1Database;
  settings: NotifierSettings;
  email: EmailTransport;
  now: Date;
}

/**
 * Makes one delivery attempt to one channel in its own wire format, within the configured
 * time, and says how it went. It never throws for a receiver's failure, and its reasons never
 * carry the channel's secret or URL.
 *
 * @example
 * const outcome = await sendNotification(channel, notification, { db, settings, email, now });
 */
export async function sendNotification(
  channel: Channel,
  notification: Notification,
  dependencies: SendDependencies,
): Promise<SendOutcome> {
  const { settings, now } = dependencies;
  switch (channel.type) {
    case 'slack':
      return (
        await sendJson(
          channel.target,
          { body: JSON.stringify(slackMessage(notification)) },
          settings.timeoutMs,
          now,
        )
      ).outcome;
    case 'pagerduty': {
      if (!channel.secret) return { ok: false, transient: false, reason: 'no routing key configured' };
      const body = JSON.stringify(pagerDutyEvent(notification, channel.secret));
      return (await sendJson(channel.target, { body }, settings.timeoutMs, now)).outcome;
    }
    case 'webhook':
      return sendSignedWebhook(channel, notification, dependencies);
    case 'email':
      return sendEmail(
        dependencies.email,
        incidentEmail(notification, settings.emailFrom, channel.target, now),
        settings.timeoutMs,
      );
    case 'statuspage':
      return sendToStatusPage(channel, notification, dependencies);
    default: {
      const unknown: never = channel.type;
      return { ok: false, transient: false, reason: `unsupported channel type ${String(unknown)}` };
    }
  }
}

async function sendSignedWebhook(
  channel: Channel,
  notification: Notification,
  { settings, now }: SendDependencies,
): Promise<SendOutcome> {
  if (!channel.secret) return { ok: false, transient: false, reason: 'no signing secret configured' };
  const body = JSON.stringify(webhookPayload(notification));
  // The id is the delivery's, the same on every retry, so a receiver can drop a repeat.
  const id = notification.deliveryId;
  const timestamp = Math.floor(now.getTime() / 1000);
  let signature: string;
  try {
    signature = await standardWebhookSignature(channel.secret, id, timestamp, body);
  } catch (error) {
    if (error instanceof InvalidSigningSecretError)
      return { ok: false, transient: false, reason: error.message };
    throw error;
  }
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  };
  return (await sendJson(channel.target, { headers, body }, settings.timeoutMs, now)).outcome;
}

/**
 * Atlassian Statuspage style: the first public update creates the incident
 * (`POST {target}/incidents`), later ones amend it (`PATCH {target}/incidents/{id}`), with the
 * token as `Authorization: OAuth <token>`.
 */
async function sendToStatusPage(
  channel: Channel,
  notification: Notification,
  { db, settings, now }: SendDependencies,
): Promise<SendOutcome> {
  const external = new ExternalIncidents(db);
  const base = channel.target.replace(/\/+$/, '');
  const headers: Record<string, string> = channel.secret ? { authorization: `OAuth ${channel.secret}` } : {};
  const { name, ...update } = statusPageUpdate(notification);
  const existing = await external.get(channel.id, notification.incident.id);
  if (existing) {
    const url = `${base}/incidents/${encodeURIComponent(existing)}`;
    const body = JSON.stringify({ incident: update });
    return (await sendJson(url, { method: 'PATCH', headers, body }, settings.timeoutMs, now)).outcome;
  }
  const body = JSON.stringify({ incident: { name, ...update, deliver_notifications: true } });
  const { outcome, json } = await sendJson(`${base}/incidents`, { headers, body }, settings.timeoutMs, now);
  if (!outcome.ok) return outcome;
  const id = (json as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string' || id === '') {
    return { ok: false, transient: false, reason: 'the status page answered without an incident id' };
  }
  await external.remember(channel.id, notification.incident.id, id, now);
  return { ok: true, detail: `created ${id}` };
}
