/**
 * Where redis-server's CPU goes, from its own INFO: the main thread (which
 * runs the commands, and whose time beyond the commands is networking, the
 * event loop and the AOF write) against its other threads (fsync, lazy
 * free), and the forks it made (an AOF rewrite's fork is charged to it).
 * `/proc` gives the process total; this says what part of it a case's
 * commands are.
 */
import { withBenchRedis } from './bench-redis.js';

export interface RedisCpu {
  mainMs: number;
  otherThreadsMs: number;
  forks: number;
  aofRewrites: number;
}

export async function redisCpu(port: number): Promise<RedisCpu> {
  const info = await withBenchRedis(port, (r) => r.info('all'));
  const num = (field: string): number => Number(new RegExp(`^${field}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  const all = (num('used_cpu_sys') + num('used_cpu_user')) * 1000;
  const main = (num('used_cpu_sys_main_thread') + num('used_cpu_user_main_thread')) * 1000;
  return { mainMs: main, otherThreadsMs: all - main, forks: num('total_forks'), aofRewrites: num('aof_rewrites') };
}

/** Per-case lines for a run, between two readings. */
export function redisCpuLines(before: RedisCpu, after: RedisCpu, cases: number): string[] {
  const per = (ms: number) => `${(ms / cases).toFixed(1)} ms`;
  return [
    `    redis main thread           ${per(after.mainMs - before.mainMs)} (commands, as above, and I/O, the event loop, AOF writes)`,
    `    redis other threads         ${per(after.otherThreadsMs - before.otherThreadsMs)}`,
    `    redis forks, AOF rewrites   ${after.forks - before.forks}, ${after.aofRewrites - before.aofRewrites}`,
  ];
}
