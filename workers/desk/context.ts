/**
 * What every worker and command shares: configuration, the Redis connection,
 * the stores and queues of one desk, the clock and the logger.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../lib/redis-url.js';
import type { DeskConfig } from '../../config/config.js';
import { shiftedClock, systemClock, type Clock } from '../../domain/clock.js';
import { ProgramCatalog } from '../../domain/program-catalog.js';
import { PROGRAMS } from '../../domain/programs/index.js';
import { RegistryStore } from '../../registry/registry-store.js';
import { AuditLog } from '../../store/audit-log.js';
import { EventLog } from '../../store/event-log.js';
import { CaseStore } from '../../store/case-store.js';
import { DeskKeys } from '../../store/keys.js';
import { MessageStore } from '../../store/message-store.js';
import { Outbox } from '../../store/outbox.js';
import { QUEUES, type QueueName } from './queues.js';
import { errors } from '../../lib/errors.js';
import { createLogger, type Logger } from '../../lib/logger.js';
import { OutageLog } from '../../lib/outage-log.js';
import { SecretBox } from '../../lib/secret-box.js';

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
  /** What other systems hear: every change, in order (store/event-log.ts). */
  events: EventLog;
  messages: MessageStore;
  outbox: Outbox;
  queues: Record<QueueName, Queue>;
  /** Every Redis error of this process goes here: a few lines per outage, not one per retry. */
  outage: OutageLog;
  /** A fresh connection for a BullMQ Worker (blocking commands need their own). */
  connection(): Redis;
  close(): Promise<void>;
}

export async function openDesk(
  config: DeskConfig,
  opts: { clock?: Clock; log?: Logger; programs?: ProgramCatalog } = {},
): Promise<DeskContext> {
  if (!config.redisUrl) {
    throw errors.E_CONFIG_INVALID('LICENSEDESK_REDIS_URL is not set (only `licensedesk demo` starts its own Redis)');
  }
  const url = config.redisUrl;
  const log = opts.log ?? createLogger();
  const redis = connectRedis(url);
  const outage = new OutageLog(log, () => redis.ping());
  redis.on('error', (e) => outage.report('desk connection', e));
  let wasClosed = false;
  redis.on('close', () => {
    wasClosed = true;
  });
  redis.on('ready', () => {
    if (wasClosed)
      outage.reconnected('desk connection', `${redis.stream?.remoteAddress ?? '?'}:${redis.stream?.remotePort ?? '?'}`);
    wasClosed = false;
  });
  const keys = new DeskKeys(config.prefix);
  // Never generated, never kept in Redis: `start` refuses to run without it (cli/start-command.ts).
  const box = new SecretBox(config.secret, config.previousSecret);
  const clock = opts.clock ?? (config.fakeNow ? shiftedClock(new Date(config.fakeNow)) : systemClock);
  const extra: Redis[] = [];
  const queues = Object.fromEntries(
    Object.values(QUEUES).map((name) => [name, new Queue(name, { connection: redis, prefix: keys.tag })]),
  ) as Record<QueueName, Queue>;
  // Without a listener BullMQ prints each error with console.error: a stack trace per retry, not JSON.
  for (const q of Object.values(queues)) q.on('error', (e) => outage.report(`queue ${q.name}`, e));
  const programs = opts.programs ?? new ProgramCatalog(PROGRAMS);
  return {
    config,
    redis,
    keys,
    clock,
    log,
    box,
    programs,
    cases: new CaseStore(redis, keys, config.eventRetentionDays * 86_400_000),
    registry: new RegistryStore(redis, keys, programs.ids),
    audit: new AuditLog(redis, keys),
    events: new EventLog(redis, keys, config.eventRetentionDays * 86_400_000),
    messages: new MessageStore(redis, keys, box),
    outbox: new Outbox(redis, keys),
    queues,
    outage,
    connection() {
      const c = connectRedis(url, 'worker');
      c.on('error', (e) => outage.report('worker connection', e));
      extra.push(c);
      return c;
    },
    async close() {
      outage.close();
      await Promise.all(Object.values(queues).map((q) => q.close()));
      for (const c of extra) c.disconnect();
      redis.disconnect();
    },
  };
}
