/**
 * `npm run bench:history`: per-case cost as the desk's past grows. The same
 * drain (run.ts, BENCH_CASES cases, default 500) runs twice on fresh servers:
 * on an empty desk, then on one seeded with BENCH_HISTORY (default 100,000)
 * more licenses and as many past cases (seed-history.ts); CPU per case per
 * process and Redis commands per case are printed side by side.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const HISTORY = process.env.BENCH_HISTORY ?? '100000';
const run = (history: string): Record<string, unknown> => {
  const json = `/tmp/licensedesk-bench-history-${history}.json`;
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('./run.js', import.meta.url))], {
    env: {
      ...process.env,
      BENCH_CASES: process.env.BENCH_CASES ?? '500',
      BENCH_IDLE: process.env.BENCH_IDLE ?? '0',
      BENCH_HISTORY: history,
      BENCH_JSON: json,
    },
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`the bench with BENCH_HISTORY=${history} failed (${r.status})`);
  return JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
};
const empty = run('0');
const grown = run(HISTORY);
const row = (label: string, a: number, b: number) =>
  process.stdout.write(
    `  ${label.padEnd(34)}${a.toFixed(1).padStart(9)}${b.toFixed(1).padStart(11)}${`${((100 * b) / a - 100).toFixed(1)} %`.padStart(10)}\n`,
  );
process.stdout.write(
  `\nper case, empty desk against ${HISTORY} more licenses and ${HISTORY} past cases (goal: within 10 %):\n`,
);
process.stdout.write(`  ${''.padEnd(34)}${'empty'.padStart(9)}${'grown'.padStart(11)}${'change'.padStart(10)}\n`);
const ea = empty.cpuMsPerCase as Record<string, number>;
const ga = grown.cpuMsPerCase as Record<string, number>;
for (const k of Object.keys(ea)) row(`CPU ms, ${k}`, ea[k]!, ga[k] ?? NaN);
row('Redis commands', empty.redisCommandsPerCase as number, grown.redisCommandsPerCase as number);
row('drain, cases/s', empty.casesPerSec as number, grown.casesPerSec as number);
