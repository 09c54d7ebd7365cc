/**
 * DSK-5 through every path: the card number is checked (Luhn, expiry) and
 * kept only masked; it never reaches Redis, a job payload, a log line, an
 * email, an error message or the audit trail, and a security code is never
 * stored.
 *
 * On real redis-server, Dovecot and the SMTP sink, with the desk run as
 * `licensedesk start` child processes: a good card, a card failing Luhn, an
 * expired card, card numbers typed into the wrong field (billing_postcode,
 * cardholder_name, the transfer form's license_keys), a card form with a
 * `cvv` field, a desk killed with SIGKILL while it works through a batch and
 * started again, and mail sent while SMTP is down (notify jobs fail and
 * retry) and then back on the same port. Then every key of Redis (every
 * type, streams, BullMQ jobs and their failed-attempt stack traces), every
 * mail the sink received (raw and decoded), every log line of every desk
 * process, and what the CLI and the console show are searched for every
 * card number used, plain, spaced and dashed.
 *
 * The its run in order and share one desk: each scenario's own it checks its
 * outcome and its reply, the last four search everything.
 */
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { runCli, startDesk, type DeskProcess, mailCase, mailKind, waitForCaseState } from '../support/desk-process.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink, type ReceivedMail } from '../../embedded/smtp-sink.js';
import { partnerMail } from '../support/altigen-fixture.js';
import { pdftkFieldValues } from '../fixtures/forms/tools.js';
import {
  addTextField,
  cardDataRegistry,
  cardFormWith,
  cardSpellings,
  findNeedles,
  luhnValid,
  scanRedis,
  startTcpRelay,
  transferFormFor,
  withCheckDigit,
  type Hit,
  type Needle,
  type TcpRelay,
} from '../support/card-data-fixture.js';
import { runCliWithInput, signInOverHttp } from '../support/console-fixture.js';
import { deskEnv } from '../support/desk-env.js';

interface CaseJson {
  number: string;
  state: string;
  findings: Array<{ rule: string; outcome: string; message: string }>;
  card?: { last4: string; token?: string };
  discardedFields?: string[];
}

const USER = 'desk-card-data';
const PREFIX = 'cd';

// --- the card numbers, one a scenario so a leak names its path ----------------------
const GOOD = { n: '300001', digits: '4111111111111111', typed: '4111 1111 1111 1111' };
const BAD_LUHN = { n: '300002', digits: '5555555555554445', typed: '5555 5555 5555 4445' }; // 5555555555554444 with its last digit mistyped
const EXPIRED = { n: '300003', digits: '4012888888881881', typed: '4012-8888-8888-1881' };
const IN_POSTCODE = { n: '300004', digits: '378282246310005', typed: '3782 822463 10005' };
const IN_NAME = { n: '300005', digits: '6011111111111117', typed: '6011 1111 1111 1117', card: '5105105105105100' };
const IN_KEYS = { n: '300006', digits: '3530111333300000', typed: '3530 1113 3330 0000', card: '4000056655665556' };
const WITH_CVV = { n: '300007', digits: '4242424242424242', typed: '4242 4242 4242 4242', cvv: '9073' };
const CRASH = ['300101', '300102', '300103', '300104', '300105', '300106'].map((n, i) => ({
  n,
  digits: withCheckDigit(`491700${n}00${i}`),
}));
const SMTP_DOWN = ['300201', '300202', '300203'].map((n, i) => ({ n, digits: withCheckDigit(`522200${n}00${i}`) }));

const ALL_CASES = [GOOD, BAD_LUHN, EXPIRED, IN_POSTCODE, IN_NAME, IN_KEYS, WITH_CVV, ...CRASH, ...SMTP_DOWN].map(
  (c) => c.n,
);

