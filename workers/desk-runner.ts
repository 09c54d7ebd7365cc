/**
 * Runs the roles of one desk process: any number of these processes, on any
 * number of machines, share one Redis. Each queue role is a BullMQ Worker; the
 * ingest role is the mailbox's one lease holder at a time.
 */
import { Worker, type Processor } from 'bullmq';
import type { DeskContext } from './desk-context.js';
import { closeDefaultParserPool } from '../forms/isolated-reader.js';
import { errors } from '../lib/errors.js';
import { Ingester } from './ingest-worker.js';
import { intakeProcessor } from './intake-worker.js';
import { createTransport, notifyProcessor } from './notify-worker.js';
import { QUEUES, type QueueName } from './queues.js';
import { reviewProcessor } from './review-worker.js';
import { timerProcessor } from './timer-worker.js';
import { transferProcessor } from './transfer-worker.js';

export const ROLES = ['ingest', 'intake', 'review', 'transfer', 'followup', 'notify'] as const;
export type Role = (typeof ROLES)[number];

export function parseRoles(text: string | undefined): Role[] {
  if (!text) return [...ROLES];
  const roles = text.split(',').map((r) => r.trim()).filter(Boolean);
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length > 0) throw errors.E_USAGE(`unknown role(s) ${bad.join(', ')}; roles are ${ROLES.join(', ')}`);
  return roles as Role[];
}

export class DeskRunner {
  private readonly workers: Worker[] = [];
  private ingester?: Ingester;

  constructor(private readonly ctx: DeskContext, readonly roles: Role[]) {}

  start(): void {
    const { ctx } = this;
    const c = ctx.config;
    if (this.roles.includes('ingest')) {
      if (!c.imapUrl) throw errors.E_CONFIG_INVALID('the ingest role needs LICENSEDESK_IMAP_URL');
      this.ingester = new Ingester(ctx, c.imapUrl);
      this.ingester.start();
    }
    if (this.roles.includes('notify') && !c.smtpUrl) {
      throw errors.E_CONFIG_INVALID('the notify role needs LICENSEDESK_SMTP_URL');
    }
    const add = (role: Role, queue: QueueName, processor: Processor) => {
      if (!this.roles.includes(role)) return;
      const w = new Worker(queue, processor, {
        connection: ctx.connection(), prefix: ctx.keys.tag, concurrency: c.concurrency,
        // A job whose worker died is taken up by another within about 20 s; a
        // live worker renews its lock every 7.5 s (PDFs are parsed off the loop).
        lockDuration: 15_000,
        stalledInterval: 5_000,
      });
      w.on('failed', (job, err) => ctx.log.warn({ queue, job: job?.id, err: err.message, attempts: job?.attemptsMade }, 'job failed'));
      w.on('error', (err) => ctx.log.warn({ queue, err: err.message }, 'worker error'));
      this.workers.push(w);
    };
    add('intake', QUEUES.intake, intakeProcessor(ctx) as Processor);
    add('review', QUEUES.review, reviewProcessor(ctx) as Processor);
    add('transfer', QUEUES.transfer, transferProcessor(ctx) as Processor);
    add('followup', QUEUES.timers, timerProcessor(ctx) as Processor);
    if (c.smtpUrl) add('notify', QUEUES.notify, notifyProcessor(ctx, createTransport(c.smtpUrl)) as Processor);
    if (this.roles.includes('followup')) {
      // The sweep re-creates missing timers from the store of record.
      void ctx.queues[QUEUES.timers]
        .upsertJobScheduler('sweep', { every: 5 * 60_000 }, { name: 'sweep', data: { kind: 'sweep' } })
        .catch((e: Error) => ctx.log.warn({ err: e.message }, 'could not schedule the timer sweep'));
    }
    ctx.log.info({ roles: this.roles }, 'desk roles started');
    if (!c.authservId) ctx.log.warn('LICENSEDESK_AUTHSERV_ID is not set: senders are checked by address only (DSK-3)');
  }

  /** Finishes the jobs in hand, then stops. */
  async stop(): Promise<void> {
    await this.ingester?.stop();
    await Promise.all(this.workers.map((w) => w.close()));
    await closeDefaultParserPool();
  }
}
