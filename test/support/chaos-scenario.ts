/**
 * The chaos scenario, shared by the short test (`npm test`) and
 * the long run (`npm run chaos`): partner mail of every kind (load-cases.ts)
 * goes through a real Dovecot, two `licensedesk start` processes and a real
 * SMTP server while the scenario SIGKILLs desk processes (the mailbox's
 * ingester among them) and their PDF parse children at random moments and
 * restarts them, restarts Redis (AOF on) and Dovecot, and stops SMTP for
 * longer than the mail retry backoff. Then it fires every due timer (`jobs
 * promote`, as an operator would) and measures, through the public edges
 * only (CLI, registry export, SMTP, logs, BullMQ counts), what the desk
 * promised: every mail decided once, every license on one system, every mail
 * sent once, no job stuck or lost, every timer fired. Every loop is bounded
 * in count and in time.
 */
import { readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { startDovecot } from '../../embedded/dovecot.js';
import { mailCase, mailKind, runCli, startDesk, type DeskProcess } from './desk-process.js';
import { loadCases, loadMail, loadRegistry, type LoadCase } from './load-cases.js';
import { startRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type ReceivedMail } from '../../embedded/smtp-sink.js';
import { deskEnv, WAREHOUSE_ADDRESS } from './desk-env.js';
import { webhookReceiver } from './webhook-receiver.js';

export interface ChaosOptions {
  cases: number;
  /** Wall-clock budget for the run once the mail is built; the scenario gives up (and says so) after it. */
  budgetMs: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface ChaosFigures {
  cases: number;
  mailsAppended: number;
  seconds: number;
  faults: Record<string, number>;
  /** Time for another process to hold the mailbox lease after its ingester was SIGKILLed, ms. */
  takeoverMs: number[];
  decided: { once: number; never: string[]; twice: string[]; wrongState: string[] };
  licenses: {
    skuBefore: Record<string, number>;
    skuAfter: Record<string, number>;
    keysOnTwoSystems: string[];
    keysMissing: string[];
    misplaced: string[];
    movedTwice: string[];
  };
  mails: {
    expected: number;
    received: number;
    duplicates: string[];
    missing: string[];
    unexpected: string[];
    resent: string[];
  };
  jobs: {
    active: number;
    waiting: number;
    failed: number;
    stalledLeft: string[];
    timersDue: number;
    timersPromoted: number;
    timerMailsMissing: string[];
  };
  /** The event log against the changes and the receiver: every change one event, every event delivered. */
  events: {
    total: number;
    /** Event ids the webhook receiver never got. */
    undelivered: string[];
    /** Deliveries that did not verify. */
    forged: string[];
    /** Cases whose state changes in the audit trail and `case.state-changed` events differ in number. */
    stateChangesUnmatched: string[];
    /** License moves in the audit trail against those in `licenses.moved` events. */
    movesInAudit: number;
    movesInEvents: number;
  };
  completed: boolean;
}

type Env = Record<string, string>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small seeded PRNG (mulberry32), so a failing run can be repeated with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Child processes of `pid` (the desk's PDF parse children), from /proc. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // Field 4 (ppid) after the ")" that closes the command name.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

const HOLDING = 'holding the mailbox lease';
const count = (s: string, needle: string) => s.split(needle).length - 1;

/** A CLI command's JSON (JSON lines for `audit` and `events`), tried again while Redis restarts. */
async function cliJsonRetry<T>(args: string[], env: Env, tries = 20): Promise<T> {
  let last = '';
  // `registry export` prints the registry document itself.
  const argv = args[0] === 'registry' ? args : [...args, '--json'];
  for (let i = 0; i < tries; i++) {
    const r = await runCli(argv, env, 60_000).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
    if (r.code === 0)
      return (
        args[0] === 'audit' || args[0] === 'events'
          ? r.stdout
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l) as unknown)
          : JSON.parse(r.stdout)
      ) as T;
    last = r.stderr.slice(-500);
    await sleep(1000);
  }
  throw new Error(`licensedesk ${args.join(' ')} kept failing: ${last}`);
}

export async function runChaos(o: ChaosOptions): Promise<ChaosFigures> {
  const log = o.log ?? (() => undefined);
  const rnd = prng(o.seed ?? 12);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const cases = loadCases(o.cases);
  const run = `${Date.now()}`;
  log(`chaos: building ${cases.length} partner mails (seed ${o.seed ?? 12})`);
  const mails: Buffer[] = [];
  for (const c of cases) mails.push(await loadMail(c, run));

  const [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  const hooks = await webhookReceiver();
  const USER = 'desk-chaos';
  const env: Env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'chaos',
      LICENSEDESK_WAREHOUSE_ADDRESS: WAREHOUSE_ADDRESS,
      LICENSEDESK_SECRET: 'chaos-secret-0123456789abcdef',
      LICENSEDESK_REPLY_LIMIT_PER_HOUR: undefined,
      LICENSEDESK_MAIL_RETRY_BASE_MS: '500',
      LICENSEDESK_MAIL_RETRY_MAX_MS: '3000',
      LICENSEDESK_SHUTDOWN_SECONDS: '10',
      LICENSEDESK_WEBHOOK_RETRY_BASE_MS: '200',
      LOG_LEVEL: 'info',
    },
  );
  const desks: Array<DeskProcess | undefined> = [undefined, undefined];
  const t0 = Date.now();
  const overBudget = () => Date.now() - t0 > o.budgetMs;
  const faults: Record<string, number> = {};
  const did = (f: string) => {
    faults[f] = (faults[f] ?? 0) + 1;
    log(`  fault: ${f} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
  const takeoverMs: number[] = [];
  // Every desk process of the run, killed ones too: their logs tell where an undecided mail stopped.
  const everDesks: DeskProcess[] = [];
  try {
    const registry = loadRegistry(cases);
    const file = join(tmpdir(), `ld-chaos-registry-${process.pid}-${run}.json`);
    writeFileSync(file, JSON.stringify(registry));
    const imp = await runCli(['registry', 'import', file], env, 120_000);
    rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
    if (imp.code !== 0) throw new Error(`registry import failed: ${imp.stderr}`);
    // The vendor's receiver hears every event, through every fault.
    const before = await cliJsonRetry<Array<{ id: string }>>(['events'], env);
    const hook = await cliJsonRetry<{ secret: string }>(['webhook', 'add', hooks.url], env);
    hooks.secret = hook.secret;
    await hooks.start();
    const skuBefore: Record<string, number> = {};
    for (const l of registry.licenses) skuBefore[String(l.sku)] = (skuBefore[String(l.sku)] ?? 0) + Number(l.quantity);

    desks[0] = startDesk(env);
    desks[1] = startDesk(env);
    const live = () =>
      desks.filter((d): d is DeskProcess => !!d && d.proc.exitCode === null && d.proc.signalCode === null);
    const holder = (): number | undefined => {
      const held = desks
        .map((d, i) => ({ d, i }))
        .filter(
          ({ d }) =>
            d &&
            d.proc.exitCode === null &&
            d.proc.signalCode === null &&
            d.logs().lastIndexOf(HOLDING) > d.logs().lastIndexOf('lost the mailbox lease'),
        );
      return held.length > 0 ? held[held.length - 1]!.i : undefined;
    };
    const killSlot = async (i: number) => {
      await desks[i]?.kill();
    };
    const restartSlot = (i: number) => {
      desks[i] = startDesk(env);
      everDesks.push(desks[i]!);
    };
    everDesks.push(desks[0], desks[1]);

    // Partner mail arrives over the faults, paced, as in a working day.
    let appended = 0;
    const appendAll = (async () => {
      for (let i = 0; i < mails.length && !overBudget(); i++) {
        for (let attempt = 0; ; attempt++) {
          try {
            await dovecot.append(USER, mails[i]!);
            break;
          } catch (e) {
            // Dovecot restarting; a retried APPEND that had gone through is a duplicate the desk must take once (DSK-4).
            if (attempt >= 60) throw e;
            await sleep(500);
          }
        }
        appended++;
        if (i % 10 === 9) await sleep(50 + rnd() * 200);
      }
    })();

    const faultKinds = [
      'kill-ingester',
      'kill-desk',
      'kill-parse-children',
      'restart-redis',
      'restart-dovecot',
      'smtp-outage',
    ] as const;
    const runFault = async (f: (typeof faultKinds)[number]) => {
      switch (f) {
        case 'kill-ingester': {
          // Right after a restart nobody may hold the lease yet: wait (bounded) for the holder.
          let h = holder();
          for (const until = Date.now() + 30_000; h === undefined && Date.now() < until; h = holder()) await sleep(200);
          if (h === undefined) {
            log('  nobody took the mailbox lease within 30 s');
            return;
          }
          const before = new Map(desks.map((d) => [d, d ? count(d.logs(), HOLDING) : 0]));
          const at = Date.now();
          await killSlot(h);
          did(f);
          const restartAfter = 2000 + rnd() * 4000;
          let restarted = false;
          for (;;) {
            if (!restarted && Date.now() - at > restartAfter) {
              restartSlot(h);
              restarted = true;
            }
            const took = desks.some(
              (d) => d && d.proc.exitCode === null && count(d.logs(), HOLDING) > (before.get(d) ?? 0),
            );
            if (took) {
              takeoverMs.push(Date.now() - at);
              break;
            }
            if (Date.now() - at > 60_000) {
              log('  no process took the mailbox over within 60 s');
              takeoverMs.push(Number.POSITIVE_INFINITY);
              break;
            }
            await sleep(100);
          }
          if (!restarted) {
            await sleep(Math.max(0, restartAfter - (Date.now() - at)));
            restartSlot(h);
          }
          return;
        }
        case 'kill-desk': {
          const i = Math.floor(rnd() * 2);
          await killSlot(i);
          did(f);
          await sleep(1000 + rnd() * 3000);
          restartSlot(i);
          return;
        }
        case 'kill-parse-children': {
          // The pool forks its children on the first PDFs: wait (bounded) until there are some.
          let kids: number[] = [];
          for (const until = Date.now() + 15_000; Date.now() < until; await sleep(200)) {
            kids = live().flatMap((d) => (d.proc.pid ? childPids(d.proc.pid) : []));
            if (kids.length > 0) break;
          }
          for (const k of kids) {
            try {
              process.kill(k, 'SIGKILL');
            } catch {
              /* gone */
            }
          }
          if (kids.length > 0) did(f);
          return;
        }
        case 'restart-redis':
          did(f);
          await redis.restart();
          return;
        case 'restart-dovecot':
          did(f);
          await dovecot.restart();
          return;
        case 'smtp-outage':
          did(f);
          await smtp.stop();
          // Longer than the longest retry wait (3 s): several attempts of each due mail fail.
          await sleep(10_000 + rnd() * 5_000);
          await smtp.start();
          return;
      }
    };
    // Every kind of fault at least once, in a random order, then more kills and restarts while mail still arrives.
    const order = [...faultKinds].sort(() => rnd() - 0.5);
    let rounds = 0;
    while (!overBudget() && rounds < 40) {
      const f = order.length > 0 ? order.shift()! : pick([...faultKinds]);
      await sleep(500 + rnd() * 2500);
      await runFault(f);
      rounds++;
      if (order.length === 0 && appended >= mails.length) break;
    }
    await appendAll;
    for (let i = 0; i < desks.length; i++)
      if (!desks[i] || desks[i]!.proc.exitCode !== null || desks[i]!.proc.signalCode !== null) restartSlot(i);
    log(
      `chaos: ${appended} mails appended, faults done at ${((Date.now() - t0) / 1000).toFixed(1)} s; waiting for the desk to finish`,
    );

    // Wait for every case's end state and every expected mail (before timers).
    const expected = new Map<string, number>();
    const keyOf = (c: LoadCase, kind: string) => `${c.number || c.from}|${kind}`;
    for (const c of cases) for (const k of c.mails) expected.set(keyOf(c, k), (expected.get(keyOf(c, k)) ?? 0) + 1);
    const received = (m: ReceivedMail) => `${mailCase(m) || m.envelopeTo[0] || ''}|${mailKind(m)}`;
    const missingMails = () => {
      const got = new Map<string, number>();
      for (const m of smtp.messages()) got.set(received(m), (got.get(received(m)) ?? 0) + 1);
      return [...expected.keys()].filter((k) => !got.has(k));
    };
    let caseRows: Array<{ number: string; state: string }> = [];
    const wrongStates = () =>
      cases
        .filter((c) => c.endState && caseRows.find((r) => r.number === c.number)?.state !== c.endState)
        .map((c) => `${c.number}:${caseRows.find((r) => r.number === c.number)?.state ?? 'none'}≠${c.endState}`);
    let completed = false;
    let polls = 0;
    while (!overBudget()) {
      caseRows = await cliJsonRetry<Array<{ number: string; state: string }>>(['case', 'list'], env);
      if (wrongStates().length === 0 && missingMails().length === 0) {
        completed = true;
        break;
      }
      if (++polls % 10 === 0)
        log(
          `  waiting: ${wrongStates().length} cases not in their end state (${wrongStates().slice(0, 5).join(', ')}), ${missingMails().length} mails missing (${missingMails().slice(0, 5).join(', ')})`,
        );
      await sleep(2000);
    }
    log(
      `chaos: cases and mails ${completed ? 'complete' : 'NOT complete'} at ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    if (!completed)
      await diagnose(
        wrongStates()
          .map((w) => w.split(':')[0]!)
          .slice(0, 6),
        everDesks,
        env,
        { host: '127.0.0.1', port: redis.port },
        log,
      );

    // Every due timer fired, as an operator would: `jobs promote`.
    log(`chaos: promoting the due timers at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const timerJobs = (await cliJsonRetry<Array<{ id: string; name: string }>>(['jobs', 'list'], env)).filter((j) =>
      ['deadline-warning', 'deadline', 'key-followup'].includes(j.name),
    );
    // The first through the CLI as an operator would; the rest through BullMQ's own promote, which is all
    // `jobs promote` does (hundreds of CLI processes would take minutes on a loaded two-core machine).
    let promoted = 0;
    const conn = { host: '127.0.0.1', port: redis.port };
    if (timerJobs[0]) {
      const r = await runCli(['jobs', 'promote', timerJobs[0].id], env, 60_000);
      if (r.code === 0) promoted++;
    }
    const timersQueue = new Queue('followup', { connection: conn, prefix: '{chaos}' });
    for (const j of timerJobs.slice(1)) {
      const job = await timersQueue.getJob(j.id);
      if (job && (await job.isDelayed())) {
        await job.promote();
        promoted++;
      }
    }
    await timersQueue.close();
    for (const c of cases)
      for (const k of c.timerMails) expected.set(keyOf(c, k), (expected.get(keyOf(c, k)) ?? 0) + 1);
    const timerKeys = new Set(cases.flatMap((c) => c.timerMails.map((k) => keyOf(c, k))));
    const timerCount = () => {
      const got = new Map<string, number>();
      for (const m of smtp.messages())
        if (timerKeys.has(received(m))) got.set(received(m), (got.get(received(m)) ?? 0) + 1);
      return [...timerKeys].filter((k) => (got.get(k) ?? 0) < (expected.get(k) ?? 0));
    };
    for (const until = Date.now() + 60_000; Date.now() < until && timerCount().length > 0;) await sleep(1000);
    log(
      `chaos: timers done at ${((Date.now() - t0) / 1000).toFixed(1)} s (${timerCount().length} timer mails missing)`,
    );
    // Time for a duplicate to show: several retry rounds of the notify queue.
    await sleep(8_000);
    // Every event delivered (bounded): the webhook jobs are notify jobs, counted below as waiting or failed.
    type LoggedEvent = { id: string; type: string; case?: string; data: Record<string, unknown> };
    let logged: LoggedEvent[] = [];
    // The endpoint is owed every event after it was added (the registry import came before it).
    const notOwed = new Set(before.map((e) => e.id));
    const undelivered = () => {
      const got = new Set(hooks.received.map((e) => e.id));
      return logged.filter((e) => !notOwed.has(e.id) && !got.has(e.id)).map((e) => e.id);
    };
    for (const until = Date.now() + 60_000; Date.now() < until;) {
      logged = await cliJsonRetry<LoggedEvent[]>(['events'], env);
      if (undelivered().length === 0) break;
      await sleep(1000);
    }
    log(
      `chaos: ${logged.length} events, ${undelivered().length} not delivered at ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );

    // --- figures ---
    const got = new Map<string, ReceivedMail[]>();
    for (const m of smtp.messages()) got.set(received(m), [...(got.get(received(m)) ?? []), m]);
    // One mail per (case, kind, step): the desk's Message-ID is derived from exactly that, so two different
    // Message-IDs for one expected mail would be a mail sent twice. The same Message-ID delivered again is a
    // resend: SMTP cannot be exactly-once when the sender dies after the server took the message but before
    // the desk recorded it; the resend carries the same Message-ID, so receivers can drop it.
    const byMessageId = new Map<string, number>();
    for (const m of smtp.messages())
      byMessageId.set(String(m.parsed.messageId), (byMessageId.get(String(m.parsed.messageId)) ?? 0) + 1);
    const resent = [...byMessageId].filter(([, n]) => n > 1).map(([id, n]) => `${id}×${n}`);
    const distinct = new Map<string, Set<string>>();
    for (const [k, ms] of got) distinct.set(k, new Set(ms.map((m) => String(m.parsed.messageId))));
    const duplicates = [...distinct]
      .filter(([k, ids]) => expected.has(k) && ids.size > (expected.get(k) ?? 0))
      .map(([k, ids]) => `${k}×${ids.size}`);
    const missing = [...expected].filter(([k, n]) => (distinct.get(k)?.size ?? 0) < n).map(([k]) => k);
    const unexpected = [...got.keys()].filter((k) => !expected.has(k));

    caseRows = await cliJsonRetry<Array<{ number: string; state: string }>>(['case', 'list'], env);
    const audit = await cliJsonRetry<
      Array<{ case?: string; action: string; reason?: string; from?: string; to?: string }>
    >(['audit'], env);
    // Each state change the audit trail records has its one `case.state-changed` event, committed with it.
    const changesPerCase = new Map<string, number>();
    for (const a of audit)
      if (a.case && a.to !== undefined && a.to !== 'new' && (a.from ?? null) !== a.to)
        changesPerCase.set(a.case, (changesPerCase.get(a.case) ?? 0) + 1);
    const eventsPerCase = new Map<string, number>();
    for (const e of logged)
      if (e.case && e.type === 'case.state-changed') eventsPerCase.set(e.case, (eventsPerCase.get(e.case) ?? 0) + 1);
    const events = {
      total: logged.length,
      undelivered: undelivered(),
      forged: hooks.forged,
      stateChangesUnmatched: [...new Set([...changesPerCase.keys(), ...eventsPerCase.keys()])]
        .filter((n) => changesPerCase.get(n) !== eventsPerCase.get(n))
        .map((n) => `${n}: audit ${changesPerCase.get(n) ?? 0}, events ${eventsPerCase.get(n) ?? 0}`),
      movesInAudit: audit.filter((a) => a.action === 'license-moved').length,
      movesInEvents: logged
        .filter((e) => e.type === 'licenses.moved' && Array.isArray(e.data.moves))
        .reduce((n, e) => n + (e.data.moves as unknown[]).length, 0),
    };
    const reviews = new Map<string, number>();
    const moves = new Map<string, number>();
    for (const a of audit) {
      if (a.action === 'reviewed' && a.case) reviews.set(a.case, (reviews.get(a.case) ?? 0) + 1);
      if (a.action === 'license-moved') {
        const key = /\b(L[KS]-\d+)\b/.exec(a.reason ?? '')?.[1];
        if (key) moves.set(key, (moves.get(key) ?? 0) + 1);
      }
    }
    const withCase = cases.filter((c) => c.number);
    const decided = {
      once: withCase.filter((c) => reviews.get(c.number) === 1).length,
      never: withCase.filter((c) => !reviews.get(c.number)).map((c) => c.number),
      twice: withCase
        .filter((c) => (reviews.get(c.number) ?? 0) > 1)
        .map((c) => `${c.number}×${reviews.get(c.number)}`),
      // After timers: a billed SWAP leaves follow-up; the others keep their end state.
      wrongState: cases
        .filter(
          (c) => c.endState && c.kind !== 'swap' && caseRows.find((r) => r.number === c.number)?.state !== c.endState,
        )
        .map((c) => `${c.number}:${caseRows.find((r) => r.number === c.number)?.state ?? 'none'}≠${c.endState}`),
    };

    // A case decided twice: its audit trail and every log line naming it, to tell which two steps decided it.
    if (decided.twice.length > 0) {
      await diagnose(decided.twice.map((t) => t.split('×')[0]!).slice(0, 4), everDesks, env, conn, log);
      for (const t of decided.twice.slice(0, 4)) {
        const n = t.split('×')[0]!;
        for (const a of audit.filter((e) => e.case === n)) log(`    audit ${n}: ${JSON.stringify(a).slice(0, 400)}`);
      }
    }
    const exported = await cliJsonRetry<{
      licenses: Array<{ key: string; systemKey: string; sku: string; quantity: number }>;
    }>(['registry', 'export'], env);
    const skuAfter: Record<string, number> = {};
    const seen = new Map<string, number>();
    for (const l of exported.licenses) {
      skuAfter[l.sku] = (skuAfter[l.sku] ?? 0) + Number(l.quantity);
      seen.set(l.key, (seen.get(l.key) ?? 0) + 1);
    }
    const where = new Map(exported.licenses.map((l) => [l.key, l.systemKey]));
    const licenses = {
      skuBefore,
      skuAfter,
      keysOnTwoSystems: [...seen].filter(([, n]) => n > 1).map(([k]) => k),
      keysMissing: registry.licenses.map((l) => String(l.key)).filter((k) => !seen.has(k)),
      misplaced: cases.flatMap((c) =>
        Object.entries(c.licensesEnd)
          .filter(([k, s]) => where.get(k) !== s)
          .map(([k, s]) => `${k}@${where.get(k) ?? 'none'}≠${s}`),
      ),
      movedTwice: [...moves].filter(([, n]) => n > 1).map(([k, n]) => `${k}×${n}`),
    };

    // BullMQ's own counts, read as an operator's dashboard would: nothing active or waiting, nothing failed.
    let active = 0,
      waiting = 0,
      failed = 0;
    const stalledLeft: string[] = [];
    for (const name of ['intake', 'review', 'transfer', 'followup', 'notify']) {
      const q = new Queue(name, { connection: conn, prefix: '{chaos}' });
      const c = await q.getJobCounts('active', 'waiting', 'failed', 'prioritized');
      active += c.active ?? 0;
      waiting += (c.waiting ?? 0) + (c.prioritized ?? 0);
      failed += c.failed ?? 0;
      for (const j of await q.getJobs(['active', 'failed'], 0, 20))
        if (j) stalledLeft.push(`${name}:${j.id}:${j.failedReason ?? 'active'}`);
      await q.close();
    }
    const jobs = {
      active,
      waiting,
      failed,
      stalledLeft,
      timersDue: timerJobs.length,
      timersPromoted: promoted,
      timerMailsMissing: timerCount(),
    };

    return {
      cases: cases.length,
      mailsAppended: appended,
      seconds: Math.round((Date.now() - t0) / 1000),
      faults,
      takeoverMs,
      decided,
      licenses,
      mails: {
        expected: [...expected.values()].reduce((a, b) => a + b, 0),
        received: smtp.messages().length,
        duplicates,
        missing,
        unexpected,
        resent,
      },
      jobs,
      events,
      completed,
    };
  } finally {
    await Promise.all(desks.map((d) => d?.kill()));
    await Promise.all([smtp.stop(), dovecot.stop(), redis.stop(), hooks.stop()]);
  }
}

/**
 * What an operator would look at when a mail stays undecided: every desk log line naming the case (killed
 * processes too), the BullMQ jobs that are failed or waiting, and the quarantine. All logs go to a file in
 * CHAOS_LOG_DIR when set.
 */
async function diagnose(
  numbers: string[],
  desks: DeskProcess[],
  env: Env,
  conn: { host: string; port: number },
  log: (l: string) => void,
): Promise<void> {
  const all = desks.map((d, i) => `--- desk process ${i} (pid ${d.proc.pid})\n${d.logs()}`).join('\n');
  if (process.env.CHAOS_LOG_DIR) writeFileSync(join(process.env.CHAOS_LOG_DIR, `chaos-desks-${Date.now()}.log`), all);
  for (const n of numbers) {
    log(`  diagnose ${n}:`);
    for (const line of all
      .split('\n')
      .filter((l) => l.includes(n))
      .slice(0, 15))
      log(`    ${line.slice(0, 400)}`);
  }
  for (const name of ['intake', 'review', 'transfer', 'notify']) {
    const q = new Queue(name, { connection: conn, prefix: '{chaos}' });
    const counts = await q.getJobCounts('active', 'waiting', 'delayed', 'failed', 'completed', 'prioritized');
    log(`  queue ${name}: ${JSON.stringify(counts)}`);
    for (const j of await q.getJobs(['failed', 'active', 'waiting', 'delayed'], 0, 10))
      if (j)
        log(
          `    ${name} ${j.id} attempts ${j.attemptsMade} ${String(j.failedReason ?? '').slice(0, 200)} ${JSON.stringify(j.data).slice(0, 200)}`,
        );
    await q.close();
  }
  const qr = await runCli(['quarantine', 'list', '--json'], env, 60_000).catch(() => undefined);
  log(`  quarantine: ${qr?.stdout.slice(0, 1500) ?? 'unavailable'}`);
}

/** The figures as a short report. */
export function formatFigures(f: ChaosFigures): string {
  const list = (xs: string[]) =>
    xs.length === 0 ? '0' : `${xs.length} (${xs.slice(0, 8).join(', ')}${xs.length > 8 ? ', …' : ''})`;
  const take = f.takeoverMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ') || 'not measured';
  return [
    `chaos: ${f.cases} partner mails (${f.mailsAppended} appended) in ${f.seconds} s; ${f.completed ? 'finished' : 'DID NOT FINISH in its budget'}`,
    `  faults                        ${Object.entries(f.faults)
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ')}`,
    `  mailbox taken over after      ${take}`,
    `  cases decided exactly once    ${f.decided.once}; never ${list(f.decided.never)}; twice ${list(f.decided.twice)}; wrong end state ${list(f.decided.wrongState)}`,
    `  licenses per SKU              before ${JSON.stringify(f.licenses.skuBefore)}, after ${JSON.stringify(f.licenses.skuAfter)}`,
    `  license keys                  on two systems ${list(f.licenses.keysOnTwoSystems)}; missing ${list(f.licenses.keysMissing)}; misplaced ${list(f.licenses.misplaced)}; moved twice ${list(f.licenses.movedTwice)}`,
    `  mails                         expected ${f.mails.expected}, received ${f.mails.received}; twice ${list(f.mails.duplicates)}; missing ${list(f.mails.missing)}; unexpected ${list(f.mails.unexpected)}`,
    `  same Message-ID resent        ${list(f.mails.resent)} (a desk SIGKILLed between the server's 250 and the outbox record)`,
    `  jobs                          active ${f.jobs.active}, waiting ${f.jobs.waiting}, failed ${f.jobs.failed} ${list(f.jobs.stalledLeft)}`,
    `  timers                        due ${f.jobs.timersDue}, promoted ${f.jobs.timersPromoted}, mails missing ${list(f.jobs.timerMailsMissing)}`,
    `  events                        ${f.events.total}; undelivered ${list(f.events.undelivered)}; forged ${list(f.events.forged)}; state changes unmatched ${list(f.events.stateChangesUnmatched)}; moves audit ${f.events.movesInAudit}, events ${f.events.movesInEvents}`,
  ].join('\n');
}
