/**
 * `npm run bench`: the whole desk under load, on embedded Redis, Dovecot and
 * SMTP. The desk is started and left to go idle (its start-up is reported
 * apart); then BENCH_CASES partner mails (License Transfer Form + card form)
 * are let into its INBOX at once, staged in a folder it does not watch and
 * moved in one MOVE (or appended at BENCH_RATE a second); the benchmark measures how long until every case is moved and its partner
 * mailed, CPU per case per process, Redis commands per case, where each
 * case's time went stage by stage, and then BENCH_IDLE cases one at a time
 * (the idle desk's latency). BENCH_HISTORY=N first gives the desk N more
 * licenses and N past cases (seed-history.ts); BENCH_PROFILE=DIR writes the
 * desk's V8 CPU profile there; BENCH_ROUND_TRIPS=1 lists the commands the
 * desk sends, apart from those its scripts run. A benchmark, not a test: it prints numbers
 * (BENCH_JSON=FILE also writes them as JSON).
 */
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/config.js';
import { snapshotOf } from '../domain/registry-model.js';
import { reviewAltigen } from '../domain/programs/altigen/review.js';
import { startDovecot } from '../embedded/dovecot.js';
import { startRedis } from '../embedded/redis-server.js';
import { startSmtpSink, type ReceivedMail } from '../embedded/smtp-sink.js';
import { readPdfIsolated } from '../forms/pdf-read-client.js';
import { readPdfForm } from '../forms/pdf-reader.js';
import { typeForm } from '../forms/typing.js';
import { MessageStore } from '../store/message-store.js';
import { openDesk } from '../workers/desk/context.js';
import { benchDeskEnv, benchRegistry, caseNumber, mailFor, partnersFor } from './bench-fixture.js';
import { commandStats, topCommands } from './command-stats.js';
import { CpuSampler, findPid, untilIdle } from './process-cpu.js';
import { commandCalls, redisFloor } from './redis-floor.js';
import { DESK_COMMANDS_A_CASE_NEEDS, JOBS_A_CASE_NEEDS, redisCommandFloor } from './redis-command-floor.js';
import { formFloor, type FormFloor } from './form-floor.js';
import { redisCpu, redisCpuLines } from './redis-cpu.js';
import { startScriptTimes, stopScriptTimes } from './script-times.js';
import { startRoundTrips } from './round-trips.js';
import { addHistoryToRegistry, seedPastCases } from './seed-history.js';
import { pct, stageDurations, stageTable, type CaseTimes } from './stage-times.js';

const CASES = Number(process.env.BENCH_CASES ?? 200);
const IDLE = Number(process.env.BENCH_IDLE ?? 20);
/** The folder the drain's mails wait in, unseen by the desk, until they are let into the INBOX at once. */
const STAGING = 'Staging';
const HISTORY = Number(process.env.BENCH_HISTORY ?? 0);
const PARTNERS = partnersFor(CASES);
const out = (s = '') => process.stdout.write(`${s}\n`);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const isTransferred = (m: ReceivedMail) => String(m.parsed.headers.get('x-licensedesk-kind')) === 'transferred';

