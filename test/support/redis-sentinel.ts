/**
 * A real Redis master watched by a real Sentinel (`redis-server --sentinel`,
 * from the same Debian package), for the test that runs the desk through
 * Sentinel.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitFor } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';

export interface RunningSentinel {
  url: string;
  master: RunningRedis;
  stop(): Promise<void>;
}

export async function startRedisWithSentinel(name = 'ldmaster'): Promise<RunningSentinel> {
  const master = await startRedis();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ld-sentinel-'));
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      'protected-mode no',
      `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
      `sentinel down-after-milliseconds ${name} 5000`,
    ].join('\n'),
  );
  const proc: ChildProcess = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
  await waitFor(
    async () => {
      const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => undefined);
      try {
        await r.connect();
        const addr = (await r.call('SENTINEL', 'get-master-addr-by-name', name)) as string[] | null;
        return Array.isArray(addr) && addr[1] === String(master.port);
      } catch {
        return false;
      } finally {
        r.disconnect();
      }
    },
    15_000,
    'the sentinel to know the master',
  );
  return {
    url: `redis-sentinel://127.0.0.1:${port}/${name}`,
    master,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
      await master.stop();
    },
  };
}
