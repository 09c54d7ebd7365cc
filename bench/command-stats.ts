/**
 * Redis commands by name (INFO commandstats), so a run can say which
 * commands a case costs, not only how many. Commands a Lua script runs are
 * counted under their own names as well as under EVALSHA.
 */
import { withBenchRedis } from './bench-redis.js';

export async function commandStats(port: number): Promise<Map<string, { calls: number; usec: number }>> {
  const info = await withBenchRedis(port, (r) => r.info('commandstats'));
  const out = new Map<string, { calls: number; usec: number }>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm))
    out.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
  return out;
}

/** The commands most called per case between two snapshots, with Redis's own time in them. */
export function topCommands(
  before: Map<string, { calls: number; usec: number }>,
  after: Map<string, { calls: number; usec: number }>,
  cases: number,
  top = 12,
): string[] {
  const rows = [...after]
    .map(([name, a]) => {
      const b = before.get(name) ?? { calls: 0, usec: 0 };
      return { name, calls: (a.calls - b.calls) / cases, usec: (a.usec - b.usec) / cases };
    })
    .filter((r) => r.calls > 0)
    .sort((x, y) => y.calls - x.calls);
  return rows
    .slice(0, top)
    .map(
      (r) =>
        `    ${r.name.padEnd(22)}${r.calls.toFixed(1).padStart(8)} calls/case ${(r.usec / 1000).toFixed(2).padStart(7)} ms/case inside Redis`,
    );
}
