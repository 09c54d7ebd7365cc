/**
 * `npm run bench`: every goal the desk's speed is held against, in one run,
 * each phase on fresh servers (run.ts, memory.ts), then one table of figure
 * against goal. The phases:
 *   1. the drain: BENCH_CASES (default 600) cases pre-loaded in the mailbox,
 *      then 20 one at a time (the idle desk); the floor is measured here;
 *   2. paced at 20 and 50 cases a second (latency APPEND → partner mail);
 *   3. the same drain with a registry and a history 100 times the drain's
 *      cases (cost per case as the desk's past grows);
 *   4. memory: BENCH_MEMORY_CASES (default 20,000) cases through one desk
 *      process, its RSS after them against after 2,000.
 * BENCH_QUICK=1 runs every phase smaller (a check that the bench works, not
 * figures to report). BENCH_ONLY=drain,paced,history,memory runs some.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const QUICK = process.env.BENCH_QUICK === '1';
const CASES = Number(process.env.BENCH_CASES ?? (QUICK ? 150 : 600));
const MEMORY_CASES = Number(process.env.BENCH_MEMORY_CASES ?? (QUICK ? 2_500 : 20_000));
const ONLY = new Set((process.env.BENCH_ONLY ?? 'drain,paced,history,memory').split(','));
const out = (s = '') => process.stdout.write(`${s}\n`);

type Figures = Record<string, unknown> & {
  casesPerSec?: number;
  deskCpuMsPerCase?: number;
  floorMs?: number;
  redisCpuMsPerCase?: number;
  redisCommandsPerCase?: number;
  redisCommandFloor?: number;
  cpuMsPerCase?: Record<string, number>;
  latencyMs?: { p50: number; p95: number; p99: number };
};

function phase(script: string, label: string, env: Record<string, string>): Figures | undefined {
  const json = `/tmp/licensedesk-bench-${process.pid}-${label.replace(/\W+/g, '-')}.json`;
  out(`\n=== ${label} ===`);
  const r = spawnSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], {
    env: { ...process.env, ...env, BENCH_JSON: json },
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    out(`  (${label} failed: exit ${r.status})`);
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(json, 'utf8')) as Figures;
  } finally {
    rmSync(json, { force: true });
  }
}

const drainEnv = { BENCH_CASES: String(CASES), BENCH_RATE: '0' };
const drain = ONLY.has('drain') ? phase('./run.js', 'the drain', { ...drainEnv, BENCH_IDLE: '20' }) : undefined;
const paced20 = ONLY.has('paced')
  ? phase('./run.js', 'paced at 20 a second', { BENCH_CASES: String(CASES), BENCH_RATE: '20', BENCH_IDLE: '0' })
  : undefined;
const paced50 = ONLY.has('paced')
  ? phase('./run.js', 'paced at 50 a second', {
      BENCH_CASES: String(Math.max(CASES, 1000)),
      BENCH_RATE: '50',
      BENCH_IDLE: '0',
    })
  : undefined;
const grown = ONLY.has('history')
  ? phase('./run.js', `the drain with 100× its cases as registry and history`, {
      ...drainEnv,
      BENCH_IDLE: '0',
      BENCH_HISTORY: String(100 * CASES),
    })
  : undefined;
const memory = ONLY.has('memory')
  ? (phase('./memory.js', `memory over ${MEMORY_CASES} cases`, { BENCH_MEMORY_CASES: String(MEMORY_CASES) }) as
      { cases: number; rss: Array<{ done: number; mb: number }> } | undefined)
  : undefined;

const f = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(digits));
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not run' : ok ? 'met' : '**not met**');
const rows: Array<[string, string, string, string]> = [];

const deskMs = drain?.deskCpuMsPerCase;
rows.push([
  'desk CPU a case (main + children)',
  deskMs === undefined
    ? 'n/a'
    : `${f(deskMs)} ms = ${f(deskMs / (drain!.floorMs ?? NaN))}× reading its forms (${f(drain!.floorMs, 2)} ms warm)`,
  '≤ 10 ms (moonshot ≤ 6)',
  verdict(deskMs === undefined ? undefined : deskMs <= 10),
]);
rows.push([
  'Redis CPU a case / commands a case',
  drain
    ? `${f(drain.redisCpuMsPerCase, 2)} ms / ${f(drain.redisCommandsPerCase, 0)} (${f((drain.redisCommandsPerCase ?? NaN) / (drain.redisCommandFloor ?? NaN))}× the fewest, ${f(drain.redisCommandFloor, 0)})`
    : 'n/a',
  '≤ 1 ms / ≤ 100',
  verdict(
    drain ? (drain.redisCpuMsPerCase ?? Infinity) <= 1 && (drain.redisCommandsPerCase ?? Infinity) <= 100 : undefined,
  ),
]);
rows.push([
  'drain of a pre-loaded mailbox',
  drain ? `${f(drain.casesPerSec)} cases/s` : 'n/a',
  '≥ 80 cases/s',
  verdict(drain ? (drain.casesPerSec ?? 0) >= 80 : undefined),
]);
const p99 = (x: Figures | undefined) => (x?.latencyMs ? x.latencyMs.p99 / 1000 : undefined);
rows.push([
  'p99 APPEND → partner mail, paced 20/s and 50/s',
  `${f(p99(paced20), 2)} s; ${f(p99(paced50), 2)} s`,
  '< 1 s at both',
  verdict(paced20 && paced50 ? (p99(paced20) ?? Infinity) < 1 && (p99(paced50) ?? Infinity) < 1 : undefined),
]);
let worstGrowth: { name: string; pct: number } | undefined;
if (drain && grown) {
  const pairs: Array<[string, number | undefined, number | undefined]> = [
    ...Object.entries(drain.cpuMsPerCase ?? {})
      .filter(([k]) => !k.startsWith(' '))
      .map(([k, v]): [string, number | undefined, number | undefined] => [k, v, grown.cpuMsPerCase?.[k]]),
    ['Redis commands', drain.redisCommandsPerCase, grown.redisCommandsPerCase],
  ];
  for (const [name, a, b] of pairs) {
    if (a === undefined || b === undefined || a <= 0) continue;
    const pct = (100 * b) / a - 100;
    if (!worstGrowth || pct > worstGrowth.pct) worstGrowth = { name, pct };
  }
}
rows.push([
  'cost per case as the registry and history grow 100×',
  worstGrowth ? `worst: ${worstGrowth.name} ${worstGrowth.pct >= 0 ? '+' : ''}${f(worstGrowth.pct)} %` : 'n/a',
  'within 10 % for every process',
  verdict(worstGrowth ? worstGrowth.pct <= 10 : undefined),
]);
const at2k = memory?.rss.find((r) => r.done === 2_000);
const last = memory?.rss[memory.rss.length - 1];
const rssPct = at2k && last && last !== at2k ? (100 * last.mb) / at2k.mb - 100 : undefined;
rows.push([
  `desk RSS after ${last?.done ?? MEMORY_CASES} cases vs after 2,000`,
  rssPct === undefined
    ? 'n/a'
    : `${f(at2k!.mb, 0)} MB → ${f(last!.mb, 0)} MB (${rssPct >= 0 ? '+' : ''}${f(rssPct)} %)`,
  'flat (within 10 %)',
  verdict(rssPct === undefined ? undefined : rssPct <= 10),
]);

out(`\nthe goals (${QUICK ? 'BENCH_QUICK: small phases, not figures to report' : `drain of ${CASES} cases`}):`);
out('| measure | figure | goal | |');
out('| --- | --- | --- | --- |');
for (const r of rows) out(`| ${r.join(' | ')} |`);
