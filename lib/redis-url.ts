/**
 * LICENSEDESK_REDIS_URL forms: one server (`redis://`, `rediss://`), a Redis
 * Cluster (`redis-cluster://host:port,host:port`, `rediss-cluster://` for
 * TLS) or Sentinel (`redis-sentinel://[:password@]host:port,host:port/MASTER`,
 * `rediss-sentinel://` for TLS to the Sentinels and the servers alike). Every
 * key of a desk shares one hash tag, so a desk lives in one Cluster slot.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { keepConnected } from './connection-keeper.js';
import {
  connectionOptions,
  reconnectDelayMs,
  sentinelTlsOptions,
  type ConnectionUse,
} from './redis-connection-options.js';

export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: Array<{ host: string; port: number }>; password?: string; tls: boolean }
  | {
      kind: 'sentinel';
      sentinels: Array<{ host: string; port: number }>;
      name: string;
      password?: string;
      tls: boolean;
    };

type SentinelTarget = Extract<RedisTarget, { kind: 'sentinel' }>;

const hostPorts = (list: string, defaultPort: number) =>
  list
    .split(',')
    .filter(Boolean)
    .map((hp) => {
      const [host, port] = hp.split(':');
      return { host: host!, port: port ? Number(port) : defaultPort };
    });

export function parseRedisUrl(url: string): RedisTarget {
  const m = /^(redis-cluster|rediss-cluster|redis-sentinel|rediss-sentinel):\/\/(?:([^@/]*)@)?([^/]+)(?:\/(.*))?$/.exec(
    url,
  );
  if (!m) return { kind: 'single', url };
  const auth = m[2] ? decodeURIComponent(m[2].replace(/^[^:]*:/, '')) : undefined;
  if (m[1] === 'redis-sentinel' || m[1] === 'rediss-sentinel') {
    if (!m[4])
      throw new Error(`${m[1]}:// needs the master name as its path, e.g. ${m[1]}://s1:26379,s2:26379/mymaster`);
    return {
      kind: 'sentinel',
      sentinels: hostPorts(m[3]!, 26379),
      name: decodeURIComponent(m[4]),
      password: auth,
      tls: m[1] === 'rediss-sentinel',
    };
  }
  return { kind: 'cluster', nodes: hostPorts(m[3]!, 6379), password: auth, tls: m[1] === 'rediss-cluster' };
}

/**
 * A connection for the desk and BullMQ. A Cluster client speaks the same
 * commands for keys of one slot, which is all the desk uses, so it is typed
 * as a Redis client here. How it behaves when Redis fails (timeouts, Sentinel
 * failover detection, reconnects) is set in redis-connection-options.ts.
 */
export function connectRedis(url: string, use: ConnectionUse = 'shared'): Redis {
  const t = parseRedisUrl(url);
  switch (t.kind) {
    case 'single':
      return keepConnected(new Redis(url, connectionOptions(use, false)));
    case 'sentinel':
      return keepConnected(new Redis(sentinelClientOptions(t, use)));
    case 'cluster': {
      // The Cluster client makes its node connections itself, so none is lazy.
      const { lazyConnect: _lazy, ...redisOptions } = connectionOptions(use, false);
      return new Cluster(t.nodes, {
        redisOptions: { ...redisOptions, password: t.password, ...(t.tls ? { tls: {} } : {}) },
        clusterRetryStrategy: reconnectDelayMs,
        enableOfflineQueue: true,
      }) as unknown as Redis;
    }
  }
}

/** The ioredis options of a Sentinel URL: the Sentinels, the master's name and password, and TLS when asked for. */
export function sentinelClientOptions(t: SentinelTarget, use: ConnectionUse = 'shared'): RedisOptions {
  return {
    ...connectionOptions(use, true),
    sentinels: t.sentinels,
    name: t.name,
    password: t.password,
    ...sentinelTlsOptions(t.tls),
  };
}
