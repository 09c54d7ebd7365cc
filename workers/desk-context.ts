/**
 * What every worker and command shares: configuration, the Redis connection,
 * the stores and queues of one desk, the clock and the logger.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { connectRedis } from '../lib/redis-url.js';
import type { DeskConfig } from '../config/config.js';
import { shiftedClock, systemClock, type Clock } from '../domain/clock.js';
import { ProgramCatalog } from '../domain/program-catalog.js';
import { PROGRAMS } from '../domain/programs/index.js';
import { RegistryStore } from '../registry/registry-store.js';
import { AuditLog } from '../store/audit-log.js';
import { CaseStore } from '../store/case-store.js';
import { DeskKeys } from '../store/keys.js';
import { MessageStore } from '../store/message-store.js';
import { Outbox } from '../store/outbox.js';
import { QUEUES, type QueueName } from './queues.js';
import { errors } from '../lib/errors.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { SecretBox } from '../lib/secret-box.js';

export interface DeskContext {
  config: DeskConfig;
  redis: Redis;
  keys: DeskKeys;
  clock: Clock;
  log: Logger;
  box: SecretBox;
  /** The programs this desk runs (domain/programs/index.ts, or a test's list). */
  programs: ProgramCatalog;
  cases: CaseStore;
  registry: RegistryStore;
  audit: AuditLog;
  messages: MessageStore;
  outbox: Outbox;
  queues: Record<QueueName, Queue>;
  /** A fresh connection for a BullMQ Worker (blocking commands need their own). */
  connection(): Redis;
  close(): Promise<void>;
}

export async function openDesk(config: DeskConfig, opts: { clock?: Clock; log?: Logger; programs?: ProgramCatalog } = {}): Promise<DeskContext> {
  if (!config.redisUrl) {
    throw errors.E_CONFIG_INVALID('LICENSEDESK_REDIS_URL is not set (only `licensedesk demo` starts its own Redis)');
  }
  const url = config.redisUrl;
  const log = opts.log ?? createLogger();
  const redis = connectRedis(url);
  redis.on('error', (e) => log.warn({ err: e.message }, 'redis connection error'));
  const keys = new DeskKeys(config.prefix);
  const secret = config.secret ?? (await sharedGeneratedSecret(redis, keys, log));
  const box = new SecretBox(secret);
  const clock = opts.clock ?? (config.fakeNow ? shiftedClock(new Date(config.fakeNow)) : systemClock);
  const extra: Redis[] = [];
  const queues = Object.fromEntries(
    Object.values(QUEUES).map((name) => [name, new Queue(name, { connection: redis, prefix: keys.tag })]),
  ) as Record<QueueName, Queue>;
  const programs = opts.programs ?? new ProgramCatalog(PROGRAMS);
  return {
    config, redis, keys, clock, log, box, programs,
    cases: new CaseStore(redis, keys),
    registry: new RegistryStore(redis, keys, programs.ids),
    audit: new AuditLog(redis, keys),
    messages: new MessageStore(redis, keys, box),
    outbox: new Outbox(redis, keys),
    queues,
    connection() {
      const c = connectRedis(url);
      c.on('error', (e) => log.warn({ err: e.message }, 'redis connection error'));
      extra.push(c);
      return c;
    },
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
      for (const c of extra) c.disconnect();
      redis.disconnect();
    },
  };
}

/**
 * Without LICENSEDESK_SECRET every process of the desk must still agree on one
 * secret, so the first one makes it and keeps it in Redis. That protects
 * stored mail only from someone who has a copy of the data but not the key
 * space: operators are told to set the variable.
 */
async function sharedGeneratedSecret(redis: Redis, keys: DeskKeys, log: Logger): Promise<string> {
  const key = `${keys.tag}:secret`;
  await redis.set(key, randomBytes(32).toString('base64url'), 'NX');
  log.warn('LICENSEDESK_SECRET is not set: using a generated secret kept in Redis; set it in production');
  return (await redis.get(key))!;
}
