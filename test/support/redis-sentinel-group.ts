/**
 * A real Redis master with two replicas, watched by three real Sentinels
 * (`redis-server --sentinel`, quorum 2), all on loopback, for the failover
 * tests. Each server is a child process of the test, so a test can SIGKILL or
 * SIGSTOP the master as a crash or a network partition would.
 *
 * Two replicas, not one: the desk may wait for one replica to hold a stored
 * mail before it leaves the INBOX (LICENSEDESK_REDIS_WAIT_REPLICAS=1); after a
 * failover the promoted replica still has one, as production should.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitFor } from '../../embedded/net.js';

export interface RedisNode {
  port: number;
  proc: ChildProcess;
  dir: string;
}

export interface SentinelGroup {
  /** LICENSEDESK_REDIS_URL for the desk. */
  url: string;
  name: string;
  nodes: RedisNode[];
  sentinelPorts: number[];
  /** The master's port as the first answering Sentinel says now. */
  masterPort(): Promise<number>;
  node(port: number): RedisNode;
  /** Polls the Sentinels until they name a master other than `oldPort`; returns when that was seen (ms since epoch). */
  waitForPromotion(oldPort: number, ms: number): Promise<{ at: number; port: number }>;
  stop(): Promise<void>;
}

const quiet = (r: Redis) => {
  r.on('error', () => undefined);
  return r;
};

async function ask<T>(port: number, f: (r: Redis) => Promise<T>): Promise<T> {
  const r = quiet(
    new Redis(port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1000,
      commandTimeout: 1000,
    }),
  );
  try {
    await r.connect();
    return await f(r);
  } finally {
    r.disconnect();
  }
}

async function startNode(replicaOf?: number): Promise<RedisNode> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ld-failover-redis-'));
  const args = [
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
    ...(replicaOf ? ['--replicaof', '127.0.0.1', String(replicaOf)] : []),
  ];
  const proc = spawn('redis-server', args, { stdio: 'ignore' });
  await waitFor(
    async () => {
      try {
        return (await ask(port, (r) => r.ping())) === 'PONG';
      } catch {
        return false;
      }
    },
    10_000,
    `redis-server on ${port}`,
  );
  return { port, proc, dir };
}

function exited(p: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve()),
  );
}

export async function startSentinelGroup(name = 'ldfailover'): Promise<SentinelGroup> {
  const master = await startNode();
  const replicas = [await startNode(master.port), await startNode(master.port)];
  const nodes = [master, ...replicas];
  await waitFor(
    async () => {
      try {
        const info = await ask(master.port, (r) => r.info('replication'));
        return /connected_slaves:2/.test(info) && (info.match(/state=online/g) ?? []).length === 2;
      } catch {
        return false;
      }
    },
    15_000,
    'both replicas to be in sync',
  );

  const sentinels: Array<{ port: number; proc: ChildProcess; dir: string }> = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'ld-failover-sentinel-'));
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        'protected-mode no',
        `sentinel monitor ${name} 127.0.0.1 ${master.port} 2`,
        // Down after 2 s of silence: a test-sized figure (production often uses 5-30 s).
        `sentinel down-after-milliseconds ${name} 2000`,
        `sentinel failover-timeout ${name} 10000`,
        `sentinel parallel-syncs ${name} 1`,
      ].join('\n'),
    );
    const proc = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    sentinels.push({ port, proc, dir });
  }
  // Each Sentinel must know the master, both replicas and the two other
  // Sentinels, or a failover cannot be authorised.
  for (const s of sentinels) {
    await waitFor(
      async () => {
        try {
          const m = (await ask(s.port, (r) => r.call('SENTINEL', 'master', name))) as string[];
          const f = Object.fromEntries(m.map((v, i) => (i % 2 === 0 ? [v, m[i + 1]] : [])).filter((e) => e.length));
          return f['num-slaves'] === '2' && f['num-other-sentinels'] === '2';
        } catch {
          return false;
        }
      },
      30_000,
      `sentinel ${s.port} to know both replicas and the other sentinels`,
    );
  }

  const masterPort = async () => {
    for (const s of sentinels) {
      try {
        const addr = (await ask(s.port, (r) => r.call('SENTINEL', 'get-master-addr-by-name', name))) as string[];
        return Number(addr[1]);
      } catch {
        /* ask the next */
      }
    }
    throw new Error('no sentinel answered');
  };

  return {
    url: `redis-sentinel://${sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/${name}`,
    name,
    nodes,
    sentinelPorts: sentinels.map((s) => s.port),
    masterPort,
    node(port) {
      const n = nodes.find((x) => x.port === port);
      if (!n) throw new Error(`no redis node on ${port}`);
      return n;
    },
    async waitForPromotion(oldPort, ms) {
      const until = Date.now() + ms;
      for (;;) {
        const p = await masterPort().catch(() => oldPort);
        if (p !== oldPort) return { at: Date.now(), port: p };
        if (Date.now() > until) throw new Error(`no sentinel promoted a replica within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      for (const p of [...sentinels.map((s) => s.proc), ...nodes.map((n) => n.proc)]) {
        // A stopped process must be continued before it can act on SIGKILL's exit.
        p.kill('SIGCONT');
        p.kill('SIGKILL');
      }
      await Promise.all([...sentinels.map((s) => exited(s.proc)), ...nodes.map((n) => exited(n.proc))]);
      for (const d of [...sentinels.map((s) => s.dir), ...nodes.map((n) => n.dir)])
        rmSync(d, { recursive: true, force: true });
    },
  };
}
