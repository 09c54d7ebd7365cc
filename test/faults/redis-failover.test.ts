/**
 * the desk survives a Redis failover and a partition. Real
 * processes on loopback: a master with two replicas, three Sentinels, two
 * `licensedesk start` processes, Dovecot and an SMTP server, partner mail
 * flowing before, during and after the fault. One test SIGKILLs the master (a
 * crash); one SIGSTOPs it (a frozen host or a partition: connections stay open,
 * nothing answers) and kills it only later. In both, cases move again within
 * 15 s of Sentinel's promotion, every mail is decided once, licenses are
 * conserved (registry export), every mail the desk sends goes out once, and
 * the desks' stderr from the fault on is JSON lines only.
 *
 * Short forms run in `npm test`. FAILOVER_CASES=long selects the long forms
 * (more mail, and the frozen master killed a full minute after the freeze) for
 * `npm run chaos`.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cardForm, CONTACT, partnerMail, TODAY, transferForm } from '../support/altigen-fixture.js';
import { mailCase, mailKind, runCli, startDesk, type DeskProcess } from '../support/desk-process.js';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { startSentinelGroup, type SentinelGroup } from '../support/redis-sentinel-group.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../embedded/smtp-sink.js';
import { deskEnv } from '../support/desk-env.js';

/** docs/interfaces.md: /metrics answers only with its bearer token. */
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

const LONG = process.env.FAILOVER_CASES === 'long';
/** Partner mails per test: a third before the fault, the rest appended through it. */
const CASES = LONG ? 90 : 24;
/** How long the master stays frozen before it is killed. */
const FROZEN_MS = LONG ? 60_000 : 30_000;
/** Gap between appended mails while the fault happens. */
const APPEND_EVERY_MS = LONG ? 300 : 500;
const RESUME_LIMIT_MS = 15_000;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const caseNo = (i: number) => String(300000 + i);

function registry() {
  const systems: unknown[] = [];
  const licenses: unknown[] = [];
  const cases: unknown[] = [];
  for (let i = 0; i < CASES; i++) {
    systems.push({
      key: `S-${i}-A`,
      endUserId: 'EU-1',
      program: 'altigen',
      model: 'Max1000',
      platform: 'physical',
      registered: true,
      saExpiresOn: day(200),
    });
    systems.push({
      key: `S-${i}-B`,
      endUserId: 'EU-1',
      program: 'altigen',
      model: 'Max2000',
      platform: 'physical',
      registered: true,
      saExpiresOn: day(200),
    });
    licenses.push({ key: `LK-${i}`, systemKey: `S-${i}-A`, sku: 'ALTI-STATION-10', quantity: 1 });
    cases.push({
      number: caseNo(i),
      partnerId: 'P-100',
      systemKey: `S-${i}-B`,
      program: 'altigen',
      openedAt: new Date().toISOString(),
    });
  }
  return {
    catalog: [
      {
        sku: 'ALTI-STATION-10',
        kind: 'station',
        count: 10,
        lifecycle: 'orderable',
        listPrice: { USD: 1500 },
        saYearly: { USD: 150 },
      },
    ],
    partners: [{ id: 'P-100', name: 'Acme Telecom', currency: 'USD', contacts: [CONTACT], standardDiscountPct: 20 }],
    endUsers: [{ id: 'EU-1', name: 'Globex', partnerId: 'P-100' }],
    systems,
    licenses,
    cases,
  };
}

async function mailFor(i: number): Promise<Buffer> {
  const lt = await transferForm({
    caseNumber: caseNo(i),
    from: `S-${i}-A`,
    to: `S-${i}-B`,
    chassis: 'Max2000',
    keys: [`LK-${i}`],
  });
  return partnerMail(`Case ${caseNo(i)}`, [
    { name: 'transfer.pdf', bytes: lt },
    { name: 'card.pdf', bytes: await cardForm(caseNo(i)) },
  ]);
}

let dovecot: RunningDovecot;
let mails: Buffer[];

beforeAll(async () => {
  dovecot = await startDovecot();
  mails = [];
  for (let i = 0; i < CASES; i++) mails.push(await mailFor(i));
  void TODAY;
}, 120_000);

afterAll(async () => {
  await dovecot?.stop();
});

/** Arrival time of each mail at the SMTP server, sampled every 100 ms. */
function arrivals(smtp: SmtpSink) {
  const seenAt: number[] = [];
  const timer = setInterval(() => {
    const n = smtp.messages().length;
    while (seenAt.length < n) seenAt.push(Date.now());
  }, 100);
  return {
    stop: () => clearInterval(timer),
    /** First mail of `kind` that arrived after `t`, with its arrival time. */
    firstAfter(t: number, kind: string): { at: number; mail: ReceivedMail } | undefined {
      const all = smtp.messages();
      for (let i = 0; i < seenAt.length; i++)
        if (seenAt[i]! > t && mailKind(all[i]!) === kind) return { at: seenAt[i]!, mail: all[i]! };
      return undefined;
    },
  };
}

