/**
 * Console accounts: who may sign in to the reps' console and with which role.
 * Passwords are kept only as argon2id hashes (@node-rs/argon2, OWASP's
 * parameters: 19 MiB, 2 passes). Five failed sign-ins lock an account for
 * 15 minutes; the lock and the failure count expire on their own.
 */
import { hash, verify } from '@node-rs/argon2';
import type { Redis } from 'ioredis';
import { errors } from '../lib/errors.js';
import type { DeskKeys } from './keys.js';

export const ROLES = ['rep', 'operator'] as const;
export type ConsoleRole = (typeof ROLES)[number];

export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_SECONDS = 15 * 60;
export const MIN_PASSWORD_LENGTH = 12;
/** Longer input is refused before hashing, so a huge password cannot cost CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

export interface ConsoleUser {
  email: string;
  role: ConsoleRole;
  createdAt: string;
  /** Bumped by every password change: sessions made under an older one end. */
  generation: number;
}

export type SignInResult =
  { ok: true; user: ConsoleUser } | { ok: false; reason: 'locked' | 'bad-credentials'; lockedNow: boolean };

// A hash of a random password, verified when the account does not exist, so a
// wrong e-mail costs as much time as a wrong password (no account probing).
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$N/lvo0jLrS7DJY9kPwIp5g$lesb25MXDYmB1yb73TyDXRnTa6wyclP4GYwF4Lhls80';

export const normalEmail = (email: string): string => email.trim().toLowerCase();

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw errors.E_PASSWORD_WEAK(`at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw errors.E_PASSWORD_WEAK(`at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}

export class UserStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
  ) {}

  async get(email: string): Promise<ConsoleUser | undefined> {
    const h = await this.redis.hgetall(this.keys.user(normalEmail(email)));
    if (!h.role || !h.hash) return undefined;
    return {
      email: normalEmail(email),
      role: h.role as ConsoleRole,
      createdAt: h.createdAt ?? '',
      generation: Number(h.generation ?? 0),
    };
  }

  async list(): Promise<ConsoleUser[]> {
    const emails = (await this.redis.smembers(this.keys.users())).sort();
    const out: ConsoleUser[] = [];
    for (const e of emails) {
      const u = await this.get(e);
      if (u) out.push(u);
    }
    return out;
  }

  async add(email: string, role: ConsoleRole, password: string, at: Date): Promise<ConsoleUser> {
    checkPassword(password);
    const e = normalEmail(email);
    const digest = await hash(password);
    // HSETNX on the hash field makes "add" refuse an existing account atomically.
    const created = await this.redis.hsetnx(this.keys.user(e), 'hash', digest);
    if (!created) throw errors.E_USER_EXISTS(e);
    await this.redis
      .multi()
      .hset(this.keys.user(e), 'role', role, 'createdAt', at.toISOString(), 'generation', '1')
      .sadd(this.keys.users(), e)
      .exec();
    return { email: e, role, createdAt: at.toISOString(), generation: 1 };
  }

  async remove(email: string): Promise<void> {
    const e = normalEmail(email);
    const [[, n]] = (await this.redis.multi().del(this.keys.user(e)).srem(this.keys.users(), e).exec()) as [
      [unknown, number],
    ];
    if (!n) throw errors.E_USER_NOT_FOUND(e);
  }

  async setPassword(email: string, password: string): Promise<void> {
    checkPassword(password);
    const e = normalEmail(email);
    if (!(await this.get(e))) throw errors.E_USER_NOT_FOUND(e);
    await this.redis
      .multi()
      .hset(this.keys.user(e), 'hash', await hash(password))
      .hincrby(this.keys.user(e), 'generation', 1)
      .del(this.keys.loginLock(e), this.keys.loginFailures(e))
      .exec();
  }

  /**
   * Checks a sign-in. A locked account is refused even with the right
   * password; the fifth failure in a row locks it for LOCK_SECONDS.
   */
  async signIn(email: string, password: string): Promise<SignInResult> {
    const e = normalEmail(email);
    if (await this.redis.exists(this.keys.loginLock(e))) return { ok: false, reason: 'locked', lockedNow: false };
    const stored = password.length <= MAX_PASSWORD_LENGTH ? await this.redis.hget(this.keys.user(e), 'hash') : null;
    const good = await verify(stored ?? DUMMY_HASH, password.slice(0, MAX_PASSWORD_LENGTH)).catch(() => false);
    const user = stored && good ? await this.get(e) : undefined;
    if (user) {
      await this.redis.del(this.keys.loginFailures(e));
      return { ok: true, user };
    }
    const [[, failures]] = (await this.redis
      .multi()
      .incr(this.keys.loginFailures(e))
      .expire(this.keys.loginFailures(e), LOCK_SECONDS)
      .exec()) as [[unknown, number]];
    if (failures >= MAX_FAILED_SIGN_INS) {
      await this.redis
        .multi()
        .set(this.keys.loginLock(e), '1', 'EX', LOCK_SECONDS)
        .del(this.keys.loginFailures(e))
        .exec();
      return { ok: false, reason: 'bad-credentials', lockedNow: true };
    }
    return { ok: false, reason: 'bad-credentials', lockedNow: false };
  }
}
