/**
 * One record per mail the desk means to send. A job retried after the mail
 * went out finds the record `sent` and sends nothing twice; the record also
 * keeps what was sent, for reps and for audits.
 */
import type { Redis } from 'ioredis';
import type { DeskKeys } from './keys.js';
import { runLua } from './lua-scripts.js';

export interface OutboxRecord {
  mailId: string;
  kind: string;
  status: 'sent' | 'suppressed';
  to: string[];
  subject: string;
  messageId: string;
  caseNumber?: string;
  at: string;
  reason?: string;
  /** The text part as rendered, for reps (kept as long as the record). */
  text?: string;
}

export class Outbox {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
  ) {}

  async get(mailId: string): Promise<OutboxRecord | undefined> {
    const v = await this.redis.hget(this.keys.outbox(mailId), 'record');
    return v ? (JSON.parse(v) as OutboxRecord) : undefined;
  }

  async record(r: OutboxRecord): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.outbox(r.mailId), 'record', JSON.stringify(r))
      .zadd(this.keys.outboxAll(), String(Date.parse(r.at)), r.mailId)
      .exec();
  }

  /**
   * Holds a place for mail `mailId` among the automatic answers to `address`
   * in the hour of `at`; false when `limit` other mails have places. The same
   * mail id always finds its own place again, so a retried attempt never
   * counts twice; a failed attempt gives its place back (releaseReplySlot), so
   * the limit counts mails sent, not attempts.
   */
  async holdReplySlot(address: string, mailId: string, at: Date, limit: number): Promise<boolean> {
    const key = this.keys.replyMails(address.toLowerCase(), at.toISOString().slice(0, 13));
    const held = Number(await runLua(this.redis, 'holdReplySlot', [key], [mailId, String(limit), '7200']));
    return held === 1;
  }

  async releaseReplySlot(address: string, mailId: string, at: Date): Promise<void> {
    await this.redis.srem(this.keys.replyMails(address.toLowerCase(), at.toISOString().slice(0, 13)), mailId);
  }

  /** When sending `mailId` first failed (set by the first failure, kept with the record). */
  async firstFailure(mailId: string, at: Date): Promise<Date> {
    const key = this.keys.outbox(mailId);
    const [, [, first]] = (await this.redis
      .multi()
      .hsetnx(key, 'firstFailedAt', at.toISOString())
      .hget(key, 'firstFailedAt')
      .exec()) as [unknown, [unknown, string]];
    return new Date(first);
  }

  /** Not mailed again for `days` (a hard bounce). */
  async suppress(address: string, at: Date, reason: string, days = 7): Promise<void> {
    await this.redis.set(
      this.keys.suppressed(address.toLowerCase()),
      JSON.stringify({ at: at.toISOString(), reason }),
      'EX',
      days * 86400,
    );
  }

  async suppressedReason(address: string): Promise<string | undefined> {
    const v = await this.redis.get(this.keys.suppressed(address.toLowerCase()));
    return v ? (JSON.parse(v) as { reason: string }).reason : undefined;
  }

  async list(): Promise<OutboxRecord[]> {
    const ids = await this.redis.zrange(this.keys.outboxAll(), '0', '-1');
    const out: OutboxRecord[] = [];
    for (const id of ids) {
      const r = await this.get(String(id));
      if (r) out.push(r);
    }
    return out;
  }
}
