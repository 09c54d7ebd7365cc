/**
 * LICENSEDESK_REDIS_URL forms: one server (`redis://`, `rediss://`), a Redis
 * Cluster (`redis-cluster://host:port,host:port`) or Sentinel
 * (`redis-sentinel://[:password@]host:port,host:port/MASTER`). Every key of a
 * desk shares one hash tag, so a desk lives in one Cluster slot.
 */
import { Cluster, Redis } from 'ioredis';

export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: Array<{ host: string; port: number }>; password?: string; tls: boolean }
  | { kind: 'sentinel'; sentinels: Array<{ host: string; port: number }>; name: string; password?: string };

const hostPorts = (list: string, defaultPort: number) =>
  list.split(',').filter(Boolean).map((hp) => {
    const [host, port] = hp.split(':');
    return { host: host!, port: port ? Number(port) : defaultPort };
  });

export function parseRedisUrl(url: string): RedisTarget {
  const m = /^(redis-cluster|rediss-cluster|redis-sentinel):\/\/(?:([^@/]*)@)?([^/]+)(?:\/(.*))?$/.exec(url);
  if (!m) return { kind: 'single', url };
  const auth = m[2] ? decodeURIComponent(m[2].replace(/^[^:]*:/, '')) : undefined;
  if (m[1] === 'redis-sentinel') {
    if (!m[4]) throw new Error('redis-sentinel:// needs the master name as its path, e.g. redis-sentinel://s1:26379,s2:26379/mymaster');
    return { kind: 'sentinel', sentinels: hostPorts(m[3]!, 26379), name: decodeURIComponent(m[4]), password: auth };
  }
  return { kind: 'cluster', nodes: hostPorts(m[3]!, 6379), password: auth, tls: m[1] === 'rediss-cluster' };
}

/**
 * A connection for the desk and BullMQ. A Cluster client speaks the same
 * commands for keys of one slot, which is all the desk uses, so it is typed
 * as a Redis client here.
 */
export function connectRedis(url: string): Redis {
  // maxRetriesPerRequest null: BullMQ's blocking commands must wait out a reconnect.
  const base = { maxRetriesPerRequest: null, enableReadyCheck: true } as const;
  const t = parseRedisUrl(url);
  switch (t.kind) {
    case 'single':
      return new Redis(url, base);
    case 'sentinel':
      return new Redis({ ...base, sentinels: t.sentinels, name: t.name, password: t.password });
    case 'cluster':
      return new Cluster(t.nodes, {
        redisOptions: { ...base, password: t.password, ...(t.tls ? { tls: {} } : {}) },
      }) as unknown as Redis;
  }
}