const NEEDLES: Needle[] = [
  ...[
    ['good card', GOOD.digits],
    ['card failing Luhn', BAD_LUHN.digits],
    ['expired card', EXPIRED.digits],
    ['card typed in billing_postcode', IN_POSTCODE.digits],
    ['card typed in cardholder_name', IN_NAME.digits],
    ['card on the cardholder_name case', IN_NAME.card],
    ['card typed in license_keys', IN_KEYS.digits],
    ['card on the license_keys case', IN_KEYS.card],
    ['card with a cvv', WITH_CVV.digits],
    ...CRASH.map((c) => [`crash-batch card (case ${c.n})`, c.digits]),
    ...SMTP_DOWN.map((c) => [`SMTP-down card (case ${c.n})`, c.digits]),
  ].flatMap(([label, digits]) =>
    cardSpellings(digits!).map((text) => ({ label: `${label} ${digits} as "${text}"`, text })),
  ),
  { label: `security code ${WITH_CVV.cvv}`, re: new RegExp(`(?<![0-9A-Za-z])${WITH_CVV.cvv}(?![0-9A-Za-z])`) },
];

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
/** In front of the SMTP sink: closed and reopened on the same port. */
let relay: TcpRelay;
/** In front of Redis for the first desk only: slowed down before the kill. */
let redisRelay: TcpRelay;
let env: Record<string, string>;
const desks: Array<{ name: string; desk: DeskProcess }> = [];
let desk: DeskProcess;
/** Everything the CLI printed (stdout and stderr), for the last search. */
const cliOutput: Array<{ what: string; text: string }> = [];

const caseInState = (n: string, states: string[], ms = 30_000) => waitForCaseState<CaseJson>(env, n, states, ms);
const partnerReply = (n: string, kinds: string[], ms = 20_000) =>
  smtp.waitFor((m) => mailCase(m) === n && kinds.includes(mailKind(m)), ms, `${kinds.join('|')} mail for case ${n}`);
// Base64 lines of the raw mail are left out (random letters and digits can spell a short security code);
// every part is scanned decoded instead, and an attached form by what pdftk reads in its fields.
const mailText = (m: ReceivedMail) =>
  [
    m.raw.replace(/^[A-Za-z0-9+/=]{40,}\r?$/gm, ''),
    m.parsed.subject ?? '',
    m.parsed.text ?? '',
    typeof m.parsed.html === 'string' ? m.parsed.html : '',
    ...m.parsed.attachments
      .filter((a) => a.contentType === 'application/pdf')
      .map((a) => JSON.stringify(pdftkFieldValues(new Uint8Array(a.content)))),
  ].join('\n');
const hitsIn = (where: string, text: string) => findNeedles(where, text, NEEDLES);
const report = (hits: Hit[]) => hits.map((h) => `- ${h.where}\n    ${h.needle}\n    …${h.context}…`).join('\n');

function startOne(name: string, extra: Record<string, string> = {}): DeskProcess {
  const d = startDesk({ ...env, ...extra });
  desks.push({ name, desk: d });
  return d;
}

async function mailFor(c: { n: string }, card: Uint8Array, extraKeyLines: string[] = []): Promise<Buffer> {
  return partnerMail(`[Case ${c.n}] license transfer`, [
    { name: 'transfer.pdf', bytes: await transferFormFor(c.n, extraKeyLines) },
    { name: 'card.pdf', bytes: card },
  ]);
}

