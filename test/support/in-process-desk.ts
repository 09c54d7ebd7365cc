/**
 * A desk in the test's own process on its own Redis, Dovecot and SMTP sink,
 * with the AltiGen registry imported: for tests that start and stop the
 * desk's workers role by role (DeskRunner) to hold a stage back, as a long
 * queue or a lost job would.
 */
import { loadConfig } from '../../config/config.js';
import type { Clock } from '../../domain/clock.js';
import type { RegistryDocument } from '../../domain/registry-model.js';
import { openDesk, type DeskContext } from '../../workers/desk/context.js';
import type { DeskRunner } from '../../workers/desk/runner.js';
import { altigenRegistry } from './altigen-fixture.js';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { deskEnv } from './desk-env.js';

export interface InProcessDesk {
  redis: RunningRedis;
  dovecot: RunningDovecot;
  smtp: SmtpSink;
  ctx: DeskContext;
  /** The desk's mailbox user in Dovecot. */
  user: string;
  /** Runners started by the test, stopped by stop(). */
  runners: DeskRunner[];
  stop(): Promise<void>;
}

export async function startInProcessDesk(
  prefix: string,
  env: Record<string, string> = {},
  clock?: Clock,
): Promise<InProcessDesk> {
  const [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  const user = `desk-${prefix}`;
  const ctx = await openDesk(
    loadConfig(
      deskEnv(
        { redisUrl: redis.url, imapUrl: dovecot.imapUrl(user), smtpUrl: smtp.url },
        {
          LICENSEDESK_PREFIX: prefix,
          LICENSEDESK_SALES_ADDRESS: undefined,
          LICENSEDESK_HTTP_PORT: undefined,
          LICENSEDESK_REPLY_LIMIT_PER_HOUR: undefined,
          ...env,
        },
      ),
    ),
    clock ? { clock } : {},
  );
  await ctx.registry.import(altigenRegistry() as unknown as RegistryDocument);
  const runners: DeskRunner[] = [];
  return {
    redis,
    dovecot,
    smtp,
    ctx,
    user,
    runners,
    async stop() {
      for (const r of runners) await r.stop();
      await ctx.close();
      await Promise.all([smtp.stop(), dovecot.stop(), redis.stop()]);
    },
  };
}
