import type { PublicStatus } from '@vigil/core';
import { type PublicImpact, publicImpacts } from '@vigil/core/projections';
import { lastEvent, type Notification } from '../notification';

const RESOLVED_MESSAGE = 'This incident has been resolved.';

/**
 * What the public may see of a notification: only a public update's status and message, the
 * impact from the severity, and a name from the service — never titles, notes, causes or people.
 * A resolution without a public "resolved" update closes the page's incident with a stock line.
 *
 * @example
 * statusPageUpdate(notification); // { name: 'Service disruption: checkout', status: 'monitoring', body: '…', impact_override: 'major' }
 */
export function statusPageUpdate(notification: Notification): {
  name: string;
  status: PublicStatus;
  body: string;
  impact_override: PublicImpact;
} {
  const { incident } = notification;
  const event = lastEvent(notification);
  const published =
    event.type === 'StatusUpdatePosted' && event.data.visibility === 'public'
      ? { status: event.data.status, body: event.data.message }
      : { status: 'resolved' as const, body: RESOLVED_MESSAGE };
  return {
    name: `Service disruption: ${incident.service}`,
    ...published,
    impact_override: publicImpacts[incident.severity],
  };
}
