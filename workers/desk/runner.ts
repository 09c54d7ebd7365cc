/**
 * Runs the roles of one desk process: any number of these processes, on any
 * number of machines, share one Redis. Each queue role is a BullMQ Worker; the
 * ingest role is the mailbox's one lease holder at a time.
 */
import { Worker, type Processor, type WorkerOptions } from 'bullmq';
import type { Transporter } from 'nodemailer';
import type { DeskContext } from './context.js';
import { closeDefaultParserPool } from '../../forms/pdf-read-client.js';
import { errors } from '../../lib/errors.js';
import { isRedisOutageError } from '../../lib/outage-log.js';
import { closeDefaultMimePool } from '../../mail/mime-parse-client.js';
import { closeStripPool } from '../../mail/card-strip-client.js';
import { closeFormFiller } from '../../forms/form-fill-client.js';
import { closeHtmlRenderer } from '../../mail/render-html-client.js';
import { Ingester } from '../ingest/index.js';
import { intakeProcessor } from '../intake/index.js';
import { mailRetryDelay } from './mail-retry.js';
import {
  createTransport,
  notifyProcessor,
  WEBHOOK_BACKOFF_TYPE,
  WebhookFanout,
  webhookRetryDelay,
} from '../notify/index.js';
import { QUEUES, type QueueName } from './queues.js';
import { exitForSupervisor, QueueWatchdog, type WatchdogReport, type WatchedQueue } from './watchdog.js';
import { reviewProcessor } from '../review/index.js';
import { moveLegacyTimers } from '../followup/index.js';
import { followupProcessor } from '../followup/index.js';
import { transferProcessor } from '../transfer/index.js';

export const ROLES = ['ingest', 'intake', 'review', 'transfer', 'followup', 'notify'] as const;
export type Role = (typeof ROLES)[number];

export function parseRoles(text: string | undefined): Role[] {
  if (!text) return [...ROLES];
  const roles = text
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length > 0) throw errors.E_USAGE(`unknown role(s) ${bad.join(', ')}; roles are ${ROLES.join(', ')}`);
  return roles as Role[];
}

export class DeskRunner {
  private readonly workers: Worker[] = [];
  private readonly watched: WatchedQueue[] = [];
  private ingester?: Ingester;
  /** The notify role's turning of events into webhook deliveries. */
  private fanout?: WebhookFanout;
  /** The notify role's pooled SMTP connections, closed once its worker has stopped. */
  private transport?: Transporter;
  /** Watches this process's workers (workers/desk/watchdog.ts); /health and /metrics read it. */
  watchdog?: QueueWatchdog;

  constructor(
    private readonly ctx: DeskContext,
    readonly roles: Role[],
    private readonly onStuck: (report: WatchdogReport) => void = (r) => exitForSupervisor(ctx, r),
  ) {}

