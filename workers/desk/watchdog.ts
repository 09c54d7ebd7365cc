/**
 * The last line of defence of a desk process against connections that look
 * alive but are not: a queue that has waiting jobs which no worker of this
 * process has taken for LICENSEDESK_WATCHDOG_SECONDS (while the process had a
 * free slot for them) means this process's workers are stuck, e.g. on a master
 * that Sentinel has replaced.
 *
 * What it does then: it exits non-zero (75, EX_TEMPFAIL) for its supervisor
 * (systemd `Restart=on-failure`, Docker `restart: unless-stopped`, Kubernetes)
 * to start it again, rather than rebuilding its connections in place. BullMQ's
 * trackers show workers that stop for good after failovers while reporting
 * themselves running (taskforcesh/bullmq #3088, #2964, #4378): a rebuild in
 * place would have to trust the very state that went wrong, while a new
 * process starts from nothing. The desk is built to lose nothing when a
 * process dies (another takes its stalled jobs within ~20 s, the ingest lease
 * passes on, commits are idempotent), so exiting is safe.
 *
 * The check runs on a timer, not a BullMQ job: it watches BullMQ itself. Times
 * are the process's wall clock, not ctx.clock (this is liveness, not business
 * time).
 */
import type { Worker } from 'bullmq';
import type { DeskContext } from './context.js';
import type { QueueName } from './queues.js';

export interface WatchedQueue {
  queue: QueueName;
  worker: Worker;
  concurrency: number;
}

export interface QueueWatch {
  queue: QueueName;
  waiting: number;
  /** Jobs this process's worker is running now. */
  active: number;
  /** Seconds that jobs have waited with none taken by this process (0 when nothing waits). */
  untakenSeconds: number;
  stuck: boolean;
}

export interface WatchdogReport {
  limitSeconds: number;
  queues: QueueWatch[];
  /** When the last check could read the queues (ISO), or undefined before the first. */
  checkedAt?: string;
  trips: number;
}

interface State {
  lastTakenAt: number;
  active: number;
  waiting: number;
  waitingSince?: number;
}

export class QueueWatchdog {
  private readonly state = new Map<QueueName, State>();
  private timer?: NodeJS.Timeout;
  private checking = false;
  private checkedAt?: number;
  private trips = 0;
  private readonly checkEveryMs: number;
  readonly limitMs: number;

  constructor(
    private readonly ctx: DeskContext,
    private readonly watched: WatchedQueue[],
    private readonly onStuck: (report: WatchdogReport) => void,
    opts: { limitSeconds: number; checkEveryMs?: number },
  ) {
    this.limitMs = opts.limitSeconds * 1000;
    this.checkEveryMs = opts.checkEveryMs ?? Math.min(5_000, Math.max(500, this.limitMs / 6));
    const now = Date.now();
    for (const w of watched) {
      const s: State = { lastTakenAt: now, active: 0, waiting: 0 };
      this.state.set(w.queue, s);
      w.worker.on('active', () => {
        s.lastTakenAt = Date.now();
        s.active++;
      });
      const done = () => {
        s.active = Math.max(0, s.active - 1);
      };
      w.worker.on('completed', done);
      w.worker.on('failed', done);
    }
  }

  start(): void {
    if (this.watched.length === 0) return;
    this.timer = setInterval(() => void this.check(), this.checkEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  report(now = Date.now()): WatchdogReport {
    return {
      limitSeconds: this.limitMs / 1000,
      checkedAt: this.checkedAt ? new Date(this.checkedAt).toISOString() : undefined,
      trips: this.trips,
      queues: this.watched.map((w) => {
        const s = this.state.get(w.queue)!;
        const untaken =
          s.waiting > 0 && s.waitingSince !== undefined ? now - Math.max(s.waitingSince, s.lastTakenAt) : 0;
        return {
          queue: w.queue,
          waiting: s.waiting,
          active: s.active,
          untakenSeconds: Math.round(untaken / 100) / 10,
          stuck: untaken >= this.limitMs && s.active < w.concurrency,
        };
      }),
    };
  }

  /** One look at the queues; trips when one is stuck. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const w of this.watched) {
        // Waiting means ready to run now: delayed jobs (timers) are not late.
        const counts = await this.ctx.queues[w.queue].getJobCounts('wait', 'prioritized');
        const s = this.state.get(w.queue)!;
        const waiting = (counts.wait ?? 0) + (counts.prioritized ?? 0);
        const now = Date.now();
        if (waiting > 0 && s.waiting === 0) s.waitingSince = now;
        if (waiting === 0) s.waitingSince = undefined;
        s.waiting = waiting;
      }
      this.checkedAt = Date.now();
    } catch {
      // Redis unreachable from the desk's own connection: the outage log says
      // so; nothing here can tell whether the workers are stuck.
      return;
    } finally {
      this.checking = false;
    }
    const report = this.report();
    if (report.queues.some((q) => q.stuck)) {
      this.trips++;
      this.stop();
      this.onStuck(this.report());
    }
  }
}

/** The exit code that tells a supervisor "temporary failure, start me again" (EX_TEMPFAIL). */
export const WATCHDOG_EXIT_CODE = 75;

/** What `licensedesk start` does when the watchdog trips: say why, then exit for the supervisor. */
export function exitForSupervisor(ctx: DeskContext, report: WatchdogReport): void {
  const stuck = report.queues.filter((q) => q.stuck);
  ctx.log.error(
    { watchdog: 'tripped', stuck, limitSeconds: report.limitSeconds, exitCode: WATCHDOG_EXIT_CODE },
    `no worker of this process took a waiting job for ${report.limitSeconds} s (${stuck.map((q) => q.queue).join(', ')}); exiting so that the supervisor starts a fresh process`,
  );
  // pino writes stderr synchronously, so the line is out before the exit.
  process.exit(WATCHDOG_EXIT_CODE);
}