beforeAll(async () => {
  for (const c of [GOOD, EXPIRED, IN_POSTCODE, IN_KEYS, WITH_CVV, ...CRASH, ...SMTP_DOWN])
    expect(luhnValid(c.digits), c.digits).toBe(true);
  expect(luhnValid(IN_NAME.digits) && luhnValid(IN_NAME.card) && luhnValid(IN_KEYS.card)).toBe(true);
  expect(luhnValid(BAD_LUHN.digits)).toBe(false);

  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  [relay, redisRelay] = await Promise.all([startTcpRelay(smtp.port), startTcpRelay(redis.port)]);
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: `smtp://127.0.0.1:${relay.port}?tls=optional` },
    { LICENSEDESK_PREFIX: PREFIX, LICENSEDESK_SECRET: 'card-data-secret-0123456789abcdef' },
  );
  const file = join(tmpdir(), `ld-card-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(cardDataRegistry(ALL_CASES)));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  expect(imp.code, imp.stderr).toBe(0);
  desk = startOne('desk 1 (killed with SIGKILL)', { LICENSEDESK_REDIS_URL: `redis://127.0.0.1:${redisRelay.port}` });

  // The single-form scenarios go in at once; each it below waits for its own case.
  const mails = [
    await mailFor(GOOD, await cardFormWith(GOOD.n, { card_number: GOOD.typed })),
    await mailFor(BAD_LUHN, await cardFormWith(BAD_LUHN.n, { card_number: BAD_LUHN.typed })),
    await mailFor(EXPIRED, await cardFormWith(EXPIRED.n, { card_number: EXPIRED.typed, card_expiry: '01/20' })),
    // The number slipped one field down: card_number left blank, the number in billing_postcode.
    await mailFor(
      IN_POSTCODE,
      await cardFormWith(IN_POSTCODE.n, { card_number: '', billing_postcode: IN_POSTCODE.typed }),
    ),
    await mailFor(
      IN_NAME,
      await cardFormWith(IN_NAME.n, { card_number: IN_NAME.card, cardholder_name: IN_NAME.typed }),
    ),
    await mailFor(IN_KEYS, await cardFormWith(IN_KEYS.n, { card_number: IN_KEYS.card }), [IN_KEYS.typed]),
    await mailFor(
      WITH_CVV,
      await addTextField(await cardFormWith(WITH_CVV.n, { card_number: WITH_CVV.typed }), 'cvv', WITH_CVV.cvv),
    ),
  ];
  for (const m of mails) await dovecot.append(USER, m);
}, 60_000);

afterAll(async () => {
  const code = await desk?.stop();
  await Promise.all([relay?.close(), redisRelay?.close()]);
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
  expect(code).toBe(0);
});

