/**
 * The watchdog in a real `licensedesk start` process: when its intake
 * worker can no longer fetch jobs (here Redis refuses the worker's blocking
 * BZPOPMIN through an ACL, while every other command still works) and a job
 * waits, the process says so in one JSON line and exits 75 for its supervisor.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDesk, type DeskProcess } from '../support/desk-process.js';
import { waitFor } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { deskEnv, SECRET_ONLY } from '../support/desk-env.js';

let redis: RunningRedis;
let desk: DeskProcess | undefined;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  if (desk && desk.proc.exitCode === null) await desk.kill();
  await redis?.stop();
});

it('a desk process whose worker cannot take a waiting job for LICENSEDESK_WATCHDOG_SECONDS logs why and exits 75', async () => {
  desk = startDesk(
    deskEnv(
      { redisUrl: redis.url },
      {
        ...SECRET_ONLY,
        LICENSEDESK_PREFIX: 'wdx',
        LICENSEDESK_HTTP_PORT: '0',
        LICENSEDESK_WATCHDOG_SECONDS: '5',
      },
    ),
    ['--only', 'intake'],
  );
  const exited = new Promise<number | null>((r) => desk!.proc.once('exit', (code) => r(code)));
  await waitFor(() => /desk roles started/.test(desk!.logs()), 30_000, 'the desk to start');
  const admin = new Redis(redis.url);
  const queue = new Queue('intake', { connection: { host: '127.0.0.1', port: redis.port }, prefix: '{wdx}' });
  try {
    // Idle workers wait in BZPOPMIN; from now on Redis refuses it. Once the
    // wait in flight has ended, the worker's next fetch fails.
    await admin.call('ACL', 'SETUSER', 'default', '-bzpopmin');
    await waitFor(() => /NOPERM/.test(desk!.logs()), 30_000, 'the worker to be refused BZPOPMIN');
    const t0 = Date.now();
    await queue.add('intake', { messageId: 'never-taken' }, { jobId: 'intake.never-taken' });
    const code = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 40_000))]);
    expect(code, desk.logs().slice(-3000)).toBe(75);
    const after = Date.now() - t0;
    expect(after).toBeGreaterThanOrEqual(4_500);
    const lines = desk.logs().split('\n').filter(Boolean);
    expect(
      lines.filter((l) => {
        try {
          JSON.parse(l);
          return false;
        } catch {
          return true;
        }
      }),
      'non-JSON lines',
    ).toEqual([]);
    const trip = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((j) => j.watchdog === 'tripped');
    expect(trip).toMatchObject({
      exitCode: 75,
      limitSeconds: 5,
      stuck: [{ queue: 'intake', waiting: 1, stuck: true }],
    });
    // The job is still there for a healthy process to take.
    expect(await queue.getJobState('intake.never-taken')).toBe('waiting');
  } finally {
    await admin.call('ACL', 'SETUSER', 'default', '+bzpopmin').catch(() => undefined);
    admin.disconnect();
    await queue.close();
  }
}, 120_000);
