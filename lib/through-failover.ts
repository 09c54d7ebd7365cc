/**
 * For the one write that must not be answered by a job retry: the outbox
 * record written after a mail went out. If Redis fails right then (a frozen
 * master times the write out, a killed one drops it), failing the job would
 * make its retry find no record on the promoted replica and send the mail a
 * second time. Instead the write is tried again in place for a few seconds,
 * which is how long the connection takes to reach the new master (Sentinel's
 * failover notice or the socket timeout move it). This is a reconnect wait,
 * not a business wait, so it is a short in-process loop and not a delayed job.
 */
import { isRedisOutageError } from './outage-log.js';

export async function retryThroughFailover<T>(
  write: () => Promise<T>,
  opts: { forMs: number; onError?: (e: unknown) => void },
): Promise<T> {
  const until = Date.now() + opts.forMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (e) {
      if (!isRedisOutageError(e) || Date.now() >= until) throw e;
      opts.onError?.(e);
      await new Promise((r) => setTimeout(r, Math.min(250 * (attempt + 1), 1_000)));
    }
  }
}
