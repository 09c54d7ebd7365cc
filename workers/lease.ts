/**
 * A lease in Redis that one process holds at a time (the mailbox's ingester).
 * The holder renews it well before it expires; when the holder dies, the
 * lease runs out and a standby takes it. Only the holder's token can renew or
 * release it, so a paused process that lost the lease cannot steal it back.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export class Lease {
  readonly token = randomUUID();

  constructor(private readonly redis: Redis, readonly key: string, readonly ttlMs: number) {}

  async acquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  async renew(): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key, this.token, String(this.ttlMs))) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }

  async holder(): Promise<string | null> {
    return this.redis.get(this.key);
  }
}
