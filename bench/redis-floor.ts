/**
 * The Redis floor: how many simple operations a second this machine's
 * redis-server takes from one Node client, pipelined (the server's own cost)
 * and one at a time (a round trip each, as a worker's sequential calls pay).
 */
import { performance } from 'node:perf_hooks';
import { withBenchRedis } from './bench-redis.js';
import { commandStats } from './command-stats.js';

export async function redisFloor(port: number): Promise<{ pipelinedOpsPerSec: number; roundTripOpsPerSec: number }> {
  return withBenchRedis(port, async (r) => {
    const N = 50_000;
    let t = performance.now();
    for (let i = 0; i < N; i += 500) {
      const p = r.pipeline();
      for (let j = i; j < i + 500; j++) p.set(`floor:${j}`, 'x', 'EX', 60);
      await p.exec();
    }
    const pipelinedOpsPerSec = N / ((performance.now() - t) / 1000);
    const M = 5_000;
    t = performance.now();
    for (let i = 0; i < M; i++) await r.get(`floor:${i}`);
    const roundTripOpsPerSec = M / ((performance.now() - t) / 1000);
    return { pipelinedOpsPerSec, roundTripOpsPerSec };
  });
}

/** Total calls of every command so far (INFO commandstats). */
export async function commandCalls(port: number): Promise<number> {
  return [...(await commandStats(port)).values()].reduce((a, c) => a + c.calls, 0);
}