describe('DSK-5 card data on every path', () => {
  it('DSK-5 a good card moves the case and is kept only as its last four digits and a token', async () => {
    const c = await caseInState(GOOD.n, ['transferred', 'waiting-partner', 'rejected', 'held']);
    expect(c.state, JSON.stringify(c.findings)).toBe('transferred');
    expect(c.card?.last4).toBe('1111');
    expect(c.card?.token).toMatch(/^tok_/);
    expect(c.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'DSK-5', outcome: 'pass' })]));
    const m = await partnerReply(GOOD.n, ['transferred']);
    expect(hitsIn(`mail ${mailKind(m)} case ${GOOD.n}`, mailText(m))).toEqual([]);
  });

  it('DSK-5 a card number failing the Luhn check gets an incomplete reply that does not repeat it', async () => {
    const c = await caseInState(BAD_LUHN.n, ['waiting-partner', 'transferred', 'rejected', 'held']);
    expect(c.state).toBe('waiting-partner');
    expect(c.card).toBeUndefined();
    const m = await partnerReply(BAD_LUHN.n, ['incomplete']);
    expect(m.parsed.text).toContain('(DSK-5)');
    expect(m.parsed.text).toMatch(/not a valid card number/);
    expect(hitsIn(`mail incomplete case ${BAD_LUHN.n}`, mailText(m))).toEqual([]);
  });

  it('DSK-5 an expired card gets an incomplete reply naming it by its last four digits only', async () => {
    const c = await caseInState(EXPIRED.n, ['waiting-partner', 'transferred', 'rejected', 'held']);
    expect(c.state).toBe('waiting-partner');
    const m = await partnerReply(EXPIRED.n, ['incomplete']);
    expect(m.parsed.text).toMatch(/ending in 1881 expired/);
    expect(hitsIn(`mail incomplete case ${EXPIRED.n}`, mailText(m))).toEqual([]);
  });

  it('DSK-5 a card number typed into billing_postcode (card_number blank): the case waits for a card number and the digits are not echoed', async () => {
    const c = await caseInState(IN_POSTCODE.n, ['waiting-partner', 'transferred', 'rejected', 'held']);
    expect(c.state).toBe('waiting-partner');
    const m = await partnerReply(IN_POSTCODE.n, ['incomplete']);
    expect(m.parsed.text).toMatch(/card_number/);
    console.log(
      `[card-data] card number in billing_postcode: case ${IN_POSTCODE.n} ${c.state}; the reply asks: ${(
        m.parsed.text ?? ''
      )
        .split('\n')
        .filter((l) => /^\s+- \(/.test(l))
        .join(' | ')}`,
    );
    expect(hitsIn(`mail incomplete case ${IN_POSTCODE.n}`, mailText(m))).toEqual([]);
  });

  it('DSK-5 a card number typed into cardholder_name is not echoed in the reply', async () => {
    const c = await caseInState(IN_NAME.n, ['waiting-partner', 'transferred', 'rejected', 'held']);
    const m = await partnerReply(IN_NAME.n, ['incomplete', 'transferred', 'rejected']);
    console.log(
      `[card-data] card number in cardholder_name: case ${IN_NAME.n} ${c.state}, partner mailed '${mailKind(m)}'`,
    );
    expect(hitsIn(`mail ${mailKind(m)} case ${IN_NAME.n} (state ${c.state})`, mailText(m))).toEqual([]);
  });

  it("DSK-5 a card number typed into the transfer form's license_keys is not echoed in the reply", async () => {
    const c = await caseInState(IN_KEYS.n, ['waiting-partner', 'transferred', 'rejected', 'held']);
    expect(c.state).toBe('waiting-partner'); // the line is not a license key (ALT-3)
    const m = await partnerReply(IN_KEYS.n, ['incomplete']);
    expect(hitsIn(`mail incomplete case ${IN_KEYS.n}`, mailText(m))).toEqual([]);
  });

  it('DSK-5 a security-code field (cvv) is discarded unread: the case moves, only the field name is kept, and the partner is told', async () => {
    const c = await caseInState(WITH_CVV.n, ['transferred', 'waiting-partner', 'rejected', 'held']);
    expect(c.state, JSON.stringify(c.findings)).toBe('transferred');
    expect(c.discardedFields).toEqual(['cvv']);
    expect(c.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'DSK-5', outcome: 'info', message: expect.stringMatching(/security code/) }),
      ]),
    );
    expect(JSON.stringify(c)).not.toMatch(new RegExp(`(?<![0-9A-Za-z])${WITH_CVV.cvv}(?![0-9A-Za-z])`));
    const m = await partnerReply(WITH_CVV.n, ['transferred']);
    expect(hitsIn(`mail transferred case ${WITH_CVV.n}`, mailText(m))).toEqual([]);
  });

  let killedAt = 0;
  it('DSK-4 DSK-5 the desk is killed with SIGKILL while it works through a batch of card mails, and started again', async () => {
    const raws = await Promise.all(
      CRASH.map(async (c) =>
        mailFor(c, await cardFormWith(c.n, { card_number: c.digits.replace(/(\d{4})(?=\d)/g, '$1 ') })),
      ),
    );
    // The desk's Redis turns slow (25 ms each way), so that the kill below, which watches Redis directly,
    // lands after the first case is written and before the desk's next write: every run alike.
    redisRelay.setDelay(25);
    for (const raw of raws) await dovecot.append(USER, raw);
    // Kill as soon as the first batch case exists: the rest is still being ingested, read or reviewed.
    const r = new Redis(redis.url);
    let states: string[];
    const active: Record<string, number> = {};
    try {
      const until = Date.now() + 20_000;
      while (!(await r.exists(...CRASH.map((c) => `{${PREFIX}}:case:${c.n}`)))) {
        if (Date.now() > until) throw new Error('no batch case appeared in 20 s');
      }
      await desk.kill();
      killedAt = Date.now();
      const caseDocs = await Promise.all(CRASH.map((c) => r.hget(`{${PREFIX}}:case:${c.n}`, 'doc')));
      const reviews = await Promise.all(
        CRASH.map(async (c) => (await r.keys(`{${PREFIX}}:review:review.${c.n}.*`)).length > 0),
      );
      states = caseDocs.map(
        (d, i) =>
          `${CRASH[i]!.n}:${d ? `${(JSON.parse(d) as { state: string }).state}${reviews[i] ? '' : ' (no review job queued)'}` : 'none'}`,
      );
      for (const q of ['intake', 'review', 'transfer', 'notify']) active[q] = await r.llen(`{${PREFIX}}:${q}:active`);
    } finally {
      r.disconnect();
    }
    console.log(
      `[card-data] SIGKILL with batch cases ${states.join(' ')}; active jobs left behind: ${JSON.stringify(active)}`,
    );
    // It really was mid-batch: a case was written and its review not yet queued.
    expect(
      states.some((s) => s.includes('(no review job queued)')),
      states.join(' '),
    ).toBe(true);
    desk = startOne('desk 2 (after the crash)', { LOG_LEVEL: 'debug' });
  });

  it('DSK-5 mail sent while SMTP is down fails and is retried, and flows once SMTP is back on the same port', async () => {
    await relay.close();
    try {
      for (const c of SMTP_DOWN) {
        await dovecot.append(
          USER,
          await mailFor(c, await cardFormWith(c.n, { card_number: c.digits.replace(/(\d{4})(?=\d)/g, '$1-') })),
        );
      }
      // The cases are decided while no mail can go out (the new desk may first wait up to 15 s for the dead one's ingest lease).
      for (const c of SMTP_DOWN) {
        const done = await caseInState(c.n, ['transferred', 'waiting-partner', 'rejected', 'held'], 40_000);
        expect(done.state, JSON.stringify(done.findings)).toBe('transferred');
      }
      // Each partner's 'transferred' mail job has failed at least once, its stack trace kept by BullMQ. The mail is
      // in a job of its own (`mail.…`) or in the job of its commit's mails (`mails.…`).
      const r = new Redis(redis.url);
      const failed = new Map<string, string>();
      try {
        const until = Date.now() + 20_000;
        while (failed.size < SMTP_DOWN.length) {
          // The job hashes themselves, not their ':lock' or ':logs' companions.
          const jobs = (await r.keys(`{${PREFIX}}:notify:mail*`)).filter(
            (k) => !k.slice(`{${PREFIX}}:notify:`.length).includes(':'),
          );
          for (const c of SMTP_DOWN) {
            for (const key of jobs) {
              const [data, reason] = await r.hmget(key, 'data', 'failedReason');
              if (data?.includes(`"mailId":"case.${c.n}.transferred.`) && reason) failed.set(c.n, `${key}: ${reason}`);
            }
          }
          if (Date.now() > until)
            throw new Error(`notify jobs did not fail while SMTP was down: ${[...failed.keys()].join(',')}`);
          await new Promise((res) => setTimeout(res, 200));
        }
      } finally {
        r.disconnect();
      }
      console.log(`[card-data] notify jobs failed while SMTP was down:\n  ${[...failed.values()].join('\n  ')}`);
      expect([...failed.values()].every((v) => /ECONNREFUSED|connect/i.test(v))).toBe(true);
      expect(smtp.messages().some((m) => SMTP_DOWN.some((c) => mailCase(m) === c.n))).toBe(false);
    } finally {
      await relay.open();
    }
    for (const c of SMTP_DOWN) {
      const m = await partnerReply(c.n, ['transferred'], 40_000);
      expect(hitsIn(`mail transferred case ${c.n}`, mailText(m))).toEqual([]);
    }
    expect(desk.logs()).toMatch(/"queue":"notify".*job failed/);
  }, 90_000);

  it('DSK-4 DSK-5 the batch interrupted by the crash finishes on the restarted desk: every case moved, every partner told', async () => {
    // Polled in Redis (the store of record) rather than by spawning the CLI every 100 ms for a minute or more.
    const r = new Redis(redis.url);
    const decided = ['transferred', 'waiting-partner', 'rejected', 'held'];
    const docOf = async (n: string) => {
      const d = await r.hget(`{${PREFIX}}:case:${n}`, 'doc');
      return d ? (JSON.parse(d) as { state: string; messages: Array<{ id: string }> }) : undefined;
    };
    const pendingJobs = async () => {
      let n = 0;
      for (const q of ['intake', 'review', 'transfer']) {
        n += (await r.llen(`{${PREFIX}}:${q}:wait`)) + (await r.llen(`{${PREFIX}}:${q}:active`));
        n += (await r.zcard(`{${PREFIX}}:${q}:delayed`)) + (await r.zcard(`{${PREFIX}}:${q}:prioritized`));
      }
      return n;
    };
    let stuck: string[] = [];
    try {
      for (;;) {
        const docs = await Promise.all(CRASH.map((c) => docOf(c.n)));
        const open = CRASH.filter((_, i) => !decided.includes(docs[i]?.state ?? 'none'));
        if (open.length === 0) break;
        // Nothing queued or running any more, and no review job exists for the open cases: nothing will ever move them.
        if ((await pendingJobs()) === 0) {
          const noReview = [];
          for (const c of open) if ((await r.keys(`{${PREFIX}}:review:review.${c.n}.*`)).length === 0) noReview.push(c);
          if (noReview.length === open.length) {
            for (const c of open) {
              const doc = await docOf(c.n);
              const intake = await Promise.all(
                (doc?.messages ?? []).map(async (m) => {
                  const h = await r.hgetall(`{${PREFIX}}:intake:intake.${m.id}`);
                  return `intake job for message ${m.id}: attempts started ${h.ats ?? '?'}, stalled ${h.stc ?? 0}, returned ${h.returnvalue ?? '-'}`;
                }),
              );
              const repMail = smtp.messages().some((m) => mailCase(m) === c.n && mailKind(m) === 'rep-new-case');
              stuck.push(
                `case ${c.n} is '${doc?.state ?? 'none'}' with no review job queued; ${intake.join('; ')}; rep-new-case mail ${repMail ? 'sent' : 'never sent'}`,
              );
            }
            break;
          }
        }
        if (Date.now() - killedAt > 100_000) {
          stuck = open.map((c) => `case ${c.n} still not decided 100 s after the SIGKILL`);
          break;
        }
        await new Promise((res) => setTimeout(res, 500));
      }
    } finally {
      r.disconnect();
    }
    console.log(
      `[card-data] ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the SIGKILL: ${stuck.length ? `stuck:\n  ${stuck.join('\n  ')}` : 'the whole batch is decided'}`,
    );
    expect(stuck, `crash recovery left cases behind:\n${stuck.join('\n')}`).toEqual([]);
    for (const c of CRASH) {
      const done = await caseInState(c.n, decided, 5_000);
      expect(done.state, JSON.stringify(done.findings)).toBe('transferred');
      expect(done.card?.last4).toBe(c.digits.slice(-4));
      await partnerReply(c.n, ['transferred'], 30_000);
    }
  }, 120_000);

  it('DSK-5 no card number (nor the security code) in Redis: every key of every type, job payloads, failed-attempt stack traces, the audit stream', async () => {
    // Let the last mails' outbox records land first.
    await new Promise((res) => setTimeout(res, 500));
    const scan = await scanRedis(redis.url, NEEDLES);
    console.log(
      `[card-data] Redis: ${scan.keys} keys scanned ${JSON.stringify(scan.types)}; job hashes with failed-attempt stack traces: ${scan.stacktraces.length}`,
    );
    expect(scan.types['stream'] ?? 0).toBeGreaterThan(0); // the audit trail was read
    expect(scan.stacktraces.length).toBeGreaterThan(0); // failed attempts were read
    expect(scan.readablePdf, 'a readable PDF (the card form) is kept in Redis').toEqual([]);
    expect(scan.hits, `card data in Redis:\n${report(scan.hits)}`).toEqual([]);
  });

  it('DSK-5 no card number (nor the security code) in any mail the sink received, raw or decoded, and no PDF sent on', () => {
    const all = smtp.messages();
    expect(all.length).toBeGreaterThan(ALL_CASES.length);
    const hits = all.flatMap((m) =>
      hitsIn(`mail kind=${mailKind(m) || '-'} case=${mailCase(m) || '-'} to=${m.envelopeTo.join(',')}`, mailText(m)),
    );
    expect(hits, `card data in mail:\n${report(hits)}`).toEqual([]);
    // The only PDFs the desk mails are its own forms for the partner to complete, named for the
    // form and the case, never a PDF a partner sent: their fields were scanned above.
    const sent = all.flatMap((m) =>
      m.parsed.attachments.map((a) => ({
        kind: mailKind(m),
        file: a.filename ?? '',
        ours:
          a.filename === `credit-card-authorization-${mailCase(m)}.pdf` ||
          a.filename === `license-transfer-form-${mailCase(m)}.pdf`,
      })),
    );
    expect(sent.filter((a) => a.kind !== 'incomplete' || !a.ours)).toEqual([]);
  });

  it('DSK-5 no card number (nor the security code) in any log line of any desk process', () => {
    const hits = desks.flatMap(({ name, desk: d }) =>
      d
        .logs()
        .split('\n')
        .flatMap((line, i) => hitsIn(`${name}, log line ${i + 1}`, line)),
    );
    expect(desks.every(({ desk: d }) => d.logs().length > 0)).toBe(true);
    expect(hits, `card data in logs:\n${report(hits)}`).toEqual([]);
  });

  it("DSK-5 no card number (nor the security code) in what the CLI and the reps' console show", async () => {
    const cli = async (args: string[]) => {
      const r = await runCli(args, env);
      cliOutput.push({ what: `licensedesk ${args.join(' ')}`, text: `${r.stdout}\n${r.stderr}` });
    };
    // Two at a time: each is a node process, and the machine has two cores.
    const calls = [
      ...ALL_CASES.map((n) => ['case', 'show', n, '--json']),
      ['case', 'list', '--json'],
      ['audit', '--json'],
      ['jobs', 'list', '--json'],
      ['quarantine', 'list', '--json'],
    ];
    for (let i = 0; i < calls.length; i += 2) await Promise.all(calls.slice(i, i + 2).map(cli));
    const url = /"console":"(http:\/\/[^"]+)"/.exec(desk.logs())?.[1];
    expect(url, 'console url in the log').toBeTruthy();
    // Signed in as a rep: the console shows nothing to anyone else.
    const made = await runCliWithInput(
      ['user', 'add', 'card.rep@desk.test', '--role', 'rep'],
      env,
      'card rep passphrase 1\n',
    );
    expect(made.code, made.stderr).toBe(0);
    const cookie = await signInOverHttp(url!, 'card.rep@desk.test', 'card rep passphrase 1');
    const started = Date.now();
    for (const path of ['/', ...ALL_CASES.flatMap((n) => [`/cases/${n}`, `/api/cases/${n}`])]) {
      const res = await fetch(`${url}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(200);
      cliOutput.push({ what: `console GET ${path}`, text: await res.text() });
    }
    console.log(
      `[card-data] ${1 + 2 * ALL_CASES.length} console pages as a signed-in rep in ${Date.now() - started} ms`,
    );
    // DSK-11 the mail a rep reads: its text and its PDFs. The card form, and a form with a card typed into
    // another field, are withheld (403); what is served holds no card number.
    for (const c of [GOOD, IN_KEYS, IN_NAME]) {
      const page = await fetch(`${url}/cases/${c.n}/mail/0`, { headers: { cookie } });
      expect(page.status, c.n).toBe(200);
      const text = await page.text();
      cliOutput.push({ what: `console GET /cases/${c.n}/mail/0`, text });
      for (let k = 0; k < 3; k++) {
        const file = await fetch(`${url}/cases/${c.n}/mail/0/files/${k}`, { headers: { cookie } });
        const body = Buffer.from(await file.arrayBuffer());
        expect([200, 403, 404], `${c.n} file ${k}`).toContain(file.status);
        if (file.status !== 200)
          cliOutput.push({ what: `console GET /cases/${c.n}/mail/0/files/${k}`, text: body.toString() });
      }
    }
    const inKeys = await (await fetch(`${url}/cases/${IN_KEYS.n}/mail/0`, { headers: { cookie } })).text();
    expect(inKeys).toContain('looks like a card number');
    const hits = cliOutput.flatMap((o) => hitsIn(o.what, o.text));
    expect(hits, `card data shown by the CLI or console:\n${report(hits)}`).toEqual([]);
    // Twenty CLI processes and a signed-in rep's pages on a two-core machine.
  }, 180_000);
});
