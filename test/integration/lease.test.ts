/**
 * The ingest lease (store/lua/renewLease-1.lua, releaseLease-1.lua) on a real
 * Redis: only the holder renews or releases it.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Lease } from '../../workers/desk/lease.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';

let server: RunningRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

it('only the holder renews or releases the lease; a standby takes it once it is released', async () => {
  const key = `{lease-${randomUUID()}}:lease`;
  const holder = new Lease(redis, key, 5_000);
  const standby = new Lease(redis, key, 5_000);
  expect(await holder.acquire()).toBe(true);
  expect(await standby.acquire()).toBe(false);
  expect(await standby.renew()).toBe(false);
  await standby.release();
  expect(await redis.get(key)).toBe(holder.token);
  await redis.pexpire(key, 100);
  expect(await holder.renew()).toBe(true);
  expect(await redis.pttl(key)).toBeGreaterThan(4_000);
  await holder.release();
  expect(await redis.exists(key)).toBe(0);
  expect(await standby.acquire()).toBe(true);
  expect(await holder.renew()).toBe(false);
});
