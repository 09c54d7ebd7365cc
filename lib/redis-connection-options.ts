/**
 * How every Redis connection of the desk behaves when Redis fails, in one
 * place, with the reason for each setting. Two uses:
 *
 * - `shared`: the desk's own connection (stores, Lua commits, the BullMQ
 *   Queues that add jobs, the console, the CLI). Nothing on it blocks, so every
 *   command may carry a timeout.
 * - `worker`: the connection handed to a BullMQ Worker, which duplicates it for
 *   its own commands and for its blocking BZPOPMIN. A command timeout there
 *   would cut the blocking wait, so it has none; BullMQ's own watchdog on the
 *   blocking wait and Sentinel's failover notice move it instead.
 *
 * Guidance followed: BullMQ "Going to production" (automatic reconnections:
 * retryStrategy, maxRetriesPerRequest, enableOfflineQueue), ioredis Sentinel
 * options (failoverDetector), and the BullMQ reports of workers that stop for
 * good after a Sentinel failover (taskforcesh/bullmq #3088, #2964, #4378; the
 * fix of #4378 ships in the bullmq this desk uses).
 */
import type { RedisOptions } from 'ioredis';

export type ConnectionUse = 'shared' | 'worker';

/**
 * A command on the shared connection that gets no answer in this time fails
 * (its job is retried, its CLI command exits with the error) instead of
 * waiting on a frozen or partitioned master forever. Five seconds is far above
 * any desk command (the Lua commit takes well under a millisecond) and above
 * the longest WAIT the desk may send (LICENSEDESK_REDIS_WAIT_MS is capped
 * below it).
 */
export const COMMAND_TIMEOUT_MS = 5_000;

/** The longest LICENSEDESK_REDIS_WAIT_MS allowed: a WAIT must end before the command timeout. */
export const MAX_WAIT_MS = COMMAND_TIMEOUT_MS - 1_000;

/** Reconnect delays: quick while Sentinel promotes a replica (seconds), never more often than every 2 s after. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt, 5), 2_000) + Math.floor(Math.random() * 100);
}

export function connectionOptions(use: ConnectionUse, sentinel: boolean): RedisOptions {
  const common: RedisOptions = {
    // A dead or unreachable host fails a connection attempt in 3 s, not ioredis'
    // default 10 s, so a reconnect moves on (and asks Sentinel again) sooner.
    connectTimeout: 3_000,
    // TCP keep-alive from 5 s of silence: idle connections (a worker waiting for
    // jobs) stay open through NATs and firewalls and a vanished peer is found by
    // the kernel. It is not the failover signal: that is below.
    keepAlive: 5_000,
    // Reconnect forever (a desk process outlives any Redis outage), quickly at
    // first, then every 2 s: a failover is over in seconds, and a long outage
    // costs one attempt every 2 s per connection, not a storm.
    retryStrategy: reconnectDelayMs,
    // BullMQ requires null for the connections its Workers block on, and it is
    // also right for the shared connection: a command then waits out a
    // reconnect instead of failing after N reconnects; on the shared connection
    // COMMAND_TIMEOUT_MS bounds that wait.
    maxRetriesPerRequest: null,
    // Commands issued while reconnecting wait in ioredis' offline queue. BullMQ
    // requires this for Workers. For the shared connection BullMQ suggests
    // failing fast for producers behind an HTTP call; the desk's producers are
    // jobs and the ingester, which retry anyway, so a command waits (at most
    // COMMAND_TIMEOUT_MS) for the seconds a failover takes rather than turning
    // each one into a failed job. /health has its own 1 s bound.
    enableOfflineQueue: true,
    enableReadyCheck: true,
    // After a failover a connection that still reaches the old master (demoted to
    // a replica once it is back) gets READONLY on writes: reconnect, which asks
    // Sentinel for the new master, and resend the command there.
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
  };
  const sentinelOptions: RedisOptions = sentinel
    ? {
        // Subscribe to +switch-master on the Sentinels: when Sentinel promotes a
        // replica, every connection to the old master is dropped at once and
        // reconnects to the new one. Without it ioredis learns of a failover only
        // when the old master closes the socket, which a frozen or partitioned
        // master never does (75 s of silence until it was killed).
        failoverDetector: true,
        // A Sentinel that does not answer does not hold up finding the master.
        sentinelCommandTimeout: 2_000,
        // All Sentinels unreachable: ask again every 0.5-2 s.
        sentinelRetryStrategy: (times: number) => Math.min(500 * times, 2_000),
        // sentinelReconnectStrategy stays ioredis' default (a failover-detector
        // connection to a Sentinel that went away is retried every minute): the
        // other Sentinels still announce failovers, and ioredis gives those
        // internal connections no error listener, so each retry of a dead
        // Sentinel prints one non-JSON "[ioredis] Unhandled error event" line.
      }
    : {};
  if (use === 'worker') {
    // No commandTimeout and no socketTimeout: BullMQ duplicates this connection
    // for its blocking BZPOPMIN, which legitimately waits seconds for a job.
    // lazyConnect: BullMQ only uses the duplicates it makes, so the original
    // never needs a socket of its own.
    return { ...common, ...sentinelOptions, lazyConnect: true };
  }
  return {
    ...common,
    ...sentinelOptions,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // A socket that owes replies and receives nothing for this long is dropped
    // and reconnected (through Sentinel, to whichever server is master now):
    // the way out of a frozen master when no +switch-master arrives, e.g. a
    // Sentinel promoted the replica before this connection subscribed.
    socketTimeout: COMMAND_TIMEOUT_MS,
  };
}

/**
 * `rediss-sentinel://`: TLS to the Sentinels (`sentinelTLS`) and to the
 * master and replicas they name (`tls`, which ioredis applies in Sentinel
 * mode only with `enableTLSForSentinelMode`). Certificates are checked
 * against the system's trusted CAs and the host names the Sentinels give,
 * as `rediss://` does; without these a Sentinel URL could not use TLS at all.
 */
export function sentinelTlsOptions(tls: boolean): RedisOptions {
  return tls ? { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true } : {};
}
