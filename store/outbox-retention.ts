/**
 * Outbox records (one per mail the desk sent or chose not to send) are kept
 * for the retention period, then deleted by the sweep through their
 * time-scored index, so the outbox does not grow without end.
 */
import type { Redis } from 'ioredis';
import type { DeskKeys } from './keys.js';

/** Deletes outbox records written before `before` (at most `limit` a call); returns how many. */
export async function trimOutbox(redis: Redis, keys: DeskKeys, before: Date, limit = 1000): Promise<number> {
  const ids = await redis.zrangebyscore(keys.outboxAll(), '-inf', `(${before.getTime()}`, 'LIMIT', 0, limit);
  if (ids.length === 0) return 0;
  const multi = redis.multi();
  for (const id of ids) multi.del(keys.outbox(id));
  multi.zrem(keys.outboxAll(), ...ids);
  await multi.exec();
  return ids.length;
}
