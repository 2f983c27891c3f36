import type { ChannelInput, ChannelType, Severity } from '@vigil/contracts';

/** A notification channel as the notifier uses it (with its secret). */
export interface Channel {
  id: string;
  name: string;
  type: ChannelType;
  target: string;
  secret: string | null;
  minSeverity: Severity;
  services: string[];
  eventTypes: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A channel as any API shows it: no secret, and a target that may carry one redacted. */
export type PublicChannel = Omit<Channel, 'secret' | 'target'> & { target: string; hasSecret: boolean };

interface ChannelRow {
  id: string;
  name: string;
  type: ChannelType;
  target: string;
  secret: string | null;
  min_severity: Severity;
  services: string;
  event_types: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

/**
 * Redacts what could be a credential in a target: Slack webhook URLs are secrets in
 * themselves, and any URL may carry a token in its path or query.
 *
 * @example
 * redactTarget('slack', 'https://hooks.slack.com/services/T0/B0/XYZ'); // 'https://hooks.slack.com/…'
 */
export function redactTarget(type: ChannelType, target: string): string {
  if (type === 'email') {
    const [user = '', domain = ''] = target.split('@');
    return `${user.slice(0, 1)}…@${domain}`;
  }
  try {
    const url = new URL(target);
    return type === 'slack' || url.search !== '' || url.pathname.length > 24
      ? `${url.protocol}//${url.host}/…`
      : `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '…';
  }
}

export function toPublicChannel(channel: Channel): PublicChannel {
  const { secret, target, ...rest } = channel;
  return { ...rest, target: redactTarget(channel.type, target), hasSecret: secret !== null };
}

/**
 * Notification channels in D1.
 *
 * @example
 * const channel = await new Channels(env.DB).create({ name: 'ops', type: 'webhook', target, secret, … });
 */
export class Channels {
  constructor(private readonly db: D1Database) {}

  async create(input: ChannelInput, now = new Date()): Promise<Channel> {
    const id = `ch_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const at = now.toISOString();
    await this.db
      .prepare(
        `INSERT INTO notification_channels (id, name, type, target, secret, min_severity, services, event_types, enabled, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(id, ...configuration(input), at, at)
      .run();
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Channel | undefined> {
    const row = await this.db
      .prepare('SELECT * FROM notification_channels WHERE id = ?')
      .bind(id)
      .first<ChannelRow>();
    return row ? toChannel(row) : undefined;
  }

  async list(): Promise<Channel[]> {
    const { results } = await this.db
      .prepare('SELECT * FROM notification_channels ORDER BY created_at, id')
      .all<ChannelRow>();
    return results.map(toChannel);
  }

  async enabled(): Promise<Channel[]> {
    return (await this.list()).filter((channel) => channel.enabled);
  }

  /**
   * Replaces a channel's configuration. A missing secret keeps the stored one while the type
   * stays the same; a new type without a secret has none.
   */
  async update(id: string, input: ChannelInput, now = new Date()): Promise<Channel | undefined> {
    const result = await this.db
      .prepare(
        `UPDATE notification_channels SET name = ?1, type = ?2, target = ?3,
           secret = CASE WHEN ?4 IS NOT NULL THEN ?4 WHEN type = ?2 THEN secret END, min_severity = ?5,
           services = ?6, event_types = ?7, enabled = ?8, updated_at = ?9 WHERE id = ?10`,
      )
      .bind(...configuration(input), now.toISOString(), id)
      .run();
    return result.meta.changes > 0 ? this.get(id) : undefined;
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.db.prepare('DELETE FROM notification_channels WHERE id = ?').bind(id).run();
    return result.meta.changes > 0;
  }
}

function toChannel(row: ChannelRow): Channel {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    target: row.target,
    secret: row.secret,
    minSeverity: row.min_severity,
    services: JSON.parse(row.services) as string[],
    eventTypes: JSON.parse(row.event_types) as string[],
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A channel's configuration columns, in the order create and update write them. */
function configuration(input: ChannelInput): unknown[] {
  return [
    input.name,
    input.type,
    input.target,
    input.secret ?? null,
    input.minSeverity,
    JSON.stringify(input.services),
    JSON.stringify(input.eventTypes),
    input.enabled ? 1 : 0,
  ];
}
