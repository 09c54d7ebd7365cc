/**
 * A lease in Redis that one process holds at a time (the mailbox's ingester).
 * The holder renews it well before it expires; when the holder dies, the
 * lease runs out and a standby takes it. Only the holder's token can renew or
 * release it, so a paused process that lost the lease cannot steal it back.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { runLua } from '../../store/lua-scripts.js';

export class Lease {
  readonly token = randomUUID();

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly ttlMs: number,
  ) {}

  async acquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  async renew(): Promise<boolean> {
    return (await runLua(this.redis, 'renewLease', [this.key], [this.token, String(this.ttlMs)])) === 1;
  }

  async release(): Promise<void> {
    await runLua(this.redis, 'releaseLease', [this.key], [this.token]);
  }

  async holder(): Promise<string | null> {
    return this.redis.get(this.key);
  }
}
