/**
 * Webhook endpoints (docs/interfaces.md "Webhooks") and what became of their
 * deliveries: each endpoint's URL, the event types it takes (all when none
 * are named), its `whsec_` secret, and the first event it is owed (events
 * before it was added are not sent); per endpoint, its pending event ids, a
 * capped list of recent attempts, and counters.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DeskKeys } from './keys.js';

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** Event types it takes; null: every type. */
  events: string[] | null;
  secret: string;
  created: string;
  /** Events with a larger id are delivered to it. */
  afterEventId: string;
}

export interface DeliveryAttempt {
  eventId: string;
  attempt: number;
  at: string;
  ok: boolean;
  status: number | null;
  ms: number;
  error?: string;
}

export interface EndpointStats {
  delivered: number;
  failed: number;
  lastDeliveryAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  /** Since when every attempt failed (null: the last one went through). */
  failingSince: string | null;
}

/** Attempts kept per endpoint for `webhook deliveries`. */
export const ATTEMPTS_KEPT = 200;

export class WebhookStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
  ) {}

  async add(url: string, events: string[] | null, afterEventId: string, now: Date): Promise<WebhookEndpoint> {
    const e: WebhookEndpoint = {
      id: `wh_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      url,
      events,
      // Standard Webhooks: the key is base64 after `whsec_`.
      secret: `whsec_${randomBytes(24).toString('base64')}`,
      created: now.toISOString(),
      afterEventId,
    };
    await this.redis.hset(this.keys.webhooks(), e.id, JSON.stringify(e));
    return e;
  }

  async get(id: string): Promise<WebhookEndpoint | undefined> {
    const raw = await this.redis.hget(this.keys.webhooks(), id);
    return raw ? (JSON.parse(raw) as WebhookEndpoint) : undefined;
  }

  async list(): Promise<WebhookEndpoint[]> {
    return Object.values(await this.redis.hgetall(this.keys.webhooks()))
      .map((raw) => JSON.parse(raw) as WebhookEndpoint)
      .sort((a, b) => a.created.localeCompare(b.created));
  }

  async remove(id: string): Promise<boolean> {
    const k = this.keys;
    const res = await this.redis
      .multi()
      .hdel(k.webhooks(), id)
      .del(k.webhookPending(id), k.webhookAttempts(id), k.webhookStats(id))
      .exec();
    return Number(res?.[0]?.[1] ?? 0) === 1;
  }

  async stats(id: string): Promise<EndpointStats & { pending: number }> {
    const k = this.keys;
    const [s, pending] = await Promise.all([
      this.redis.hgetall(k.webhookStats(id)),
      this.redis.scard(k.webhookPending(id)),
    ]);
    return {
      delivered: Number(s.delivered ?? 0),
      failed: Number(s.failed ?? 0),
      lastDeliveryAt: s.lastDeliveryAt ?? null,
      lastStatus: s.lastStatus ? Number(s.lastStatus) : null,
      lastError: s.lastError ?? null,
      failingSince: s.failingSince ?? null,
      pending,
    };
  }

  async attempts(id: string, limit = ATTEMPTS_KEPT): Promise<DeliveryAttempt[]> {
    const rows = await this.redis.lrange(this.keys.webhookAttempts(id), 0, limit - 1);
    return rows.map((r) => JSON.parse(r) as DeliveryAttempt);
  }

  /** Notes that `eventId` is owed to the endpoint (its delivery job is queued). */
  async owe(id: string, eventId: string): Promise<void> {
    await this.redis.sadd(this.keys.webhookPending(id), eventId);
  }

  /**
   * Records one attempt. Answers when the endpoint started failing (the first
   * failed attempt since the last good one), or null after a good one.
   */
  async record(id: string, a: DeliveryAttempt): Promise<string | null> {
    const k = this.keys;
    const m = this.redis.multi();
    m.lpush(k.webhookAttempts(id), JSON.stringify(a));
    m.ltrim(k.webhookAttempts(id), 0, ATTEMPTS_KEPT - 1);
    m.hset(k.webhookStats(id), 'lastDeliveryAt', a.at, 'lastStatus', a.status === null ? '' : String(a.status));
    if (a.ok) {
      m.hincrby(k.webhookStats(id), 'delivered', 1);
      m.hdel(k.webhookStats(id), 'failingSince', 'lastError');
      m.srem(k.webhookPending(id), a.eventId);
    } else {
      m.hincrby(k.webhookStats(id), 'failed', 1);
      m.hset(k.webhookStats(id), 'lastError', a.error ?? '');
      m.hsetnx(k.webhookStats(id), 'failingSince', a.at);
    }
    m.hget(k.webhookStats(id), 'failingSince');
    const res = (await m.exec()) ?? [];
    const since = res[res.length - 1]?.[1];
    return a.ok ? null : typeof since === 'string' ? since : a.at;
  }

  /** Drops an event the endpoint will never get (the endpoint or the event is gone). */
  async forgive(id: string, eventId: string): Promise<void> {
    await this.redis.srem(this.keys.webhookPending(id), eventId);
  }
}
