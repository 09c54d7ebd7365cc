/**
 * Keeps a Redis connection (and every duplicate BullMQ makes of it) connected
 * until the desk itself closes it.
 *
 * Why: with Sentinel's `failoverDetector` (redis-connection-options.ts),
 * ioredis 6 can leave a connection in its terminal `end` state. When a master
 * dies, the connection starts reconnecting through the Sentinels; the failover
 * detector of the dead connection is still subscribed, and when Sentinel
 * announces the promotion (+switch-master) it aborts that reconnect midway,
 * which ioredis treats as final: the connection never reconnects and fails
 * every command with "Connection is closed". Seen in this repository's
 * failover test (master SIGKILLed: no case moved again) and alike in
 * taskforcesh/bullmq #4378 for BullMQ's own watchdog. A connection that ends
 * although nobody closed it is connected again here.
 *
 * "Closed by the desk" is told apart by wrapping `disconnect()` and `quit()`:
 * BullMQ and the desk close connections only through them, while the abort
 * above goes through ioredis' connector.
 */
import type { Redis } from 'ioredis';
import { reconnectDelayMs } from './redis-connection-options.js';

const KEPT = Symbol('licensedesk.kept');

export function keepConnected<T extends Redis>(c: T): T {
  const marked = c as T & { [KEPT]?: boolean };
  if (marked[KEPT]) return c;
  marked[KEPT] = true;
  let closedByUs = false;
  let attempts = 0;
  const disconnect = c.disconnect.bind(c);
  c.disconnect = (reconnect?: boolean) => {
    if (!reconnect) closedByUs = true;
    return disconnect(reconnect);
  };
  const quit = c.quit.bind(c) as (...a: unknown[]) => Promise<'OK'>;
  (c as unknown as { quit: (...a: unknown[]) => Promise<'OK'> }).quit = (...a: unknown[]) => {
    closedByUs = true;
    return quit(...a);
  };
  c.on('ready', () => {
    attempts = 0;
  });
  c.on('end', () => {
    if (closedByUs) return;
    const t = setTimeout(() => {
      if (closedByUs || c.status !== 'end') return;
      c.connect().catch(() => undefined); // a failure ends it again, and this runs again
    }, reconnectDelayMs(attempts++));
    t.unref();
  });
  // BullMQ's Workers run on duplicates of the connection they are given.
  const duplicate = c.duplicate.bind(c) as (...a: unknown[]) => Redis;
  (c as unknown as { duplicate: (...a: unknown[]) => Redis }).duplicate = (...a: unknown[]) =>
    keepConnected(duplicate(...a));
  return c;
}
