/**
 * Configuration of docs/interfaces.md: environment variables, validated at start;
 * `--config FILE` (JSON) may set the same keys and the environment wins.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { CODES, DeskError, errors } from '../lib/errors.js';
import { tlsParamProblem } from '../lib/mail-tls.js';
import { MAX_WAIT_MS } from '../lib/redis-connection-options.js';

const emailList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((a) => a.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.email()));
const email = z.string().trim().toLowerCase().pipe(z.email());
const url = (schemes: string[]) =>
  z.string().refine(
    (s) => {
      try {
        return schemes.includes(new URL(s).protocol.replace(':', ''));
      } catch {
        return false;
      }
    },
    `must be a ${schemes.map((p) => `${p}://`).join(' or ')} URL`,
  );
/** An IP address, or a CIDR range `address/bits` (bits within the address family's width). */
export function isAddressOrCidr(s: string): boolean {
  const [addr = '', bits, ...rest] = s.split('/');
  const family = isIP(addr);
  if (!family || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
const addressList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z.string().refine(isAddressOrCidr, 'each entry an IP address or CIDR range (e.g. 10.0.0.5, 172.18.0.0/16)'),
      )
      .min(1, 'at least one address'),
  );
/** An IMAP or SMTP URL whose `tls` parameter, if any, is one the desk knows (lib/mail-tls.ts). */
const mailUrl = (schemes: string[]) =>
  url(schemes).superRefine((s, ctx) => {
    let problem: string | undefined;
    try {
      problem = tlsParamProblem(new URL(s));
    } catch {
      return; // url() has said why
    }
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const configSchema = z.object({
  LICENSEDESK_REDIS_URL: z
    .string()
    .refine((s) => {
      // Cluster and Sentinel URLs list several host:port pairs, which URL() refuses.
      if (
        /^(redis-cluster|rediss-cluster|redis-sentinel|rediss-sentinel):\/\/(?:[^@/]*@)?[^/:,]+(:\d+)?(,[^/:,]+(:\d+)?)*(\/[^/]+)?$/.test(
          s,
        )
      )
        return true;
      try {
        return ['redis:', 'rediss:'].includes(new URL(s).protocol);
      } catch {
        return false;
      }
    }, 'must be redis://, rediss://, redis-cluster://host:port,… (rediss-cluster://) or redis-sentinel://host:port,…/MASTER (rediss-sentinel://)')
    .optional(),
  LICENSEDESK_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}.-]+$/, 'letters, digits, _ . - and one {hash tag}')
    .default('ld'),
  LICENSEDESK_IMAP_URL: mailUrl(['imap', 'imaps']).optional(),
  LICENSEDESK_SMTP_URL: mailUrl(['smtp', 'smtps']).optional(),
  LICENSEDESK_DESK_ADDRESS: email.default('desk@licensedesk.localhost'),
  LICENSEDESK_REPS_ADDRESS: emailList.default([]),
  LICENSEDESK_SALES_ADDRESS: emailList.default([]),
  LICENSEDESK_WAREHOUSE_ADDRESS: email.optional(),
  LICENSEDESK_FAX_SENDERS: emailList.default([]),
  LICENSEDESK_HTTP_PORT: int(0, 65535).default(8080),
  LICENSEDESK_MAX_MESSAGE_BYTES: int(1024, 2 ** 31).default(26_214_400),
  /** Bytes of mail one process parses at once (parsing takes about 5x a message's size); default twice the largest message. */
  LICENSEDESK_PARSE_BUDGET_BYTES: int(1024, 2 ** 40).optional(),
  /** Seconds one message may take to be read altogether: its MIME parse and every PDF (each PDF also has its own 15 s). */
  LICENSEDESK_PARSE_MESSAGE_SECONDS: z.coerce.number().positive().max(3600).default(30),
  /** Address-space limit (MiB) of every child that parses mail or PDFs; Node itself maps about 730 MB of it. */
  LICENSEDESK_PARSE_CHILD_MEMORY_MB: int(1024, 65536).default(1536),
  /** 1: /metrics also reports licensedesk_eventloop_busy_max_seconds (lib/event-loop-busy.ts). */
  LICENSEDESK_LOOP_MONITOR: z.enum(['0', '1']).default('0'),
  LICENSEDESK_AUTHSERV_ID: z.string().min(1).optional(),
  LICENSEDESK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  /** The secret before a rotation: still opens sealed mail and verifies Message-IDs until `secret rotate` has run. */
  LICENSEDESK_SECRET_PREVIOUS: z.string().min(16, 'at least 16 characters').optional(),
  /** Days the event log keeps an event (the API's /events and webhooks read it). */
  LICENSEDESK_EVENT_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(30),
  LICENSEDESK_FEE_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(400),
  LICENSEDESK_CARD_KEEP_DAYS: z.coerce.number().positive().max(30).default(7),
  /** The first wait before a failed webhook delivery is tried again; later waits grow from it to 6 h (x 2160). */
  LICENSEDESK_WEBHOOK_RETRY_BASE_MS: int(10, 600_000).default(10_000),
  /** API requests one token (or, without one, one client) may make in a minute. */
  LICENSEDESK_API_RATE_PER_MINUTE: int(1, 100_000).default(600),
  /** Days raw mail, its indexes, outbox records and failed jobs are kept after their case ends. */
  LICENSEDESK_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** Automatic answers one address may get in an hour (loop guard). */
  LICENSEDESK_REPLY_LIMIT_PER_HOUR: int(1, 1000).default(5),
  /** Hours after forms are complete when reps are warned (ALT-8 deadline is 24 h). */
  LICENSEDESK_DEADLINE_WARNING_HOURS: z.coerce.number().positive().max(24).default(18),
  /** DSK-10: days a case waits for the partner before it is mailed a `reminder`. */
  LICENSEDESK_REMINDER_DAYS: z.coerce.number().positive().max(365).default(3),
  /** DSK-10: days without a mail from the partner after which a waiting (or opened, never used) case is closed. */
  LICENSEDESK_ABANDON_DAYS: z.coerce.number().positive().max(3650).default(14),
  /** DSK-12: cases one address, and one client, may open on the partner's page `/open` in an hour. */
  LICENSEDESK_OPEN_PER_HOUR: int(1, 1000).default(5),
  /** Days an address that hard-bounced is not mailed. */
  LICENSEDESK_BOUNCE_SUPPRESS_DAYS: z.coerce.number().positive().max(365).default(7),
  /** Testing and demo only: the desk's clock starts at this instant and runs on. */
  LICENSEDESK_FAKE_NOW: z.iso.datetime({ offset: true }).optional(),
  /** How many jobs each worker of this process runs at once. */
  LICENSEDESK_CONCURRENCY: int(1, 256).default(4),
  /** First wait before a failed mail is sent again; each retry waits twice as long, up to LICENSEDESK_MAIL_RETRY_MAX_MS. */
  LICENSEDESK_MAIL_RETRY_BASE_MS: int(10, 3_600_000).default(2000),
  /** Longest wait between two attempts of one mail (SMTP down for hours is retried at this pace). */
  LICENSEDESK_MAIL_RETRY_MAX_MS: int(10, 3_600_000).default(300_000),
  /** After SIGTERM, seconds to finish the jobs in hand before the process exits non-zero. */
  LICENSEDESK_SHUTDOWN_SECONDS: z.coerce.number().positive().max(3600).default(20),
  /** How often the store of record is swept for timers, transfers and reviews a case still needs (a job lost with a Redis restart). */
  LICENSEDESK_SWEEP_SECONDS: int(5, 86_400).default(60),
  LICENSEDESK_IMAP_POLL_MS: int(0, 60_000).default(0),
  /** A queue whose waiting jobs no worker of this process takes for this long makes the process exit for its supervisor. */
  LICENSEDESK_WATCHDOG_SECONDS: int(5, 86_400).default(60),
  /** Replicas that must hold a stored message before the ingester moves it out of the INBOX (WAIT); 0: off. */
  LICENSEDESK_REDIS_WAIT_REPLICAS: int(0, 16).default(0),
  /** How long that WAIT may take; below the desk's Redis command timeout. */
  LICENSEDESK_REDIS_WAIT_MS: int(10, MAX_WAIT_MS).default(1000),
  /** The console's public origin; requests for another Host or Origin are refused. */
  LICENSEDESK_CONSOLE_ORIGIN: url(['http', 'https'])
    .refine((s) => {
      try {
        return new URL(s).origin === s.replace(/\/$/, '');
      } catch {
        return false;
      }
    }, 'scheme://host[:port] only, no path')
    .optional(),
  /** Bearer token /metrics requires (unset: /metrics answers 401). */
  LICENSEDESK_METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto the console believes: addresses or CIDR ranges. */
  LICENSEDESK_TRUSTED_PROXIES: addressList.default(['127.0.0.1', '::1']),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface DeskConfig {
  redisUrl?: string;
  prefix: string;
  imapUrl?: string;
  smtpUrl?: string;
  deskAddress: string;
  repsAddresses: string[];
  /** Fax-to-email gateways (DSK-9): their mail is filed by the case number on its forms and held for a rep. */
  faxSenders: string[];
  salesAddresses: string[];
  warehouseAddress?: string;
  httpPort: number;
  maxMessageBytes: number;
  parseBudgetBytes: number;
  parseMessageSeconds: number;
  parseChildMemoryMb: number;
  loopMonitor: boolean;
  authservId?: string;
  secret?: string;
  previousSecret?: string;
  retentionDays: number;
  eventRetentionDays: number;
  /** Days a fee ledger entry is kept after it was assessed (DSK-11). */
  feeRetentionDays: number;
  /** The longest the sealed card form is kept after the case's decision while its fees are unsettled (DSK-11). */
  cardKeepDays: number;
  apiRatePerMinute: number;
  webhookRetryBaseMs: number;
  replyLimitPerHour: number;
  deadlineWarningHours: number;
  reminderDays: number;
  abandonDays: number;
  openPerHour: number;
  bounceSuppressDays: number;
  fakeNow?: string;
  concurrency: number;
  mailRetryBaseMs: number;
  mailRetryMaxMs: number;
  shutdownSeconds: number;
  sweepSeconds: number;
  /** 0: wait for news with IDLE; otherwise look at the INBOX this often (ms), for latency under Dovecot's 0.5 s IDLE notice. */
  imapPollMs: number;
  watchdogSeconds: number;
  redisWaitReplicas: number;
  redisWaitMs: number;
  consoleOrigin?: string;
  metricsToken?: string;
  /** Addresses and CIDR ranges of the proxies whose forwarded headers are believed. */
  trustedProxies: string[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, configFile?: string): DeskConfig {
  let fromFile: Record<string, unknown> = {};
  if (configFile) {
    try {
      fromFile = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw errors.E_CONFIG_INVALID(`--config ${configFile}: ${(e as Error).message}`);
    }
  }
  const merged: Record<string, unknown> = { ...fromFile };
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') merged[key] = v;
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new DeskError(CODES.E_CONFIG_INVALID, [`bad configuration\n${lines.join('\n')}`], lines);
  }
  const c = parsed.data;
  if (c.LICENSEDESK_REDIS_WAIT_REPLICAS > 0 && /^rediss?-cluster:/.test(c.LICENSEDESK_REDIS_URL ?? '')) {
    // WAIT names no key, so a Cluster client sends it to any master, not the desk's.
    const line = 'LICENSEDESK_REDIS_WAIT_REPLICAS: not supported with a Redis Cluster URL (set it to 0)';
    throw new DeskError(CODES.E_CONFIG_INVALID, [`bad configuration\n${line}`], [line]);
  }
  // A production desk must run on real time: a fake clock there would shift deadlines, bills and expiry checks.
  if (c.LICENSEDESK_FAKE_NOW && env.NODE_ENV === 'production') {
    const line = 'LICENSEDESK_FAKE_NOW: refused when NODE_ENV=production (it is for tests and demos)';
    throw new DeskError(CODES.E_CONFIG_INVALID, [`bad configuration\n${line}`], [line]);
  }
  return {
    redisUrl: c.LICENSEDESK_REDIS_URL,
    prefix: c.LICENSEDESK_PREFIX,
    imapUrl: c.LICENSEDESK_IMAP_URL,
    smtpUrl: c.LICENSEDESK_SMTP_URL,
    deskAddress: c.LICENSEDESK_DESK_ADDRESS,
    repsAddresses: c.LICENSEDESK_REPS_ADDRESS,
    faxSenders: c.LICENSEDESK_FAX_SENDERS.map((a) => a.toLowerCase()),
    salesAddresses: c.LICENSEDESK_SALES_ADDRESS,
    warehouseAddress: c.LICENSEDESK_WAREHOUSE_ADDRESS,
    httpPort: c.LICENSEDESK_HTTP_PORT,
    maxMessageBytes: c.LICENSEDESK_MAX_MESSAGE_BYTES,
    parseBudgetBytes: c.LICENSEDESK_PARSE_BUDGET_BYTES ?? 2 * c.LICENSEDESK_MAX_MESSAGE_BYTES,
    parseMessageSeconds: c.LICENSEDESK_PARSE_MESSAGE_SECONDS,
    parseChildMemoryMb: c.LICENSEDESK_PARSE_CHILD_MEMORY_MB,
    loopMonitor: c.LICENSEDESK_LOOP_MONITOR === '1',
    authservId: c.LICENSEDESK_AUTHSERV_ID,
    secret: c.LICENSEDESK_SECRET,
    previousSecret: c.LICENSEDESK_SECRET_PREVIOUS,
    retentionDays: c.LICENSEDESK_RETENTION_DAYS,
    eventRetentionDays: c.LICENSEDESK_EVENT_RETENTION_DAYS,
    feeRetentionDays: c.LICENSEDESK_FEE_RETENTION_DAYS,
    cardKeepDays: c.LICENSEDESK_CARD_KEEP_DAYS,
    apiRatePerMinute: c.LICENSEDESK_API_RATE_PER_MINUTE,
    webhookRetryBaseMs: c.LICENSEDESK_WEBHOOK_RETRY_BASE_MS,
    replyLimitPerHour: c.LICENSEDESK_REPLY_LIMIT_PER_HOUR,
    deadlineWarningHours: c.LICENSEDESK_DEADLINE_WARNING_HOURS,
    reminderDays: c.LICENSEDESK_REMINDER_DAYS,
    abandonDays: c.LICENSEDESK_ABANDON_DAYS,
    openPerHour: c.LICENSEDESK_OPEN_PER_HOUR,
    bounceSuppressDays: c.LICENSEDESK_BOUNCE_SUPPRESS_DAYS,
    fakeNow: c.LICENSEDESK_FAKE_NOW,
    concurrency: c.LICENSEDESK_CONCURRENCY,
    mailRetryBaseMs: c.LICENSEDESK_MAIL_RETRY_BASE_MS,
    mailRetryMaxMs: Math.max(c.LICENSEDESK_MAIL_RETRY_MAX_MS, c.LICENSEDESK_MAIL_RETRY_BASE_MS),
    shutdownSeconds: c.LICENSEDESK_SHUTDOWN_SECONDS,
    sweepSeconds: c.LICENSEDESK_SWEEP_SECONDS,
    imapPollMs: c.LICENSEDESK_IMAP_POLL_MS,
    watchdogSeconds: c.LICENSEDESK_WATCHDOG_SECONDS,
    redisWaitReplicas: c.LICENSEDESK_REDIS_WAIT_REPLICAS,
    redisWaitMs: c.LICENSEDESK_REDIS_WAIT_MS,
    consoleOrigin: c.LICENSEDESK_CONSOLE_ORIGIN ? new URL(c.LICENSEDESK_CONSOLE_ORIGIN).origin : undefined,
    metricsToken: c.LICENSEDESK_METRICS_TOKEN,
    trustedProxies: c.LICENSEDESK_TRUSTED_PROXIES,
  };
}
