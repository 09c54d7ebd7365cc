/**
 * CPU time of the processes a run involves, read from /proc/<pid>/stat
 * (utime + stime). Short-lived processes (parse children, Dovecot's imap
 * processes) are found by parent pid on every sample and kept after they
 * exit, so their last sample still counts (up to one interval is lost).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function stat(pid: number): { ppid: number; cpuMs: number; cmd: string } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const cmd = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // After the command: state(0) ppid(1) … utime(11) stime(12).
    return { ppid: Number(f[1]), cpuMs: (Number(f[11]) + Number(f[12])) * TICK_MS, cmd };
  } catch {
    return undefined;
  }
}

export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    if (stat(Number(d))?.ppid === pid) out.push(Number(d));
  }
  return out;
}

/** CPU ms a process and its live children have spent so far. */
export function treeCpuMs(pid: number): number {
  return [pid, ...childrenOf(pid)].reduce((sum, p) => sum + (stat(p)?.cpuMs ?? 0), 0);
}

/**
 * Waits until the processes `pids` (with their children) are up and idle: at least `minMs` after now, then until
 * they spend under `idleShare` of a core over a `windowMs` window (at the most `maxMs`). Returns how long that took
 * and the CPU they had spent by then.
 */
export async function untilIdle(
  pids: number[],
  { minMs = 2000, windowMs = 1000, idleShare = 0.03, maxMs = 60_000 } = {},
): Promise<{ ms: number; cpuMs: number }> {
  const t0 = Date.now();
  const total = () => pids.reduce((sum, p) => sum + treeCpuMs(p), 0);
  await new Promise((r) => setTimeout(r, minMs));
  let before = total();
  for (;;) {
    await new Promise((r) => setTimeout(r, windowMs));
    const now = total();
    if (now - before <= idleShare * windowMs || Date.now() - t0 > maxMs) return { ms: Date.now() - t0, cpuMs: now };
    before = now;
  }
}

/** The pid of the process whose command line contains `needle` (e.g. a Dovecot config path). */
export function findPid(needle: string): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmdline = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle) && !cmdline.startsWith('sh ') && !cmdline.startsWith('runuser')) return Number(d);
    } catch {
      /* gone */
    }
  }
  return undefined;
}

/** Samples groups of processes: each group is a root pid and, optionally, its children. */
export class CpuSampler {
  private readonly last = new Map<string, Map<number, number>>();
  /** What the processes alive at the first sample had already spent (Redis and Dovecot ran long before the run). */
  private readonly base = new Map<string, Map<number, number>>();
  private timer?: NodeJS.Timeout;

  /** `only`: children whose command line matches (e.g. the MIME children apart from the PDF children). */
  constructor(
    private readonly groups: Record<
      string,
      { pid: () => number | undefined; take: 'root' | 'children' | 'both'; only?: RegExp }
    >,
  ) {
    for (const g of Object.keys(groups)) this.last.set(g, new Map());
  }

  sample(): void {
    for (const [name, g] of Object.entries(this.groups)) {
      const root = g.pid();
      if (!root) continue;
      const kids = g.take !== 'root' ? childrenOf(root).filter((p) => !g.only || g.only.test(cmdline(p))) : [];
      const pids = [...(g.take !== 'children' ? [root] : []), ...kids];
      for (const p of pids) {
        const s = stat(p);
        if (s) this.last.get(name)!.set(p, s.cpuMs);
      }
    }
  }

  start(everyMs = 250): void {
    this.sample();
    for (const [name, m] of this.last) this.base.set(name, new Map(m));
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  /** CPU ms per group since the first sample. */
  stop(): Record<string, number> {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const out: Record<string, number> = {};
    for (const [name, m] of this.last) {
      const base = this.base.get(name);
      out[name] = [...m].reduce((sum, [pid, ms]) => sum + ms - (base?.get(pid) ?? 0), 0);
    }
    return out;
  }
}
