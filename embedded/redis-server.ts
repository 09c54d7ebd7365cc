/**
 * A real redis-server per test run, on a free loopback port with its own data
 * folder, configured as production is (AOF on, noeviction).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitFor } from './net.js';

export interface RunningRedis {
  url: string;
  port: number;
  dir: string;
  /** Stops the server (SHUTDOWN, so AOF is flushed) and keeps or removes the folder. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
  /** Restarts on the same port and data folder (proves AOF durability). */
  restart(): Promise<void>;
}

export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ld-redis-'));
  let proc: ChildProcess | undefined;
  const launch = async () => {
    proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        '--protected-mode',
        'no',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      async () => {
        const r = new Redis(port, '127.0.0.1', {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        r.on('error', () => {
          /* refused while the server starts */
        });
        try {
          await r.connect();
          return (await r.ping()) === 'PONG';
        } catch {
          return false;
        } finally {
          r.disconnect();
        }
      },
      10_000,
      'redis-server to accept connections',
    );
  };
  const shutdown = async () => {
    const r = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => {
      /* the server closes the connection as it exits */
    });
    try {
      await r.call('SHUTDOWN');
    } catch {
      /* the connection closes as the server exits */
    }
    r.disconnect();
    // This process, not whatever `proc` points to later: after a restart the
    // fallback kill must never reach the new server.
    const dying = proc;
    await new Promise<void>((resolve) => {
      if (!dying || dying.exitCode !== null) return resolve();
      const timer = setTimeout(() => {
        dying.kill('SIGKILL');
        resolve();
      }, 5000);
      timer.unref();
      dying.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async stop(opts) {
      await shutdown();
      if (!opts?.keepData) rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await shutdown();
      await launch();
    },
  };
}
