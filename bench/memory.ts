/**
 * `npm run bench:memory`: does the desk's memory stay flat as cases go by?
 * One desk process drains BENCH_MEMORY_CASES (default 20,000) AltiGen cases
 * from 200 partners; mail is made cheaply (cheap-mail.ts) and appended as
 * the desk goes, never more than 400 ahead, so the run needs neither 40,000
 * pdf-lib fills up front nor a gigabyte of mail in this process. The desk
 * process's resident memory (and its parse children's, and Redis's) is
 * sampled when 2,000, 5,000, 10,000 … cases are done (their partner mail
 * received). BENCH_MEMORY_MINUTES (default 45) ends a run that does not fit,
 * with the figures it reached.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/config.js';
import { startDovecot } from '../embedded/dovecot.js';
import { startRedis } from '../embedded/redis-server.js';
import { startSmtpSink } from '../embedded/smtp-sink.js';
import { openDesk } from '../workers/desk/context.js';
import { benchDeskEnv, benchRegistry } from './bench-fixture.js';
import { CheapMail } from './cheap-mail.js';
import { childrenOf, CpuSampler } from './process-cpu.js';

const CASES = Number(process.env.BENCH_MEMORY_CASES ?? 20_000);
const MINUTES = Number(process.env.BENCH_MEMORY_MINUTES ?? 45);
const PARTNERS = 200;
// Indices of one width (100000 …), so every case's values keep the template's lengths (cheap-mail.ts).
const FROM = 100_000;
const AHEAD = 400;
const MILESTONES = [500, 2_000, 5_000, 10_000, 15_000, 20_000, 50_000].filter((m) => m <= CASES);
if (!MILESTONES.includes(CASES)) MILESTONES.push(CASES);
const out = (s = '') => process.stdout.write(`${s}\n`);
const rssOf = (pid: number | undefined): number => {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
  } catch {
    return 0;
  }
};
const mbs = (n: number) => `${(n / 1048576).toFixed(0)} MB`;

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  out(
    `licensedesk bench:memory: ${CASES} cases from ${PARTNERS} partners, node ${process.version}, at most ${MINUTES} minutes`,
  );
  const [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  const factory = new CheapMail(PARTNERS);
  await factory.check(FROM + PARTNERS + 7); // a case written over its shape's template reads as its own
  const env = benchDeskEnv(redis, dovecot, smtp);
  const ctx = await openDesk(loadConfig({ ...process.env, ...env }));
  let desk: ReturnType<typeof spawn> | undefined;
  try {
    await ctx.registry.import(benchRegistry(CASES, PARTNERS, FROM));
    desk = spawn(process.execPath, [fileURLToPath(new URL('../cli/main.js', import.meta.url)), 'start'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const deskPid = desk.pid;
    const redisPid = Number(/process_id:(\d+)/.exec(await ctx.redis.info('server'))?.[1]);
    const cpu = new CpuSampler({
      'desk main process': { pid: () => deskPid, take: 'root' },
      'desk parse children': { pid: () => deskPid, take: 'children' },
      'redis-server': { pid: () => redisPid, take: 'root' },
    });
    cpu.start(1000);
    const t0 = Date.now();
    let appended = 0;
    let done = 0;
    const kinds = new Map<string, number>();
    let stop = false;
    const feeder = dovecot.withClient('bench', async (client) => {
      while (!stop && appended < CASES) {
        if (appended - done >= AHEAD) {
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        await client.append('INBOX', await factory.mail(FROM + appended));
        appended++;
      }
    });
    out(
      `  ${'cases done'.padStart(10)}${'minutes'.padStart(9)}${'cases/s'.padStart(9)}${'desk RSS'.padStart(10)}${'children RSS'.padStart(14)}${'Redis used'.padStart(12)}`,
    );
    let lastAt = t0;
    let lastDone = 0;
    const rows: Array<{ done: number; rss: number }> = [];
    let next = 0;
    while (done < CASES) {
      await new Promise((r) => setTimeout(r, 250));
      // Counted and forgotten in one synchronous step (nothing arrives in between), so this process stays small.
      const got = smtp.messages();
      smtp.clear();
      for (const m of got) {
        const kind = String(m.parsed.headers.get('x-licensedesk-kind'));
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        if (kind === 'transferred') done++;
      }
      while (next < MILESTONES.length && done >= MILESTONES[next]!) {
        const rss = rssOf(deskPid);
        const children = childrenOf(deskPid!).reduce((a, p) => a + rssOf(p), 0);
        const used = Number(/used_memory:(\d+)/.exec(await ctx.redis.info('memory'))?.[1]);
        const now = Date.now();
        out(
          `  ${String(MILESTONES[next]).padStart(10)}${((now - t0) / 60_000).toFixed(1).padStart(9)}${((done - lastDone) / ((now - lastAt) / 1000)).toFixed(1).padStart(9)}${mbs(rss).padStart(10)}${mbs(children).padStart(14)}${mbs(used).padStart(12)}`,
        );
        rows.push({ done: MILESTONES[next]!, rss });
        lastAt = now;
        lastDone = done;
        next++;
      }
      if (Date.now() - t0 > MINUTES * 60_000) {
        out(`  stopped after ${MINUTES} minutes with ${done} cases done`);
        break;
      }
      if (desk.exitCode !== null) throw new Error(`the desk exited (${desk.exitCode}) with ${done} cases done`);
    }
    stop = true;
    await feeder;
    const cpuMs = cpu.stop();
    out(`  mail sent by kind: ${JSON.stringify(Object.fromEntries(kinds))}`);
    out(
      `  CPU per case over the run: ${Object.entries(cpuMs)
        .map(([k, v]) => `${k} ${(v / Math.max(1, done)).toFixed(1)} ms`)
        .join(', ')}`,
    );
    const at2k = rows.find((r) => r.done === 2_000);
    const last = rows[rows.length - 1];
    if (process.env.BENCH_JSON)
      writeFileSync(
        process.env.BENCH_JSON,
        JSON.stringify({ cases: done, rss: rows.map((r) => ({ done: r.done, mb: r.rss / 1048576 })) }, null, 2),
      );
    if (at2k && last && last !== at2k)
      out(
        `  desk RSS after ${last.done} cases is ${((100 * last.rss) / at2k.rss - 100).toFixed(1)} % against after 2,000 (goal: within 10 %)`,
      );
  } finally {
    if (desk && desk.exitCode === null) {
      const exited = new Promise((r) => desk!.once('close', r));
      desk.kill('SIGTERM');
      await exited;
    }
    await ctx.close();
    await Promise.all([smtp.stop(), dovecot.stop(), redis.stop()]);
  }
}

await main();
process.exit(0);
