/**
 * The commands the desk's processes send Redis (BENCH_ROUND_TRIPS=1), by
 * command and key: INFO commandstats counts a script's own commands too, so
 * its figure says what Redis did, not how often the desk asked. MONITOR tells
 * the two apart (a script's commands come from "lua"); it costs Redis time
 * itself, so this is a diagnosis, not part of the figures.
 */
import { Redis } from 'ioredis';
import { luaScripts } from '../store/lua-scripts.js';
import { createHash } from 'node:crypto';

export interface RoundTrips {
  stop(cases: number, top?: number): string[];
}

/** A key with its hash tag, ids and numbers left out, so one kind of key is one row. */
function keyPattern(key: unknown): string {
  return String(key ?? '')
    .replace(/^\{[^}]*\}:?/, '')
    .replace(/[0-9a-f]{16,}/g, 'ID')
    .replace(/\d{3,}/g, 'N')
    .replace(/:[^:]*@[^:]*$/, ':ADDRESS')
    .slice(0, 48);
}

export async function startRoundTrips(port: number): Promise<RoundTrips> {
  const names = new Map(
    [...luaScripts().values()].map((s) => [createHash('sha1').update(s.lua).digest('hex'), s.name]),
  );
  const conn = new Redis(port, '127.0.0.1');
  const monitor = await conn.monitor();
  const sent = new Map<string, number>();
  let inScripts = 0;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') {
      inScripts++;
      return;
    }
    const cmd = String(args[0]).toLowerCase();
    const label =
      cmd === 'evalsha'
        ? `evalsha ${names.get(String(args[1])) ?? `${String(args[1]).slice(0, 8)} (${keyPattern(args[3])})`}`
        : // A hash's fields are named too: which of a message's or a job's fields are read and written.
          `${cmd} ${keyPattern(args[1])}${/^h(get|set|mget|del|incrby)$/.test(cmd) && args[2] !== undefined ? ` ${keyPattern(args[2]).slice(0, 20)}` : ''}`;
    sent.set(label, (sent.get(label) ?? 0) + 1);
  });
  return {
    stop(cases, top = 24) {
      monitor.disconnect();
      conn.disconnect();
      const total = [...sent.values()].reduce((a, b) => a + b, 0);
      return [
        `  commands the desk sent (MONITOR; scripts' own commands apart): ${(total / cases).toFixed(0)} a case, and ${(inScripts / cases).toFixed(0)} run inside its scripts; the most sent:`,
        ...[...sent]
          .sort((a, b) => b[1] - a[1])
          .slice(0, top)
          .map(([label, n]) => `    ${label.padEnd(56)}${(n / cases).toFixed(1).padStart(6)} a case`),
      ];
    },
  };
}