async function stageCosts(sample: Buffer): Promise<FormFloor> {
  const floor = await formFloor(sample);
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(sample);
  const pdf = new Uint8Array(parsed.attachments[0]!.content);
  let t = performance.now();
  for (let i = 0; i < 10; i++) await readPdfIsolated(pdf);
  const isolated = (performance.now() - t) / 10;
  const raw = await readPdfForm(pdf);
  const reg = benchRegistry(1, 1);
  const snap = snapshotOf(reg);
  const typed = raw.ok ? typeForm(raw.form, { now: new Date() }) : undefined;
  const forms = typed && 'form' in typed ? { 'license-transfer/v1': typed.form } : {};
  t = performance.now();
  const R = 2000;
  for (let i = 0; i < R; i++) {
    reviewAltigen(
      {
        caseNumber: caseNumber(0),
        registryCase: reg.cases[0]!,
        forms: forms as never,
        formProblems: [],
        discardedFields: [],
      },
      snap,
      { now: () => new Date() },
    );
  }
  const review = (performance.now() - t) / R;
  out(`per stage (warm medians of ${floor.samples} runs after a warm-up, unless said):`);
  floor.formsMs.forEach((ms, i) => out(`  PDF form ${i + 1} read in-process    ${ms.toFixed(2)} ms`));
  out(`  MIME parse of the whole mail  ${floor.mimeMs.toFixed(2)} ms (mailparser, in-process)`);
  out(
    `  PDF form read isolated        ${isolated.toFixed(1)} ms (mean of 10, each in a fresh child with time and memory budget)`,
  );
  out(`  AltiGen review (pure rules)   ${(review * 1000).toFixed(0)} µs`);
  return floor;
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const figures: Record<string, unknown> = { cases: CASES, history: HISTORY };
  out(
    `licensedesk bench: ${CASES} cases from ${PARTNERS} partners${HISTORY ? `, a registry with ${HISTORY} more licenses and ${HISTORY} past cases` : ''}, node ${process.version}`,
  );
  const [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  try {
    const mails: Buffer[] = [];
    for (let i = 0; i < CASES + IDLE; i++) mails.push(await mailFor(i, PARTNERS));
    const forms = await stageCosts(mails[0]!);
    const floor = await redisFloor(redis.port);
    const commandFloor = await redisCommandFloor(redis.port);
    out('the floor (what this machine allows):');
    out(
      `  reading a case's forms        ${forms.caseFormsMs.toFixed(2)} ms warm in-process: ${(1000 / forms.caseFormsMs).toFixed(0)} cases/s a core`,
    );
    out(
      `  Redis commands a case needs   ${commandFloor.perCase.toFixed(0)} (${JOBS_A_CASE_NEEDS} BullMQ jobs of ${commandFloor.perJob.toFixed(1)} commands each, measured, and ${DESK_COMMANDS_A_CASE_NEEDS} of the desk's own)`,
    );
    out(
      `  raw Redis                     ${floor.pipelinedOpsPerSec.toFixed(0)} ops/s pipelined, ${floor.roundTripOpsPerSec.toFixed(0)} ops/s one round trip at a time`,
    );
    const env = benchDeskEnv(redis, dovecot, smtp);
    const ctx = await openDesk(loadConfig({ ...process.env, ...env }));
    const reg = benchRegistry(CASES + IDLE, PARTNERS);
    if (HISTORY) {
      const t = performance.now();
      addHistoryToRegistry(reg, HISTORY);
      await ctx.registry.import(reg);
      await seedPastCases(ctx, HISTORY);
      out(
        `  seeded ${reg.licenses.length} licenses, ${reg.cases.length} registry cases and ${HISTORY} past cases in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
    } else {
      await ctx.registry.import(reg);
    }
    // Drain (default): the mailbox is pre-loaded, then BENCH_DESKS desk processes start. With BENCH_RATE the
    // desk runs first and mail is appended at that steady rate (latency from APPEND to the partner's mail).
    const RATE = Number(process.env.BENCH_RATE ?? 0);
    const DESKS = Math.max(1, Number(process.env.BENCH_DESKS ?? 1));
    const times = new Map<string, CaseTimes>();
    const appended = (i: number, at = Date.now()) => {
      times.set(caseNumber(i), {
        appendedAt: at,
        messageId: MessageStore.idOf(mails[i]!, { size: 0, receivedAt: '' }),
        mailedAt: 0,
      });
    };
    // The desk runs as operators run it, in its own process, so its memory is measured alone.
    const prof = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
    const startOne = () =>
      spawn(process.execPath, [...prof, fileURLToPath(new URL('../cli/main.js', import.meta.url)), 'start'], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    const desks = Array.from({ length: DESKS }, startOne);
    const desk = desks[0]!;
    // Measured from when the desk is up and idle: its start (loading its modules, compiling its templates, starting
    // its parse children) is a cost of the process, not of a case, and is reported on its own line.
    const startUp = await untilIdle(desks.map((d) => d.pid!));
    const t0 = performance.now();
    if (!RATE) {
      // The drain: every mail is staged in a folder the desk does not watch, then let into the INBOX in one MOVE, so
      // the whole backlog arrives at once, as after an outage of the desk or a burst from a partner's system.
      await dovecot.withClient('bench', async (client) => {
        await client.mailboxCreate(STAGING).catch(() => undefined);
        for (let i = 0; i < CASES; i++) await client.append(STAGING, mails[i]!);
      });
    }
    const stagedMs = performance.now() - t0;
    const callsBefore = await commandCalls(redis.port);
    const statsBefore = await commandStats(redis.port);
    const redisPid = Number(/process_id:(\d+)/.exec(await ctx.redis.info('server'))?.[1]);
    const dovecotPid = findPid(`${dovecot.dir}/dovecot.conf`);
    const cpu = new CpuSampler({
      ...Object.fromEntries(
        desks.map((d, i) => [`desk ${i + 1} main process`, { pid: () => d.pid, take: 'root' as const }]),
      ),
      ...Object.fromEntries(
        desks.map((d, i) => [`desk ${i + 1} parse children`, { pid: () => d.pid, take: 'children' as const }]),
      ),
      // Desk 1's children by kind: what the MIME parse and the PDF reads cost apart.
      '  desk 1 MIME children': { pid: () => desk.pid, take: 'children', only: /mime-parse-child/ },
      '  desk 1 PDF children': { pid: () => desk.pid, take: 'children', only: /pdf-read-child/ },
      'redis-server': { pid: () => redisPid, take: 'root' },
      'dovecot (all processes)': { pid: () => dovecotPid, take: 'both' },
    });
    cpu.start();
    const redisCpuBefore = await redisCpu(redis.port); // from the same moment as /proc's figures
    if (process.env.BENCH_SCRIPTS) await startScriptTimes(redis.port);
    const roundTrips = process.env.BENCH_ROUND_TRIPS ? await startRoundTrips(redis.port) : undefined;
    const rss: number[] = [];
    const pageSize = 4096;
    const sampler = setInterval(() => {
      try {
        rss.push(Number(readFileSync(`/proc/${desk.pid}/statm`, 'utf8').split(' ')[1]) * pageSize);
      } catch {
        /* not started yet or gone */
      }
    }, 250);
    const startedAt = performance.now();
    if (!RATE) {
      const movedAt = Date.now();
      await dovecot.withClient('bench', async (client) => {
        await client.mailboxOpen(STAGING);
        await client.messageMove('1:*', 'INBOX');
      });
      for (let i = 0; i < CASES; i++) appended(i, movedAt);
    } else {
      // Paced, not all at once: each append starts at its slot (late ones catch up without bursting), over one
      // IMAP connection (a login per message would cap the offered rate below 20 a second on a busy machine).
      await dovecot.withClient('bench', async (client) => {
        for (let i = 0; i < CASES; i++) {
          const wait = startedAt + (i * 1000) / RATE - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          await client.append('INBOX', mails[i]!);
          appended(i);
        }
      });
    }
    const appendMs = stagedMs;
    let done = 0;
    const collect = () => {
      for (const m of smtp.messages()) {
        if (!isTransferred(m)) continue;
        const t = times.get(String(m.parsed.headers.get('x-licensedesk-case')));
        if (t && !t.mailedAt) {
          t.mailedAt = m.receivedAt;
          done++;
        }
      }
    };
    while (done < CASES) {
      collect();
      if (performance.now() - t0 > 600_000) {
        const states = (await ctx.cases.list()).map((c) => c.state);
        for (const d of desks) d.kill('SIGKILL');
        throw new Error(
          `only ${done} of ${CASES} cases done after 10 minutes; case states: ${JSON.stringify(states.slice(0, 20))}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const totalMs = performance.now() - startedAt;
    const drainMs = performance.now() - startedAt;
    clearInterval(sampler);
    const cpuMs = cpu.stop();
    const roundTripLines = roundTrips?.stop(CASES) ?? [];
    const calls = (await commandCalls(redis.port)) - callsBefore;
    const statsAfter = await commandStats(redis.port);
    const redisCpuAfter = await redisCpu(redis.port);
    const moved = (await ctx.cases.list('transferred')).length;
    const latencies = [...times.values()].map((t) => t.mailedAt - t.appendedAt);
    out('');
    out('end to end (IMAP APPEND -> moved -> partner mailed):');
    out(
      `  desk start-up                 ${(startUp.ms / 1000).toFixed(1)} s, ${startUp.cpuMs.toFixed(0)} ms of CPU until idle (main + children; not counted below)`,
    );
    out(`  cases moved                   ${moved} of ${CASES}`);
    if (!RATE) out(`  staging the mails took        ${(appendMs / 1000).toFixed(1)} s (before the clock starts)`);
    out(
      `  all done after                ${(totalMs / 1000).toFixed(1)} s  (${(CASES / (totalMs / 1000)).toFixed(1)} cases/s)`,
    );
    out(
      `  latency per case              p50 ${(pct(latencies, 50) / 1000).toFixed(2)} s, p95 ${(pct(latencies, 95) / 1000).toFixed(2)} s, p99 ${(pct(latencies, 99) / 1000).toFixed(2)} s, max ${(Math.max(...latencies) / 1000).toFixed(2)} s${RATE ? ` (appends paced at ${RATE}/s)` : ' (all let in at once: includes the wait in the mailbox)'}`,
    );
    if (!RATE)
      out(
        `  drain with ${DESKS} desk process${DESKS > 1 ? 'es' : ''}       ${(CASES / (drainMs / 1000)).toFixed(1)} cases/s (${(drainMs / 1000).toFixed(1)} s from start)`,
      );
    out(
      `  Redis commands per case       ${(calls / CASES).toFixed(0)}, ${(calls / CASES / commandFloor.perCase).toFixed(1)}× the fewest a case needs; the most called:`,
    );
    for (const l of topCommands(statsBefore, statsAfter, CASES)) out(l);
    out('  CPU per case:');
    for (const [name, ms] of Object.entries(cpuMs)) out(`    ${name.padEnd(28)}${(ms / CASES).toFixed(1)} ms`);
    const deskMs =
      Object.entries(cpuMs)
        .filter(([k]) => /^desk \d+ (main process|parse children)$/.test(k))
        .reduce((a, [, v]) => a + v, 0) / CASES;
    out(
      `    desk, main + children       ${deskMs.toFixed(1)} ms: ${(deskMs / forms.caseFormsMs).toFixed(1)}× reading the case's forms (${forms.caseFormsMs.toFixed(2)} ms)`,
    );
    for (const l of redisCpuLines(redisCpuBefore, redisCpuAfter, CASES)) out(l);
    if (process.env.BENCH_SCRIPTS) for (const l of await stopScriptTimes(redis.port, CASES)) out(l);
    for (const l of roundTripLines) out(l);
    const third = Math.max(1, Math.floor(rss.length / 3));
    out(
      `  desk process RSS (alone)      first third max ${mb(Math.max(...rss.slice(0, third)))}, last third max ${mb(Math.max(...rss.slice(-third)))}, peak ${mb(Math.max(...rss))}`,
    );
    out(
      `  where the time went, ${RATE ? `paced at ${RATE}/s` : 'pre-loaded mailbox'} (per case; stage times from the desk's own records):`,
    );
    for (const l of stageTable(await stageDurations(ctx, times))) out(l);
    Object.assign(figures, {
      rate: RATE,
      desks: DESKS,
      casesPerSec: RATE ? undefined : CASES / (drainMs / 1000),
      redisCommandsPerCase: calls / CASES,
      redisCommandFloor: commandFloor.perCase,
      redisCpuMsPerCase:
        (redisCpuAfter.mainMs - redisCpuBefore.mainMs + redisCpuAfter.otherThreadsMs - redisCpuBefore.otherThreadsMs) /
        CASES,
      deskCpuMsPerCase: deskMs,
      floorMs: forms.caseFormsMs,
      rssMb: {
        firstThird: Math.max(...rss.slice(0, third)) / 1048576,
        lastThird: Math.max(...rss.slice(-third)) / 1048576,
      },
      cpuMsPerCase: Object.fromEntries(Object.entries(cpuMs).map(([k, v]) => [k, v / CASES])),
      latencyMs: { p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99) },
    });

    if (IDLE > 0) {
      // The idle desk: one case at a time, each appended once the previous partner mail has arrived.
      const idleTimes = new Map<string, CaseTimes>();
      await dovecot.withClient('bench', async (client) => {
        for (let i = CASES; i < CASES + IDLE; i++) {
          await new Promise((r) => setTimeout(r, 300)); // let the desk go quiet (its effects, the next IDLE)
          await client.append('INBOX', mails[i]!);
          appended(i);
          const n = caseNumber(i);
          const m = await smtp.waitFor(
            (x) => isTransferred(x) && String(x.parsed.headers.get('x-licensedesk-case')) === n,
            60_000,
            `case ${n}'s transferred mail`,
          );
          const t = times.get(n)!;
          t.mailedAt = m.receivedAt;
          idleTimes.set(n, t);
        }
      });
      await new Promise((r) => setTimeout(r, 500)); // the last notify job is marked completed just after its mail arrives
      const idle = await stageDurations(ctx, idleTimes);
      out('');
      out(
        `the idle desk, ${IDLE} cases one at a time: APPEND -> partner mail p50 ${pct(idle.total, 50).toFixed(0)} ms, p95 ${pct(idle.total, 95).toFixed(0)} ms`,
      );
      for (const l of stageTable(idle)) out(l);
      figures.idleMs = { p50: pct(idle.total, 50), p95: pct(idle.total, 95) };
    }
    await Promise.all(
      desks.map((d) => {
        const exited = new Promise((r) => d.once('close', r));
        d.kill('SIGTERM');
        return exited;
      }),
    );
    await ctx.close();
    if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(figures, null, 2));
  } finally {
    await Promise.all([smtp.stop(), dovecot.stop(), redis.stop()]);
  }
}

await main();
process.exit(0);
