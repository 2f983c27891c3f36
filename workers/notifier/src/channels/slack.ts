import type { Severity } from '@vigil/core';
import { describeEvent } from '../describeEvent';
import {
  assignee,
  category,
  headline,
  impactText,
  type Notification,
  runbookActions,
  truncate,
} from '../notification';

/** The runbook's Slack attachment colours by severity. */
export const slackColours: Readonly<Record<Severity, string>> = {
  P0: 'danger',
  P1: 'warning',
  P2: 'good',
  P3: '#439FE0',
};

// Slack's mrkdwn treats &, < and > as control characters.
const escapeMrkdwn = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * A Slack incoming-webhook message: a fallback `text`, and one attachment in the severity's
 * colour holding Block Kit blocks — headline, the incident id linked, service, severity, status,
 * assignee role, category and impact as fields, what happened, the runbook's actions while the
 * incident is open, and buttons to the incident and the status page.
 *
 * @example
 * await fetch(channel.target, { method: 'POST', body: JSON.stringify(slackMessage(notification)) });
 */
export function slackMessage(notification: Notification) {
  const { incident, links } = notification;
  const title = `[${incident.severity}] ${incident.id} ${incident.service}: ${headline(notification)}`;
  const happenings = notification.events.map((event) => {
    const { title: what, detail } = describeEvent(event);
    return `• *${escapeMrkdwn(what)}*${detail ? ` — ${escapeMrkdwn(detail)}` : ''}`;
  });
  const actions = runbookActions(incident).map((action, index) => `${index + 1}. ${escapeMrkdwn(action)}`);
  const field = (label: string, value: string) => ({
    type: 'mrkdwn',
    text: `*${label}*\n${escapeMrkdwn(value)}`,
  });
  // Slack reads the fallback texts as mrkdwn too: a title must not ping the channel or link away.
  const fallback = truncate(escapeMrkdwn(title), 300);
  return {
    text: fallback,
    attachments: [
      {
        color: slackColours[incident.severity],
        fallback,
        blocks: [
          {
            type: 'header',
            text: {
              type: 'plain_text',
              text: truncate(`${incident.severity} · ${headline(notification)}`, 150),
            },
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: truncate(`*<${links.incident}|${incident.id}>* ${escapeMrkdwn(incident.title)}`, 3000),
            },
          },
          {
            type: 'section',
            fields: [
              field('Incident', incident.id),
              field('Service', incident.service),
              field('Severity', incident.severity),
              field('Status', incident.status),
              field('Assignee role', assignee(incident)),
              field('Category', category(incident)),
              field('Impact', impactText(incident)),
            ],
          },
          { type: 'section', text: { type: 'mrkdwn', text: truncate(happenings.join('\n'), 3000) } },
          ...(actions.length > 0
            ? [
                {
                  type: 'section',
                  text: { type: 'mrkdwn', text: truncate(`*Runbook actions*\n${actions.join('\n')}`, 3000) },
                },
              ]
            : []),
          {
            type: 'actions',
            elements: [
              { type: 'button', text: { type: 'plain_text', text: 'Open incident' }, url: links.incident },
              { type: 'button', text: { type: 'plain_text', text: 'Status page' }, url: links.statusPage },
            ],
          },
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: `Vigil · ${notification.kind} ${notification.deliveryId}` }],
          },
        ],
      },
    ],
  };
}
