/**
 * Console sessions for @fastify/session, kept server-side in Redis under the
 * desk's hash tag. Each write sets the key's TTL to the idle timeout, and the
 * plugin writes on every request (rolling), so a session ends when idle.
 * Sessions not yet signed in (a login form's CSRF secret) live shorter.
 */
import type { Session } from 'fastify';
import type { Redis } from 'ioredis';
import type { DeskKeys } from '../store/keys.js';

export const IDLE_SECONDS = 30 * 60;
const ANONYMOUS_SECONDS = 10 * 60;

type Done = (err?: unknown) => void;

export class RedisSessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
  ) {}

  set(id: string, session: Session, done: Done): void {
    const ttl = (session as { user?: unknown }).user ? IDLE_SECONDS : ANONYMOUS_SECONDS;
    this.redis.set(this.keys.session(id), JSON.stringify(session), 'EX', ttl).then(() => done(), done);
  }

  get(id: string, done: (err: unknown, session?: Session | null) => void): void {
    this.redis.get(this.keys.session(id)).then(
      (v) => done(null, v ? (JSON.parse(v) as Session) : null),
      (e: unknown) => done(e),
    );
  }

  destroy(id: string, done: Done): void {
    this.redis.del(this.keys.session(id)).then(() => done(), done);
  }
}
