/**
 * API tokens for the vendor's systems (docs/interfaces.md "The API"): each a
 * name, its scopes and the SHA-256 of the token, which is shown once when it
 * is made and never kept. A token is 32 random bytes, so a plain hash is as
 * strong as a slow one would be, and a request's lookup stays one HGET.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { errors } from '../lib/errors.js';
import type { DeskKeys } from './keys.js';

export const SCOPES = [
  'cases:read',
  'cases:write',
  'registry:read',
  'registry:write',
  'events:read',
  'fees:read',
] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiToken {
  name: string;
  scopes: Scope[];
  created: string;
  lastUsed: string | null;
}

interface StoredToken {
  name: string;
  scopes: Scope[];
  created: string;
  hash: string;
}

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export function parseScopes(text: string): Scope[] {
  const scopes = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || bad.length > 0)
    throw errors.E_USAGE(`scopes are ${SCOPES.join(', ')}${bad.length ? ` (not ${bad.join(', ')})` : ''}`);
  return [...new Set(scopes)] as Scope[];
}

export class TokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
  ) {}

  /** Makes a token; the only time its text exists outside the caller. */
  async add(name: string, scopes: Scope[], now: Date): Promise<{ name: string; token: string; scopes: Scope[] }> {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw errors.E_USAGE('a token name is 1 to 64 of A-Z a-z 0-9 _ . -');
    const token = `ldt_${randomBytes(32).toString('base64url')}`;
    const hash = digest(token);
    const stored: StoredToken = { name, scopes, created: now.toISOString(), hash };
    const m = this.redis.multi();
    m.hsetnx(this.keys.apiTokens(), name, JSON.stringify(stored));
    m.hset(this.keys.apiTokenHashes(), hash, name);
    const res = (await m.exec()) ?? [];
    const added = res[0]?.[1];
    if (added !== 1) {
      await this.redis.hdel(this.keys.apiTokenHashes(), hash);
      throw errors.E_TOKEN_EXISTS(name);
    }
    return { name, token, scopes };
  }

  async list(): Promise<ApiToken[]> {
    const [all, used] = await Promise.all([
      this.redis.hgetall(this.keys.apiTokens()),
      this.redis.hgetall(this.keys.apiTokenUse()),
    ]);
    return Object.values(all)
      .map((raw) => JSON.parse(raw) as StoredToken)
      .map((t) => ({ name: t.name, scopes: t.scopes, created: t.created, lastUsed: used[t.name] ?? null }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async remove(name: string): Promise<boolean> {
    const raw = await this.redis.hget(this.keys.apiTokens(), name);
    if (!raw) return false;
    const t = JSON.parse(raw) as StoredToken;
    await this.redis
      .multi()
      .hdel(this.keys.apiTokens(), name)
      .hdel(this.keys.apiTokenHashes(), t.hash)
      .hdel(this.keys.apiTokenUse(), name)
      .exec();
    return true;
  }

  /** The token a request carries, or undefined for none or an unknown one; notes its use. */
  async verify(token: string, now: Date): Promise<{ name: string; scopes: Scope[] } | undefined> {
    if (!token.startsWith('ldt_') || token.length > 100) return undefined;
    const name = await this.redis.hget(this.keys.apiTokenHashes(), digest(token));
    if (!name) return undefined;
    const raw = await this.redis.hget(this.keys.apiTokens(), name);
    if (!raw) return undefined;
    const t = JSON.parse(raw) as StoredToken;
    void this.redis.hset(this.keys.apiTokenUse(), name, now.toISOString()).catch(() => undefined);
    return { name: t.name, scopes: t.scopes };
  }
}
