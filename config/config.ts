/**
 * Configuration of CONTRACT.md: environment variables, validated at start;
 * `--config FILE` (JSON) may set the same keys and the environment wins.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CODES, DeskError, errors } from '../lib/errors.js';

const emailList = z
  .string()
  .transform((s) => s.split(',').map((a) => a.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.string().email()));
const email = z.string().trim().toLowerCase().pipe(z.string().email());
const url = (schemes: string[]) =>
  z.string().refine((s) => {
    try {
      return schemes.includes(new URL(s).protocol.replace(':', ''));
    } catch {
      return false;
    }
  }, `must be a ${schemes.map((p) => `${p}://`).join(' or ')} URL`);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const configSchema = z.object({
  LICENSEDESK_REDIS_URL: z.string().refine((s) => {
    // Cluster and Sentinel URLs list several host:port pairs, which URL() refuses.
    if (/^(redis-cluster|rediss-cluster|redis-sentinel):\/\/(?:[^@/]*@)?[^/:,]+(:\d+)?(,[^/:,]+(:\d+)?)*(\/[^/]+)?$/.test(s)) return true;
    try { return ['redis:', 'rediss:'].includes(new URL(s).protocol); } catch { return false; }
  }, 'must be redis://, rediss://, redis-cluster://host:port,… or redis-sentinel://host:port,…/MASTER').optional(),
  LICENSEDESK_PREFIX: z.string().regex(/^[A-Za-z0-9_{}.-]+$/, 'letters, digits, _ . - and one {hash tag}').default('ld'),
  LICENSEDESK_IMAP_URL: url(['imap', 'imaps']).optional(),
  LICENSEDESK_SMTP_URL: url(['smtp', 'smtps']).optional(),
  LICENSEDESK_DESK_ADDRESS: email.default('desk@licensedesk.localhost'),
  LICENSEDESK_REPS_ADDRESS: emailList.default([]),
  LICENSEDESK_SALES_ADDRESS: emailList.default([]),
  LICENSEDESK_WAREHOUSE_ADDRESS: email.optional(),
  LICENSEDESK_HTTP_PORT: int(0, 65535).default(8080),
  LICENSEDESK_MAX_MESSAGE_BYTES: int(1024, 2 ** 31).default(26_214_400),
  /** Bytes of mail one process parses at once (parsing takes about 5x a message's size); default twice the largest message. */
  LICENSEDESK_PARSE_BUDGET_BYTES: int(1024, 2 ** 40).optional(),
  LICENSEDESK_AUTHSERV_ID: z.string().min(1).optional(),
  LICENSEDESK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  /** Automatic answers one address may get in an hour (loop guard). */
  LICENSEDESK_REPLY_LIMIT_PER_HOUR: int(1, 1000).default(5),
  /** Hours after forms are complete when reps are warned (ALT-8 deadline is 24 h). */
  LICENSEDESK_DEADLINE_WARNING_HOURS: z.coerce.number().positive().max(24).default(18),
  /** Days an address that hard-bounced is not mailed. */
  LICENSEDESK_BOUNCE_SUPPRESS_DAYS: z.coerce.number().positive().max(365).default(7),
  /** Testing and demo only: the desk's clock starts at this instant and runs on. */
  LICENSEDESK_FAKE_NOW: z.string().datetime({ offset: true }).optional(),
  /** How many jobs each worker of this process runs at once. */
  LICENSEDESK_CONCURRENCY: int(1, 256).default(4),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface DeskConfig {
  redisUrl?: string;
  prefix: string;
  imapUrl?: string;
  smtpUrl?: string;
  deskAddress: string;
  repsAddresses: string[];
  salesAddresses: string[];
  warehouseAddress?: string;
  httpPort: number;
  maxMessageBytes: number;
  parseBudgetBytes: number;
  authservId?: string;
  secret?: string;
  replyLimitPerHour: number;
  deadlineWarningHours: number;
  bounceSuppressDays: number;
  fakeNow?: string;
  concurrency: number;
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
  return {
    redisUrl: c.LICENSEDESK_REDIS_URL,
    prefix: c.LICENSEDESK_PREFIX,
    imapUrl: c.LICENSEDESK_IMAP_URL,
    smtpUrl: c.LICENSEDESK_SMTP_URL,
    deskAddress: c.LICENSEDESK_DESK_ADDRESS,
    repsAddresses: c.LICENSEDESK_REPS_ADDRESS,
    salesAddresses: c.LICENSEDESK_SALES_ADDRESS,
    warehouseAddress: c.LICENSEDESK_WAREHOUSE_ADDRESS,
    httpPort: c.LICENSEDESK_HTTP_PORT,
    maxMessageBytes: c.LICENSEDESK_MAX_MESSAGE_BYTES,
    parseBudgetBytes: c.LICENSEDESK_PARSE_BUDGET_BYTES ?? 2 * c.LICENSEDESK_MAX_MESSAGE_BYTES,
    authservId: c.LICENSEDESK_AUTHSERV_ID,
    secret: c.LICENSEDESK_SECRET,
    replyLimitPerHour: c.LICENSEDESK_REPLY_LIMIT_PER_HOUR,
    deadlineWarningHours: c.LICENSEDESK_DEADLINE_WARNING_HOURS,
    bounceSuppressDays: c.LICENSEDESK_BOUNCE_SUPPRESS_DAYS,
    fakeNow: c.LICENSEDESK_FAKE_NOW,
    concurrency: c.LICENSEDESK_CONCURRENCY,
  };
}
