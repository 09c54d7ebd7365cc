/**
 * A real three-master Redis Cluster on loopback, for the test that runs the
 * desk on a cluster (one hash tag per desk keeps it in one slot).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitFor } from '../../embedded/net.js';

const run = promisify(execFile);

export interface RunningCluster {
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

export async function startRedisCluster(masters = 3): Promise<RunningCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'ld-cluster-'));
  const ports: number[] = [];
  const procs: ChildProcess[] = [];
  for (let i = 0; i < masters; i++) {
    // Cluster nodes also use port + 10000 for their bus: pick ports that leave it free.
    let port = await freePort();
    while (port > 55000) port = await freePort();
    ports.push(port);
    procs.push(
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--dbfilename',
          `dump-${port}.rdb`,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '5000',
          '--appendonly',
          'yes',
          '--appendfilename',
          `aof-${port}.aof`,
          '--appenddirname',
          `aof-${port}`,
          '--maxmemory-policy',
          'noeviction',
          '--protected-mode',
          'no',
          '--save',
          '',
        ],
        { stdio: 'ignore' },
      ),
    );
  }
  for (const port of ports) {
    await waitFor(
      async () =>
        (await run('redis-cli', ['-p', String(port), 'ping']).catch(() => ({ stdout: '' }))).stdout.trim() === 'PONG',
      10_000,
      `cluster node ${port}`,
    );
  }
  await run('redis-cli', [
    '--cluster',
    'create',
    ...ports.map((p) => `127.0.0.1:${p}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ]);
  await waitFor(
    async () => {
      const out = await run('redis-cli', ['-p', String(ports[0]), 'cluster', 'info']).catch(() => ({ stdout: '' }));
      return out.stdout.includes('cluster_state:ok');
    },
    20_000,
    'cluster_state:ok',
  );
  return {
    url: `redis-cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    ports,
    async stop() {
      for (const p of procs) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
