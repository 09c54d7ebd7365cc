/**
 * Redis's time by Lua script (BENCH_SCRIPTS=1): INFO commandstats lumps every
 * script under EVALSHA, so this records every command in the slow log for the
 * run (slowlog-log-slower-than 0) and sums EVALSHA's time by script. The
 * desk's own scripts are named from store/lua/; others (BullMQ's) by their
 * SHA, key count and first key with ids left out. Recording every command
 * costs Redis time and memory itself: a diagnosis, not part of the figures.
 */
import { createHash } from 'node:crypto';
import { withBenchRedis } from './bench-redis.js';
import { luaScripts } from '../store/lua-scripts.js';

const MAX_ENTRIES = 2_000_000;

export async function startScriptTimes(port: number): Promise<void> {
  await withBenchRedis(port, async (r) => {
    await r.config('SET', 'slowlog-max-len', String(MAX_ENTRIES));
    await r.config('SET', 'slowlog-log-slower-than', '0');
    await r.slowlog('RESET');
  });
}

export async function stopScriptTimes(port: number, cases: number, top = 12): Promise<string[]> {
  const entries = await withBenchRedis(port, async (r) => {
    await r.config('SET', 'slowlog-log-slower-than', '10000');
    const all = (await r.slowlog('GET', -1)) as Array<[number, number, number, string[]]>;
    await r.slowlog('RESET');
    await r.config('SET', 'slowlog-max-len', '128');
    return all;
  });
  const names = new Map(
    [...luaScripts().values()].map((s) => [createHash('sha1').update(s.lua).digest('hex'), s.name]),
  );
  const by = new Map<string, { calls: number; usec: number }>();
  for (const [, , usec, args] of entries) {
    if (String(args[0]).toLowerCase() !== 'evalsha') continue;
    const sha = String(args[1]);
    const firstKey = String(args[3] ?? '')
      .replace(/^\{[^}]*\}:?/, '')
      .replace(/\d{3,}/g, 'N');
    const label = names.get(sha) ?? `${sha.slice(0, 8)} ${args[2]} keys, ${firstKey}`;
    const row = by.get(label) ?? { calls: 0, usec: 0 };
    row.calls++;
    row.usec += usec;
    by.set(label, row);
  }
  const rows = [...by].sort((a, b) => b[1].usec - a[1].usec).slice(0, top);
  return [
    `  Redis time by Lua script (slow log of every command; ${entries.length} entries${entries.length >= MAX_ENTRIES ? ', full: the first ones are lost' : ''}):`,
    ...rows.map(
      ([label, v]) =>
        `    ${label.padEnd(56)}${(v.calls / cases).toFixed(1).padStart(6)} calls/case ${(v.usec / 1000 / cases).toFixed(2).padStart(7)} ms/case`,
    ),
  ];
}
