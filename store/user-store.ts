/**
 * Console accounts: who may sign in to the reps' console and with which role.
 * Passwords are kept only as argon2id hashes (@node-rs/argon2, OWASP's
 * parameters: 19 MiB, 2 passes).
 *
 * Failed sign-ins lock out the client that made them, not the account (OWASP
 * ASVS 2.2.1): five in a row from one client (its address; an IPv6 client by
 * its /64) lock that client out of that account for 15 minutes, so a stranger
 * cannot keep the owner out from the owner's own client. Across all clients an
 * account has a ceiling too, but only as a slow backoff: past ten failures in
 * an hour every attempt on the account waits a little longer before its
 * password is checked (up to 5 s), the right password still signs in. Every
 * count and lock expires on its own; `user passwd` lifts them.
 */
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { hash, verify } from '@node-rs/argon2';
import type { Redis } from 'ioredis';
import { errors } from '../lib/errors.js';
import type { DeskKeys } from './keys.js';

export const ROLES = ['rep', 'operator', 'billing'] as const;
export type ConsoleRole = (typeof ROLES)[number];

/** Failed sign-ins in a row from one client that lock that client out of the account. */
export const MAX_FAILED_SIGN_INS = 5;
/** How long a client stays locked out of an account (and how long its failures are remembered). */
export const LOCK_SECONDS = 15 * 60;
/** Failed sign-ins of one account, from all clients, in an hour before every attempt on it is slowed. */
export const ACCOUNT_BACKOFF_AFTER = 10;
/** The window the account's failures are counted in. */
export const ACCOUNT_WINDOW_SECONDS = 3600;
/** The longest an attempt on an account under backoff waits before its password is checked. */
export const ACCOUNT_BACKOFF_MAX_MS = 5000;
export const MIN_PASSWORD_LENGTH = 12;
/** Longer input is refused before hashing, so a huge password cannot cost CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

export interface ConsoleUser {
  email: string;
  role: ConsoleRole;
  createdAt: string;
  /** Bumped by every password change: sessions made under an older one end. */
  generation: number;
  /** The zone the console shows this account's times in (IANA or `+01:00`); unset: UTC. */
  timeZone?: string;
}

export type SignInResult =
  | { ok: true; user: ConsoleUser }
  | {
      ok: false;
      /** `locked`: this client is locked out of the account (its password was not checked). */
      reason: 'locked' | 'bad-credentials';
      /** This failure locked the client out. */
      lockedNow: boolean;
      /** The account exists (its owner can be told); never shown to the client. */
      account: boolean;
      /** The account's failures from all clients this hour, this one included. */
      accountFailures: number;
    };

/**
 * The client a sign-in is counted under: its address, IPv4 as such (also when
 * it arrives IPv4-mapped), IPv6 by its /64, which one host usually holds
 * whole, so hopping addresses inside it does not buy more attempts.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** How long an attempt on an account with this many failures this hour waits: 0, then 0.5 s doubling to 5 s. */
export function backoffMs(accountFailures: number): number {
  if (accountFailures < ACCOUNT_BACKOFF_AFTER) return 0;
  return Math.min(ACCOUNT_BACKOFF_MAX_MS, 500 * 2 ** (accountFailures - ACCOUNT_BACKOFF_AFTER));
}

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
      ...(h.timeZone ? { timeZone: h.timeZone } : {}),
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

  /** The account's own time zone for the console (undefined: follow the browser). */
  async setTimeZone(email: string, zone: string | undefined): Promise<void> {
    const k = this.keys.user(normalEmail(email));
    if (!(await this.redis.exists(k))) throw errors.E_USAGE(`no account ${normalEmail(email)}`);
    if (zone) await this.redis.hset(k, 'timeZone', zone);
    else await this.redis.hdel(k, 'timeZone');
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
    const clients = await this.redis.smembers(this.keys.loginClients(e));
    await this.redis
      .multi()
      .hset(this.keys.user(e), 'hash', await hash(password))
      .hincrby(this.keys.user(e), 'generation', 1)
      .del(
        ...clients.flatMap((c) => [this.keys.loginLock(e, c), this.keys.loginFailures(e, c)]),
        this.keys.loginClients(e),
        this.keys.loginAccountFailures(e),
        this.keys.loginAlerted(e),
      )
      .exec();
  }

  /**
   * Checks a sign-in from `client` (clientKey of its address). A client locked
   * out of the account is refused without its password being checked, the
   * right one included; the fifth failure in a row from one client locks that
   * client out for LOCK_SECONDS. Other clients are not affected, only slowed
   * once the account has had ACCOUNT_BACKOFF_AFTER failures this hour.
   */
  async signIn(email: string, password: string, client: string): Promise<SignInResult> {
    const e = normalEmail(email);
    const lock = this.keys.loginLock(e, client);
    const accountKey = this.keys.loginAccountFailures(e);
    const [[, locked], [, before]] = (await this.redis.multi().exists(lock).get(accountKey).exec()) as [
      [unknown, number],
      [unknown, string | null],
    ];
    const stored = password.length <= MAX_PASSWORD_LENGTH ? await this.redis.hget(this.keys.user(e), 'hash') : null;
    const account = stored !== null || (await this.redis.exists(this.keys.user(e))) === 1;
    if (locked) {
      return { ok: false, reason: 'locked', lockedNow: false, account, accountFailures: Number(before ?? 0) };
    }
    const wait = backoffMs(Number(before ?? 0));
    if (wait > 0) await sleep(wait);
    const good = await verify(stored ?? DUMMY_HASH, password.slice(0, MAX_PASSWORD_LENGTH)).catch(() => false);
    const user = stored && good ? await this.get(e) : undefined;
    if (user) {
      // The account's own count is left to expire: the owner signing in does not end an attack's backoff.
      await this.redis.multi().del(this.keys.loginFailures(e, client)).srem(this.keys.loginClients(e), client).exec();
      return { ok: true, user };
    }
    const failuresKey = this.keys.loginFailures(e, client);
    const [[, failures], , [, accountFailures]] = (await this.redis
      .multi()
      .incr(failuresKey)
      .expire(failuresKey, LOCK_SECONDS)
      .incr(accountKey)
      .expire(accountKey, ACCOUNT_WINDOW_SECONDS, 'NX')
      .sadd(this.keys.loginClients(e), client)
      .expire(this.keys.loginClients(e), LOCK_SECONDS)
      .exec()) as [[unknown, number], unknown, [unknown, number]];
    if (failures >= MAX_FAILED_SIGN_INS) {
      await this.redis.multi().set(lock, '1', 'EX', LOCK_SECONDS).del(failuresKey).exec();
      return { ok: false, reason: 'bad-credentials', lockedNow: true, account, accountFailures };
    }
    return { ok: false, reason: 'bad-credentials', lockedNow: false, account, accountFailures };
  }

  /**
   * True once per LOCK_SECONDS per account: the caller may mail the account's
   * owner about failed sign-ins now (every console process shares the claim).
   */
  async claimSignInAlert(email: string, at: Date): Promise<boolean> {
    const set = await this.redis.set(
      this.keys.loginAlerted(normalEmail(email)),
      at.toISOString(),
      'EX',
      LOCK_SECONDS,
      'NX',
    );
    return set === 'OK';
  }
}
