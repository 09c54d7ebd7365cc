/**
 * `/health` and the failover metrics: what an operator or a load balancer asks
 * to learn whether this process works. `/health` answers within a second
 * whatever Redis does (its PING has its own short bound), and its JSON body
 * says what is wrong; it answers 503 when something is.
 */
import { Gauge, type Registry } from 'prom-client';
import type { DeskContext } from '../workers/desk/context.js';
import type { WatchdogReport } from '../workers/desk/watchdog.js';

/** The PING's bound: well inside the one second /health promises. */
export const HEALTH_PING_MS = 600;

export interface HealthBody {
  ok: boolean;
  problems: string[];
  redis: { ok: boolean; pingMs?: number; error?: string };
  outage?: { downForSeconds: number };
  watchdog?: WatchdogReport;
}

async function pingWithin(ctx: DeskContext, ms: number): Promise<HealthBody['redis']> {
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      ctx.redis.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to PING within ${ms} ms`)), ms);
      }),
    ]);
    return answer === 'PONG'
      ? { ok: true, pingMs: Date.now() - t0 }
      : { ok: false, error: `PING answered ${String(answer)}` };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export async function health(ctx: DeskContext, watchdog?: () => WatchdogReport | undefined): Promise<HealthBody> {
  const redis = await pingWithin(ctx, HEALTH_PING_MS);
  const problems: string[] = [];
  if (!redis.ok) problems.push(`Redis: ${redis.error}`);
  const report = watchdog?.();
  for (const q of report?.queues ?? []) {
    if (q.stuck)
      problems.push(
        `queue ${q.queue}: ${q.waiting} job(s) waiting, none taken by this process for ${q.untakenSeconds} s`,
      );
  }
  const body: HealthBody = { ok: problems.length === 0, problems, redis };
  if (ctx.outage.isDown) body.outage = { downForSeconds: Math.round(ctx.outage.downForMs() / 1000) };
  if (report) body.watchdog = report;
  return body;
}

/** Gauges an operator alerts on: Redis reachability, outages, and the watchdog's view of each queue. */
export function registerFailoverMetrics(
  metrics: Registry,
  ctx: DeskContext,
  watchdog?: () => WatchdogReport | undefined,
): void {
  new Gauge({
    name: 'licensedesk_redis_down',
    help: '1 while this process cannot reach Redis (from the first error until a PING succeeds)',
    registers: [metrics],
    collect() {
      this.set(ctx.outage.isDown ? 1 : 0);
    },
  });
  new Gauge({
    name: 'licensedesk_redis_outages',
    help: 'Redis outages this process has seen since it started',
    registers: [metrics],
    collect() {
      this.set(ctx.outage.outages);
    },
  });
  new Gauge({
    name: 'licensedesk_watchdog_untaken_seconds',
    help: 'Seconds that ready jobs have waited with none taken by this process',
    labelNames: ['queue'],
    registers: [metrics],
    collect() {
      for (const q of watchdog?.()?.queues ?? []) this.set({ queue: q.queue }, q.untakenSeconds);
    },
  });
  new Gauge({
    name: 'licensedesk_watchdog_stuck',
    help: '1 when the watchdog finds the queue stuck in this process (the process then exits for its supervisor)',
    labelNames: ['queue'],
    registers: [metrics],
    collect() {
      for (const q of watchdog?.()?.queues ?? []) this.set({ queue: q.queue }, q.stuck ? 1 : 0);
    },
  });
  new Gauge({
    name: 'licensedesk_watchdog_limit_seconds',
    help: 'LICENSEDESK_WATCHDOG_SECONDS of this process',
    registers: [metrics],
    collect() {
      const r = watchdog?.();
      if (r) this.set(r.limitSeconds);
    },
  });
}