const transferredCases = (smtp: SmtpSink) => new Set(smtp.byKind('transferred').map(mailCase));

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function consoleUrl(desk: DeskProcess): string | undefined {
  for (const line of desk.logs().split('\n')) {
    try {
      const j = JSON.parse(line) as { console?: string };
      if (j.console) return j.console;
    } catch {
      /* not JSON: checked elsewhere */
    }
  }
  return undefined;
}

/** Lines that are not JSON, among what `desk` wrote after `from` characters. */
const nonJsonLines = (desk: DeskProcess, from: number) =>
  desk
    .logs()
    .slice(from)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });

async function runFailover(fault: 'kill' | 'freeze'): Promise<void> {
  const group: SentinelGroup = await startSentinelGroup(`ld${fault}`);
  const smtp = await startSmtpSink();
  const user = `desk-failover-${fault}`;
  const env = deskEnv(
    { redisUrl: group.url, imapUrl: dovecot.imapUrl(user), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: `fo${fault}`,
      LICENSEDESK_DESK_ADDRESS: undefined,
      LICENSEDESK_SALES_ADDRESS: undefined,
      LICENSEDESK_REPLY_LIMIT_PER_HOUR: '1000',
      LICENSEDESK_METRICS_TOKEN: METRICS_TOKEN,
      LICENSEDESK_REDIS_WAIT_REPLICAS: '1',
      LICENSEDESK_REDIS_WAIT_MS: '500',
      LICENSEDESK_WATCHDOG_SECONDS: '20',
    },
  );
  const desks: DeskProcess[] = [];
  const seen = arrivals(smtp);
  const file = join(tmpdir(), `ld-failover-${fault}-${process.pid}.json`);
  try {
    writeFileSync(file, JSON.stringify(registry()));
    const imp = await runCli(['registry', 'import', file], env);
    rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
    expect(imp.code, imp.stderr).toBe(0);
    desks.push(startDesk(env), startDesk(env));

    // A third of the mail before the fault, all of it moved: the desks work.
    const before = Math.floor(CASES / 3);
    for (let i = 0; i < before; i++) await dovecot.append(user, mails[i]!);
    await until(() => transferredCases(smtp).size >= before, 60_000, `the first ${before} cases to move`);

    // The rest is appended at a steady pace from just before the fault on.
    let appended = before;
    const appending = (async () => {
      for (let i = before; i < CASES; i++) {
        await dovecot.append(user, mails[i]!);
        appended++;
        await new Promise((r) => setTimeout(r, APPEND_EVERY_MS));
      }
    })();
    await new Promise((r) => setTimeout(r, 1_500));

    const oldMaster = await group.masterPort();
    const logFrom = desks.map((d) => d.logs().length);
    const faultAt = Date.now();
    group.node(oldMaster).proc.kill(fault === 'kill' ? 'SIGKILL' : 'SIGSTOP');

    let healthMs = -1;
    let healthBody: { ok?: boolean; problems?: string[] } = {};
    if (fault === 'freeze') {
      // While the master is frozen and not yet replaced, /health still answers within a second and says why.
      await new Promise((r) => setTimeout(r, 1_000));
      const url = consoleUrl(desks[0]!);
      expect(url, 'desk 1 logged its console address').toBeTruthy();
      const t0 = Date.now();
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
      healthMs = Date.now() - t0;
      healthBody = (await res.json()) as typeof healthBody;
      expect(res.status).toBe(503);
    }

    const promotion = await group.waitForPromotion(oldMaster, 30_000);
    await until(
      () => seen.firstAfter(promotion.at, 'transferred') !== undefined,
      45_000,
      'a case to move after the promotion',
    );
    const resumed = seen.firstAfter(promotion.at, 'transferred')!;
    const resumeMs = resumed.at - promotion.at;

    if (fault === 'freeze') {
      // The frozen master is killed only later, as a partition that ends with the host gone.
      const wait = faultAt + FROZEN_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      group.node(oldMaster).proc.kill('SIGKILL');
    }
    await appending;
    await until(
      () => transferredCases(smtp).size >= CASES,
      90_000,
      `all ${CASES} cases to move (appended ${appended})`,
    );
    // Let any late duplicate show itself before counting.
    await new Promise((r) => setTimeout(r, 2_000));

    // Every case decided once, and moved.
    const list = JSON.parse((await runCli(['case', 'list', '--json'], env)).stdout) as Array<{
      number: string;
      state: string;
    }>;
    const ours = list.filter((c) => Number(c.number) >= 300000 && Number(c.number) < 300000 + CASES);
    expect(
      ours.filter((c) => c.state !== 'transferred'),
      'cases not transferred',
    ).toEqual([]);
    expect(ours.length).toBe(CASES);

    // Every mail the desk sent went out once (per case and kind).
    const counts = new Map<string, number>();
    for (const m of smtp.messages())
      counts.set(`${mailCase(m)}/${mailKind(m)}`, (counts.get(`${mailCase(m)}/${mailKind(m)}`) ?? 0) + 1);
    expect(
      [...counts].filter(([, n]) => n !== 1),
      'mails sent more than once',
    ).toEqual([]);
    expect(smtp.byKind('transferred').length).toBe(CASES);

    // Licenses conserved: each is where its move says, none lost or doubled.
    const exported = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as {
      licenses: Array<{ key: string; systemKey: string; quantity: number }>;
    };
    expect(exported.licenses.length).toBe(CASES);
    for (let i = 0; i < CASES; i++) {
      const l = exported.licenses.find((x) => x.key === `LK-${i}`);
      expect(l, `LK-${i}`).toMatchObject({ systemKey: `S-${i}-B`, quantity: 1 });
    }

    // Both desks lived through it (the watchdog did not need to restart them),
    // and what they wrote from the fault on is JSON lines only, and few.
    for (const d of desks) expect(d.proc.exitCode, d.logs().slice(-3000)).toBeNull();
    const linesDuring = desks.map((d, k) => d.logs().slice(logFrom[k]).split('\n').filter(Boolean).length);
    desks.forEach((d, k) => expect(nonJsonLines(d, logFrom[k]!), 'non-JSON lines on stderr').toEqual([]));
    const outageLines = desks.map(
      (d, k) =>
        d
          .logs()
          .slice(logFrom[k])
          .split('\n')
          .filter((l) => /"redis":"(down|up|reconnected)"/.test(l)).length,
    );
    // /metrics after the fact: Redis up again, the watchdog watching every queue.
    const metrics = await (
      await fetch(`${consoleUrl(desks[1]!)}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        signal: AbortSignal.timeout(10_000),
      })
    ).text();
    expect(metrics).toMatch(/licensedesk_redis_down 0/);
    expect(metrics).toMatch(/licensedesk_watchdog_untaken_seconds\{queue="intake"\}/);

    // The figures the README quotes.
    console.log(
      JSON.stringify({
        fault,
        cases: CASES,
        promotedAfterMs: promotion.at - faultAt,
        resumeAfterPromotionMs: resumeMs,
        frozenMs: fault === 'freeze' ? FROZEN_MS : undefined,
        healthMs: fault === 'freeze' ? healthMs : undefined,
        health: fault === 'freeze' ? healthBody.problems : undefined,
        logLinesPerDeskFromFault: linesDuring,
        outageLinesPerDesk: outageLines,
      }),
    );
    if (fault === 'freeze') {
      expect(healthMs).toBeLessThan(1_000);
      expect(healthBody.ok).toBe(false);
      expect(healthBody.problems?.join(' ')).toMatch(/Redis/);
    }
    expect(resumeMs, 'cases move again within 15 s of the promotion').toBeLessThanOrEqual(RESUME_LIMIT_MS);
    // Each desk says what happened, in a few lines.
    for (const n of outageLines) {
      expect(n, 'outage lines per desk').toBeGreaterThanOrEqual(1);
      expect(n, 'outage lines per desk').toBeLessThanOrEqual(12);
    }
  } catch (e) {
    // What the desks said is the first thing to read when this fails.
    desks.forEach((d, k) => console.log(`--- desk ${k + 1} (exit ${d.proc.exitCode}) ---\n${d.logs().slice(-6000)}`));
    throw e;
  } finally {
    seen.stop();
    rmSync(file, { force: true });
    await Promise.all(desks.map((d) => (d.proc.exitCode === null ? d.kill() : undefined)));
    await smtp.stop();
    await group.stop();
  }
}

it(
  'Redis master SIGKILLed under two desks: cases move again within 15 s of the promotion, every mail decided and sent once, licenses conserved, stderr JSON only',
  async () => {
    await runFailover('kill');
  },
  LONG ? 300_000 : 150_000,
);

it(
  'Redis master frozen (SIGSTOP) under two desks, killed later: cases move again within 15 s of the promotion, /health answers within a second, nothing lost or sent twice',
  async () => {
    await runFailover('freeze');
  },
  LONG ? 360_000 : 170_000,
);
