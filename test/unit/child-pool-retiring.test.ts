/**
 * When a pool child is retired (lib/isolation/child-pool.ts). A pool child that exits after its reply (a parse child after a failed allocation: the input was too large, and
 * the process is not to be trusted) must not be handed the next job in the moment between its reply and its exit.
 * A job sent then met a clean exit, which the pool could only answer as a crash: under load, a bomb PDF read after
 * another file in the same mail was answered E_PDF_CORRUPT instead of E_PDF_TOO_LARGE. A child whose heap has grown
 * past its bound is retired too, before what it holds makes an innocent input run out of memory.
 * Real child processes: the fixture imports the compiled dist/lib/isolation/child-serve.js, so run `npm run build`.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { ChildPool } from '../../lib/isolation/child-pool.js';

interface Echo {
  echo: string;
  pid: number;
}
type Outcome = Echo | { died: string };
type Input = string | Uint8Array;

const script = fileURLToPath(new URL('../fixtures/isolation/retiring-child.mjs', import.meta.url));
const pools: ChildPool<Input, Outcome>[] = [];
afterAll(() => Promise.all(pools.map((p) => p.close())));

function pool(maxHeapMb?: number): ChildPool<Input, Outcome> {
  const p = new ChildPool<Input, Outcome>({
    size: 1,
    maxJobsPerChild: 100,
    ...(maxHeapMb === undefined ? {} : { maxHeapMb }),
    startTimeoutMs: 20_000,
    closedMessage: 'closed',
    startFailedMessage: 'could not start',
    script: () => script,
    fork: (s) => fork(s, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' }),
    request: (id, input) => ({ id, input }),
    isResult: (x): x is Outcome => typeof x === 'object' && x !== null && 'echo' in x,
    timedOut: () => ({ died: 'timeout' }),
    badReply: () => ({ died: 'bad reply' }),
    died: (code, signal) => ({ died: `${signal ?? code}` }),
  });
  pools.push(p);
  return p;
}

describe('a retiring pool child', () => {
  it('DSK-6 the job queued behind a file that spent its child goes to a fresh child and is answered, not read as a crash', async () => {
    const p = pool();
    // One child, three jobs queued at once: the second is taken the moment the first is answered.
    const [spent, next, last] = await Promise.all([
      p.run('spent', 10_000),
      p.run('next', 10_000),
      p.run('last', 10_000),
    ]);
    expect(spent).toMatchObject({ echo: 'spent' });
    expect(next).toMatchObject({ echo: 'next' });
    expect(last).toMatchObject({ echo: 'last' });
    // The spent child did not read the next file: a fresh one did, and it stays for the one after.
    expect((next as Echo).pid).not.toBe((spent as Echo).pid);
    expect((last as Echo).pid).toBe((next as Echo).pid);
    expect(p.stats.forked).toBe(2);
  });

  it('DSK-6 many spent files in a row, each with a job behind it: every job is answered', async () => {
    const p = pool();
    const inputs = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 'spent' : `form-${i}`));
    const outcomes = await Promise.all(inputs.map((i) => p.run(i, 10_000)));
    expect(outcomes.map((o) => ('echo' in o ? o.echo : o.died))).toEqual(inputs);
  });

  it('DSK-6 a child whose heap after a job is over its bound is replaced: the next file is read by a fresh child', async () => {
    const p = pool(48);
    const first = await p.run('form-1', 10_000);
    const second = await p.run('form-2', 10_000);
    // A child that only reads keeps its heap small, and keeps reading.
    expect((second as Echo).pid).toBe((first as Echo).pid);
    const grown = await p.run('grow', 10_000);
    expect(grown).toMatchObject({ echo: 'grow', pid: (first as Echo).pid });
    const after = await p.run('form-3', 10_000);
    expect(after).toMatchObject({ echo: 'form-3' });
    expect((after as Echo).pid).not.toBe((grown as Echo).pid);
    expect(p.stats.forked).toBe(2);
  });

  it('DSK-6 a 20 MB input reaches its child whole, sent in parts, without holding the caller’s event loop', async () => {
    const p = pool();
    await p.run('warm', 10_000); // the child is up
    const bytes = new Uint8Array(20 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 251;
    let sum = 0;
    for (let i = 0; i < bytes.length; i += 4096) sum = (sum + bytes[i]!) % 65521;
    let maxGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 1);
    try {
      const got = await p.run(bytes, 10_000);
      expect(got).toMatchObject({ echo: `bytes ${bytes.length} ${sum}` });
    } finally {
      clearInterval(ticker);
    }
    // In one message its serialisation alone held the loop for some 65 ms.
    expect(maxGap).toBeLessThan(40);
  });
});
