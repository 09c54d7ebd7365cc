/**
 * A test file's two Redis topologies: one server and a three-node Cluster,
 * each with one client, started before the file's tests and stopped after.
 * For tests that prove a store's scripts and keys behave the same on both.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { connectRedis } from '../../lib/redis-url.js';
import { startRedisCluster, type RunningCluster } from './redis-cluster.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';

export interface SingleAndCluster {
  /** The client of the single server (valid once the file's tests run). */
  single(): Redis;
  /** The Cluster client. */
  clustered(): Redis;
}

export function useSingleAndClusterRedis(): SingleAndCluster {
  let server: RunningRedis | undefined;
  let cluster: RunningCluster | undefined;
  let single: Redis | undefined;
  let clustered: Redis | undefined;
  beforeAll(async () => {
    [server, cluster] = await Promise.all([startRedis(), startRedisCluster()]);
    single = connectRedis(server.url);
    clustered = connectRedis(cluster.url);
  }, 90_000);
  afterAll(async () => {
    single?.disconnect();
    clustered?.disconnect();
    await Promise.all([server?.stop(), cluster?.stop()]);
  });
  return { single: () => single!, clustered: () => clustered! };
}
