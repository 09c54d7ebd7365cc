/**
 * One short-lived connection to the bench's own redis-server, for the
 * readings (INFO, CONFIG, SLOWLOG) taken before and after a run; closed
 * whatever happens, so a failed reading never keeps the bench alive.
 */
import { Redis } from 'ioredis';

export async function withBenchRedis<T>(port: number, use: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis(port, '127.0.0.1');
  try {
    return await use(r);
  } finally {
    r.disconnect();
  }
}
