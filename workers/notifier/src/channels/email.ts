import { describeEvent } from '../describeEvent';
import { assignee, category, headline, impactText, type Notification, runbookActions } from '../notification';
import { type Email, mimeMessage } from './mime';
import type { SendOutcome } from './sendOutcome';

/**
 * Where composed email goes: Cloudflare's send_email binding in production; a test may wrap it
 * to keep a copy of what it was handed.
 */
export interface EmailTransport {
  send(from: string, to: string, raw: string): Promise<void>;
}

/**
 * An email transport over a `send_email` binding.
 *
 * @example
 * const transport = sendEmailTransport(env.EMAIL, EmailMessage);
 */
export function sendEmailTransport(
  binding: SendEmail,
  EmailMessageClass: new (from: string, to: string, raw: string) => EmailMessage,
): EmailTransport {
  return {
    async send(from, to, raw) {
      await binding.send(new EmailMessageClass(from, to, raw));
    },
  };
}

const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * The email for a notification: subject `[P1] INC-… checkout: Acknowledged by Alice`, a text and
 * an HTML part with the incident's fields (category and impact among them), what happened and,
 * while it is open, the runbook's actions, a Message-ID stable across retries
 * (so a resend is recognisably the same mail) and References that thread an incident's mails.
 */
export function incidentEmail(notification: Notification, from: string, to: string, now: Date): Email {
  const { incident, links } = notification;
  const domain = from.split('@')[1] ?? 'localhost';
  const fields: [string, string][] = [
    ['Incident', incident.id],
    ['Service', incident.service],
    ['Severity', incident.severity],
    ['Status', incident.status],
    ['Assignee role', assignee(incident)],
    ['Category', category(incident)],
    ['Impact', impactText(incident)],
  ];
  const happenings = notification.events.map((event) => describeEvent(event));
  const actions = runbookActions(incident);
  const text = [
    incident.title,
    '',
    ...fields.map(([label, value]) => `${label}: ${value}`),
    '',
    ...happenings.map(({ title, detail }) => `- ${title}${detail ? `: ${detail}` : ''}`),
    '',
    ...(actions.length > 0
      ? ['Runbook actions:', ...actions.map((action, index) => `${index + 1}. ${action}`), '']
      : []),
    `Incident: ${links.incident}`,
    `Status page: ${links.statusPage}`,
  ].join('\n');
  const html = [
    `<h2>${escapeHtml(`Incident ${incident.severity}: ${incident.id}`)}</h2>`,
    `<p>${escapeHtml(incident.title)}</p>`,
    '<table>',
    ...fields.map(
      ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
    '<hr>',
    '<ul>',
    ...happenings.map(
      ({ title, detail }) =>
        `<li><strong>${escapeHtml(title)}</strong>${detail ? ` — ${escapeHtml(detail)}` : ''}</li>`,
    ),
    '</ul>',
    ...(actions.length > 0
      ? [
          '<p><strong>Runbook actions</strong></p>',
          '<ol>',
          ...actions.map((action) => `<li>${escapeHtml(action)}</li>`),
          '</ol>',
        ]
      : []),
    `<p><a href="${escapeHtml(links.incident)}">Open the incident</a> · <a href="${escapeHtml(links.statusPage)}">Status page</a></p>`,
  ].join('\n');
  return {
    from: { name: 'Vigil', address: from },
    to,
    subject: `[${incident.severity}] ${incident.id} ${incident.service}: ${headline(notification)}`,
    text,
    html,
    messageId: `${notification.deliveryId}@${domain}`,
    date: now,
    headers: {
      References: `<${incident.id}@${domain}>`,
      'In-Reply-To': `<${incident.id}@${domain}>`,
      // RFC 3834: machine-sent, so auto-responders stay quiet.
      'Auto-Submitted': 'auto-generated',
    },
  };
}

/**
 * Hands the message to the transport, within `timeoutMs` like every other channel's call: past it
 * the attempt counts as a transient failure (the same Message-ID on the retry lets mail systems
 * drop a doubled copy). The binding refuses unverified or disallowed addresses and unparseable
 * messages for good; anything else may pass on a later attempt.
 */
export async function sendEmail(
  transport: EmailTransport,
  email: Email,
  timeoutMs: number,
): Promise<SendOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timed out'>((settle) => {
    timer = setTimeout(() => settle('timed out'), timeoutMs);
  });
  try {
    const sent = await Promise.race([
      transport.send(email.from.address, email.to, mimeMessage(email)),
      timedOut,
    ]);
    if (sent === 'timed out')
      return { ok: false, transient: true, reason: `timed out after ${timeoutMs} ms` };
    return { ok: true, detail: 'handed to send_email' };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 160);
    const permanent = /not allowed|not verified|invalid|could not parse|does not match|unknown/i.test(
      message,
    );
    return { ok: false, transient: !permanent, reason: `send_email: ${message}` };
  } finally {
    clearTimeout(timer);
  }
}
