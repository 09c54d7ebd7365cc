/**
 * The watchdog against a real Redis and real BullMQ Workers: a
 * queue whose ready jobs no worker of the process takes trips it (and /health
 * and /metrics say so), a worker that keeps taking jobs never does, and
 * neither does a worker that is busy with all it may run at once.
 */
import { Worker } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startConsole } from '../../console/console-server.js';
import { loadConfig } from '../../config/config.js';
import { openDesk, type DeskContext } from '../../workers/desk/context.js';
import { QueueWatchdog, type WatchdogReport } from '../../workers/desk/watchdog.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { deskEnv, SECRET_ONLY } from '../support/desk-env.js';

let redis: RunningRedis;
let ctx: DeskContext;

beforeAll(async () => {
  redis = await startRedis();
  ctx = await openDesk(
    loadConfig(
      deskEnv(
        { redisUrl: redis.url },
        {
          ...SECRET_ONLY,
          LICENSEDESK_PREFIX: 'wd',
          LICENSEDESK_METRICS_TOKEN: METRICS_TOKEN,
          LOG_LEVEL: 'silent',
        },
      ),
    ),
  );
});

afterAll(async () => {
  await ctx?.close();
  await redis?.stop();
});

/** docs/interfaces.md: /metrics answers only with its bearer token. */
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('a queue whose waiting jobs no worker of the process takes trips the watchdog; /health answers 503 naming it and /metrics shows it', async () => {
  // A worker that never fetches: what a worker stuck on a replaced master looks like from Redis.
  const stuck = new Worker('intake', async () => 'done', {
    connection: ctx.connection(),
    prefix: ctx.keys.tag,
    autorun: false,
  });
  const trips: WatchdogReport[] = [];
  const dog = new QueueWatchdog(ctx, [{ queue: 'intake', worker: stuck, concurrency: 2 }], (r) => trips.push(r), {
    limitSeconds: 5,
    checkEveryMs: 500,
  });
  const web = await startConsole(ctx, 0, '127.0.0.1', () => dog.report());
  try {
    await ctx.queues.intake.add('intake', { messageId: 'm1' }, { jobId: 'wd-1' });
    dog.start();
    const t0 = Date.now();
    while (trips.length === 0 && Date.now() - t0 < 15_000) await sleep(200);
    expect(trips.length).toBe(1);
    const tripAfter = Date.now() - t0;
    expect(tripAfter).toBeGreaterThanOrEqual(4_500);
    expect(trips[0]!.queues[0]).toMatchObject({ queue: 'intake', waiting: 1, stuck: true });

    const t1 = Date.now();
    const res = await fetch(`${web.url}/health`);
    expect(Date.now() - t1).toBeLessThan(1_000);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { ok: boolean; problems: string[]; redis: { ok: boolean } };
    expect(body.ok).toBe(false);
    expect(body.redis.ok).toBe(true);
    expect(body.problems.join(' ')).toMatch(/queue intake: 1 job\(s\) waiting, none taken by this process/);

    const metrics = await (
      await fetch(`${web.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(metrics).toMatch(/licensedesk_watchdog_stuck\{queue="intake"\} 1/);
    expect(metrics).toMatch(/licensedesk_redis_down 0/);
  } finally {
    dog.stop();
    await web.app.close();
    await stuck.close();
    await ctx.queues.intake.obliterate({ force: true });
  }
}, 40_000);

it('a worker that keeps taking jobs, or is busy with all it may run at once, never trips it', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  // Review: quick jobs, added faster than the limit. Transfer: one slot, held by a long job while more wait.
  const quick = new Worker('review', async () => 'ok', {
    connection: ctx.connection(),
    prefix: ctx.keys.tag,
    concurrency: 2,
  });
  const busy = new Worker(
    'transfer',
    async () => {
      await gate;
      return 'ok';
    },
    { connection: ctx.connection(), prefix: ctx.keys.tag, concurrency: 1 },
  );
  const trips: WatchdogReport[] = [];
  const dog = new QueueWatchdog(
    ctx,
    [
      { queue: 'review', worker: quick, concurrency: 2 },
      { queue: 'transfer', worker: busy, concurrency: 1 },
    ],
    (r) => trips.push(r),
    { limitSeconds: 3, checkEveryMs: 300 },
  );
  try {
    dog.start();
    await ctx.queues.transfer.add('transfer', { caseNumber: '1', cycle: 1 }, { jobId: 'wd-t1' });
    await ctx.queues.transfer.add('transfer', { caseNumber: '2', cycle: 1 }, { jobId: 'wd-t2' });
    for (let i = 0; i < 14; i++) {
      await ctx.queues.review.add('review', { caseNumber: String(i), reason: 'x' }, { jobId: `wd-r${i}` });
      await sleep(500);
    }
    const r = dog.report();
    expect(r.queues.find((q) => q.queue === 'transfer')).toMatchObject({ waiting: 1, active: 1, stuck: false });
    expect(r.queues.find((q) => q.queue === 'transfer')!.untakenSeconds).toBeGreaterThan(3);
    expect(trips).toEqual([]);
  } finally {
    dog.stop();
    release();
    await Promise.all([quick.close(), busy.close()]);
  }
}, 40_000);
