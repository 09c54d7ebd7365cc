/**
 * Graceful shutdown has a deadline: a `licensedesk start` whose
 * Redis is gone cannot drain, and must still end after SIGTERM, non-zero,
 * within LICENSEDESK_SHUTDOWN_SECONDS, so a supervisor can restart it and the
 * other processes take up its jobs as stalled.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { startDesk } from '../support/desk-process.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { waitFor } from '../../embedded/net.js';
import { deskEnv } from '../support/desk-env.js';

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
});

afterAll(async () => {
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

const envFor = (seconds: string) =>
  deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl('desk-shutdown'), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'shutdown',
      LICENSEDESK_DESK_ADDRESS: undefined,
      LICENSEDESK_SALES_ADDRESS: undefined,
      LICENSEDESK_REPLY_LIMIT_PER_HOUR: undefined,
      LICENSEDESK_SHUTDOWN_SECONDS: seconds,
    },
  );

it('a desk with Redis up drains on SIGTERM and exits 0 well within the deadline', async () => {
  const desk = startDesk(envFor('20'));
  await waitFor(() => /holding the mailbox lease/.test(desk.logs()), 30_000, 'the desk to ingest');
  const t = Date.now();
  expect(await desk.stop(), desk.logs().slice(-2000)).toBe(0);
  expect(Date.now() - t).toBeLessThan(15_000);
}, 60_000);

it('a desk whose Redis is gone exits non-zero within LICENSEDESK_SHUTDOWN_SECONDS (+ a little) after SIGTERM', async () => {
  const desk = startDesk(envFor('5'));
  await waitFor(() => /holding the mailbox lease/.test(desk.logs()), 30_000, 'the desk to ingest');
  await redis.stop({ keepData: true });
  // Let the desk notice: its connections fail and start reconnecting.
  await waitFor(
    () => /redis connection error|cannot reach Redis|"redis":"down"/.test(desk.logs()),
    20_000,
    'the desk to lose Redis',
  );
  const t = Date.now();
  desk.proc.kill('SIGTERM');
  const code = await Promise.race([
    new Promise<number>((resolve) => desk.proc.once('close', (c) => resolve(c ?? -1))),
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 15_000)),
  ]);
  if (code === 'still running') await desk.kill();
  const took = Date.now() - t;
  expect(code, desk.logs().slice(-3000)).not.toBe('still running');
  expect(code).not.toBe(0);
  expect(took).toBeGreaterThanOrEqual(4_500);
  expect(took).toBeLessThan(10_000);
  expect(desk.logs()).toMatch(/draining did not finish within LICENSEDESK_SHUTDOWN_SECONDS/);
  await redis.restart();
}, 90_000);
