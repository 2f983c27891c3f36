import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { apiKeys } from './schema';

export const SCOPES = ['ingest', 'respond', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  scopes: Scope[];
  /** When set, the key may only send signals for / act on this service. */
  service: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** SHA-256 of the key, hex: keys are random and long, so a plain hash is enough to store. */
export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A new key: `vgl_` and 32 random bytes in base64url. Shown once, stored only as its hash. */
export function generateApiKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `vgl_${btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')}`;
}

/**
 * API keys in D1.
 *
 * @example
 * const { key } = await new ApiKeys(env.DB).create({ name: 'ci', scopes: ['ingest'] });
 */
export class ApiKeys {
  private readonly orm;
  constructor(db: D1Database) {
    this.orm = drizzle(db);
  }

  async create(input: {
    name: string;
    scopes: Scope[];
    service?: string | null;
    key?: string;
    now?: Date;
  }): Promise<{ key: string; apiKey: ApiKey }> {
    const key = input.key ?? generateApiKey();
    const row = {
      id: `key_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`,
      name: input.name,
      keyHash: await hashApiKey(key),
      scopes: JSON.stringify([...new Set(input.scopes)]),
      service: input.service ?? null,
      createdAt: (input.now ?? new Date()).toISOString(),
      revokedAt: null,
    };
    await this.orm.insert(apiKeys).values(row);
    return { key, apiKey: toApiKey(row) };
  }

  /** The live key a bearer token names, or undefined (unknown or revoked). */
  async authenticate(presented: string): Promise<ApiKey | undefined> {
    const hash = await hashApiKey(presented);
    const [row] = await this.orm
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
      .limit(1);
    return row ? toApiKey(row) : undefined;
  }

  async list(): Promise<ApiKey[]> {
    const rows = await this.orm.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
    return rows.map(toApiKey);
  }

  /** Revokes a key; false when there is no such live key. */
  /**
   * Revokes a key; revoking it again changes nothing and keeps the first revocation time.
   * False when there is no such key.
   */
  async revoke(id: string, now = new Date()): Promise<boolean> {
    const result = await this.orm
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${now.toISOString()})` })
      .where(eq(apiKeys.id, id))
      .returning({ id: apiKeys.id });
    return result.length > 0;
  }
}

function toApiKey(row: typeof apiKeys.$inferSelect): ApiKey {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as Scope[],
    service: row.service,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}