  start(): void {
    const { ctx } = this;
    const c = ctx.config;
    if (this.roles.includes('ingest')) {
      if (!c.imapUrl) throw errors.E_CONFIG_INVALID('the ingest role needs LICENSEDESK_IMAP_URL');
      this.ingester = new Ingester(ctx, c.imapUrl, { pollMs: c.imapPollMs });
      this.ingester.start();
    }
    if (this.roles.includes('notify') && !c.smtpUrl) {
      throw errors.E_CONFIG_INVALID('the notify role needs LICENSEDESK_SMTP_URL');
    }
    const add = (role: Role, queue: QueueName, processor: Processor, settings?: WorkerOptions['settings']) => {
      if (!this.roles.includes(role)) return;
      const w = new Worker(queue, processor, {
        ...(settings ? { settings } : {}),
        connection: ctx.connection(),
        prefix: ctx.keys.tag,
        concurrency: c.concurrency,
        // A job whose worker died is taken up by another within about 20 s; a
        // live worker renews its lock every 7.5 s (PDFs are parsed off the loop).
        lockDuration: 15_000,
        stalledInterval: 5_000,
        // Every job is idempotent (a retried job does nothing twice), so a job whose
        // process died, or that missed a lock renewal on a starved machine, is run
        // again rather than failed: BullMQ's default (1) lost partner mail when an
        // intake job stalled twice under the chaos test's SIGKILLs.
        maxStalledCount: 50,
        // After a connection error (a failover's dropped connection) BullMQ waits this long
        // before it fetches or completes a job again. Its 15 s default holds every case for
        // 15 s after Sentinel's promotion whenever a fetch fails at that moment.
        runRetryDelay: 1_000,
      });
      w.on('failed', (job, err) => {
        // A job that failed because Redis was away is part of the outage's summary, not a line of its own.
        if (isRedisOutageError(err)) ctx.outage.report(`job ${queue}`, err);
        else ctx.log.warn({ queue, job: job?.id, err: err.message, attempts: job?.attemptsMade }, 'job failed');
      });
      w.on('error', (err) =>
        isRedisOutageError(err, { socketErrors: true })
          ? ctx.outage.report(`worker ${queue}`, err)
          : ctx.log.warn({ queue, err: err.message }, 'worker error'),
      );
      this.workers.push(w);
      this.watched.push({ queue, worker: w, concurrency: c.concurrency });
    };
    const pass = { review: this.roles.includes('review'), transfer: this.roles.includes('transfer') };
    add('intake', QUEUES.intake, intakeProcessor(ctx, pass) as Processor);
    add('review', QUEUES.review, reviewProcessor(ctx, pass) as Processor);
    add('transfer', QUEUES.transfer, transferProcessor(ctx) as Processor);
    add('followup', QUEUES.followup, followupProcessor(ctx) as Processor);
    if (c.smtpUrl && this.roles.includes('notify')) {
      this.transport = createTransport(c.smtpUrl, c.concurrency, ctx.log);
      add('notify', QUEUES.notify, notifyProcessor(ctx, this.transport) as Processor, {
        backoffStrategy: (attemptsMade: number, type?: string) =>
          type === WEBHOOK_BACKOFF_TYPE
            ? webhookRetryDelay(c.webhookRetryBaseMs, attemptsMade)
            : mailRetryDelay(c, attemptsMade),
      });
    }
    if (this.roles.includes('notify')) {
      this.fanout = new WebhookFanout(ctx);
      this.fanout.start();
    }

    if (this.roles.includes('followup')) {
      void moveLegacyTimers(ctx)
        .then((n) => n > 0 && ctx.log.info({ moved: n }, 'moved delayed jobs from the old timers queue to followup'))
        .catch((e: Error) => ctx.log.warn({ err: e.message }, 'could not move the old timers queue'));
      // The sweep re-creates from the store of record what a case still needs: timers, and a transfer or review
      // whose job was lost (a Redis restart can lose the last second of writes after the case's commit). It reads
      // only open, approved and follow-up cases through the state indexes, so it can run every minute.
      void ctx.queues[QUEUES.followup]
        .upsertJobScheduler('sweep', { every: c.sweepSeconds * 1000 }, { name: 'sweep', data: { kind: 'sweep' } })
        .catch((e: Error) => ctx.log.warn({ err: e.message }, 'could not schedule the timer sweep'));
    }
    this.watchdog = new QueueWatchdog(ctx, this.watched, this.onStuck, { limitSeconds: c.watchdogSeconds });
    this.watchdog.start();
    ctx.log.info({ roles: this.roles }, 'desk roles started');
    if (!c.authservId) ctx.log.warn('LICENSEDESK_AUTHSERV_ID is not set: senders are checked by address only (DSK-3)');
  }

  /** Finishes the jobs in hand, then stops. */
  async stop(): Promise<void> {
    this.watchdog?.stop();
    await this.ingester?.stop();
    await this.fanout?.stop();
    await Promise.all(this.workers.map((w) => w.close()));
    this.transport?.close();
    await closeDefaultParserPool();
    await closeDefaultMimePool();
    await closeStripPool();
    await closeFormFiller();
    await closeHtmlRenderer();
  }
}
