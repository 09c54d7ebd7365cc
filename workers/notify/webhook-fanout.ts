/**
 * Turns each new event into one delivery job per endpoint that takes it. The
 * event log is read through a Redis consumer group, so any number of notify
 * processes share the work and an event is acknowledged only once its jobs
 * are queued: a process killed in between leaves the event pending, and
 * another process claims it again (a job id per endpoint and event makes a
 * second fan-out queue nothing twice).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { decodeEvent } from '../../store/event-log.js';
import { WebhookStore, type WebhookEndpoint } from '../../store/webhook-store.js';
import type { DeskContext } from '../desk/context.js';
import { jobIds, QUEUES, type WebhookJob } from '../desk/queues.js';
import { webhookJobRetry } from './webhook-retry.js';

export const FANOUT_GROUP = 'webhooks';
/** A pending event no consumer acknowledged for this long is taken over (its consumer died). */
const CLAIM_IDLE_MS = 30_000;
const BATCH = 100;

/** `a` after `b` in stream order. */
function after(a: string, b: string): boolean {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am > bm || (am === bm && as > bs);
}

export const takes = (e: WebhookEndpoint, event: { id: string; type: string }): boolean =>
  after(event.id, e.afterEventId) && (e.events === null || e.events.includes(event.type));

export class WebhookFanout {
  private running = false;
  private loop?: Promise<void>;
  private conn?: Redis;
  private readonly consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;

  constructor(private readonly ctx: DeskContext) {}

  start(): void {
    this.running = true;
    this.conn = this.ctx.connection();
    this.loop = this.run().catch((e: unknown) =>
      this.ctx.log.error({ err: e instanceof Error ? e.message : String(e) }, 'webhook fan-out stopped'),
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async ensureGroup(): Promise<void> {
    try {
      // From the log's start: each endpoint says from which event on it is owed anything.
      await this.conn!.xgroup('CREATE', this.ctx.keys.events(), FANOUT_GROUP, '0', 'MKSTREAM');
    } catch (e) {
      if (!(e instanceof Error && /BUSYGROUP/.test(e.message))) throw e;
    }
  }

  private async run(): Promise<void> {
    const key = this.ctx.keys.events();
    let grouped = false;
    let nextClaim = 0;
    while (this.running) {
      try {
        if (!grouped) {
          await this.ensureGroup();
          grouped = true;
        }
        if (Date.now() >= nextClaim) {
          nextClaim = Date.now() + CLAIM_IDLE_MS / 3;
          const claimed = (await this.conn!.xautoclaim(
            key,
            FANOUT_GROUP,
            this.consumer,
            CLAIM_IDLE_MS,
            '0-0',
            'COUNT',
            BATCH,
          )) as [string, Array<[string, string[]] | null>];
          await this.fanOut(claimed[1].filter((r): r is [string, string[]] => r !== null));
        }
        const res = (await this.conn!.xreadgroup(
          'GROUP',
          FANOUT_GROUP,
          this.consumer,
          'COUNT',
          BATCH,
          'BLOCK',
          1000,
          'STREAMS',
          key,
          '>',
        )) as Array<[string, Array<[string, string[]]>]> | null;
        await this.fanOut(res?.[0]?.[1] ?? []);
      } catch (e) {
        // Redis away (a failover): wait and read again; pending events are claimed again later.
        if (/NOGROUP/.test(String(e))) grouped = false;
        this.ctx.outage.report('webhook fan-out', e as Error);
        await new Promise((r) => setTimeout(r, 1000).unref());
      }
    }
  }

  private async fanOut(rows: Array<[string, string[]]>): Promise<void> {
    if (rows.length === 0) return;
    const store = new WebhookStore(this.ctx.redis, this.ctx.keys);
    const endpoints = await store.list();
    const retry = webhookJobRetry(this.ctx.config.webhookRetryBaseMs);
    for (const [id, fields] of rows) {
      const event = decodeEvent(id, fields);
      if (event) {
        for (const e of endpoints.filter((ep) => takes(ep, event))) {
          await store.owe(e.id, id);
          const job: WebhookJob = { endpointId: e.id, eventId: id };
          await this.ctx.queues[QUEUES.notify].add('webhook', job, {
            jobId: jobIds.webhook(e.id, id),
            ...retry,
            removeOnComplete: { age: 7 * 86_400 },
            removeOnFail: { age: 30 * 86_400 },
          });
        }
      }
    }
    // Acknowledged together once every event of the batch is handed on: one XACK, not one an event. Events of a
    // batch cut short are claimed again, and handing one on twice adds nothing (deterministic job ids).
    await this.conn!.xack(this.ctx.keys.events(), FANOUT_GROUP, ...rows.map(([id]) => id));
  }
}
