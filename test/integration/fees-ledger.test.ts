/**
 * DSK-11 through the real desk (redis-server, Dovecot, the SMTP sink, the
 * desk as `licensedesk start` child processes, Debian's chromium):
 *   - a moved AltiGen case has its ALT-4 and ALT-10 fees `due` in
 *     `fees list`, the CSV export and `GET /api/v1/fees` (amounts exact, the
 *     total that of `case show`), announced as `fee.assessed` events;
 *   - a billing account made with the CLI reveals the case's card in chromium
 *     after entering its password again: the page shows the full number, is
 *     sent `no-store`, the audit trail records `card-revealed`; a wrong
 *     password shows nothing; reveals are limited per account; a rep and an
 *     operator get 403 on every billing route, and billing sees no rep page;
 *   - `charged` from the Fees page drops the card form: every key of Redis
 *     (sealed values opened with the secret), every IMAP folder, /tmp, every
 *     mail and every log line of the desk hold the card's digits nowhere;
 *   - `declined` mails the partner `payment-declined` with a pre-filled card
 *     form (no card data), and a new card form on the case makes its fees due
 *     again with the new card;
 *   - a case whose fees nobody settles loses its card form once the desk's
 *     clock passes LICENSEDESK_CARD_KEEP_DAYS after the decision.
 * The its run in order on one desk's data.
 */
import { randomInt } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { freePort, waitFor } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink, type ReceivedMail } from '../../embedded/smtp-sink.js';
import { partnerMail } from '../support/altigen-fixture.js';
import {
  cardDataRegistry,
  cardFormWith,
  cardSpellings,
  findNeedles,
  transferFormFor,
  withCheckDigit,
  type Needle,
} from '../support/card-data-fixture.js';
import { deepMailText, imapFolders, recentFiles, redisTexts } from '../support/card-scan.js';
import { runCliWithInput, signInOverHttp } from '../support/console-fixture.js';
import {
  cliJson,
  mailCase,
  mailKind,
  runCli,
  startDesk,
  waitForCaseState,
  type DeskProcess,
} from '../support/desk-process.js';
import { deskEnv } from '../support/desk-env.js';
import { pdftkFieldValues } from '../fixtures/forms/tools.js';

const USER = 'desk-fees';
const PREFIX = 'fees';
const SECRET = 'fees-ledger-secret-0123456789abcdef';
/** Charged from the Fees page. */
const PAID = '510001';
/** Declined, then a new card. */
const DECLINED = '510002';
/** Nobody settles it: the card form goes after LICENSEDESK_CARD_KEEP_DAYS. */
const KEPT = '510003';
/** Sent the card form alone: the case waits for the partner (DSK-6), its mailbox copy loses the card at once. */
const WAITING = '510004';
const BILLING = 'billing@desk.test';
const BILLING_PASSWORD = 'billing-password-0123';
const REP = 'rep@desk.test';
const REP_PASSWORD = 'rep-password-012345';
const OPERATOR = 'operator@desk.test';
const OPERATOR_PASSWORD = 'operator-password-0123';

/** Card numbers no other test uses, so a hit anywhere (even /tmp) is this test's. */
const card = () => withCheckDigit(`4${String(randomInt(10 ** 9, 10 ** 10))}${String(randomInt(10 ** 4, 10 ** 5))}`);
const PAID_CARD = card();
const DECLINED_CARD = card();
const NEW_CARD = card();
const KEPT_CARD = card();
const WAITING_CARD = card();
const spaced = (digits: string) => digits.replace(/(\d{4})(?=\d)/g, '$1 ');
const needles = (digits: string, label: string): Needle[] =>
  cardSpellings(digits).map((text) => ({ label: `${label} card as "${text}"`, text }));

const STARTED = Date.now();
const day = (offset: number) => new Date(STARTED + offset * 86_400_000).toISOString().slice(0, 10);
let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let env: Record<string, string>;
let base: string;
let desk: DeskProcess | undefined;
let browser: Browser | undefined;
const logs: string[] = [];

interface FeeRow {
  id: string;
  case: string;
  rule: string;
  amount: string;
  currency: string;
  partnerId: string;
  state: string;
  assessedAt: string;
  card: { last4: string } | null;
}
interface CaseJson {
  state: string;
  fees: Array<{ rule: string; amount: string; currency: string }>;
  findings: Array<{ rule: string; outcome: string; message: string }>;
  card?: { last4: string };
}

const cents = (amount: string) => Math.round(Number(amount) * 100);
const fees = (args: string[] = []) => cliJson<FeeRow[]>(['fees', 'list', ...args, '--json'], env);

async function caseMail(n: string, digits: string): Promise<Buffer> {
  return partnerMail(`[Case ${n}] license transfer`, [
    { name: 'transfer.pdf', bytes: await transferFormFor(n) },
    { name: 'card.pdf', bytes: await cardFormWith(n, { card_number: spaced(digits) }) },
  ]);
}

const until = async <T>(what: string, ms: number, fn: () => Promise<T | undefined | false>): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((res) => setTimeout(res, 500));
  }
};

async function stopDesk(): Promise<void> {
  if (!desk) return;
  const d = desk;
  desk = undefined;
  expect(await d.stop()).toBe(0);
  logs.push(d.logs());
}

async function startConsoleDesk(extra: Record<string, string> = {}): Promise<void> {
  desk = startDesk({ ...env, ...extra });
  await waitFor(
    async () => {
      try {
        return (await fetch(`${base}/health`)).ok;
      } catch {
        return false;
      }
    },
    30_000,
    `the console at ${base}`,
  );
}

/** A signed-in account's cookie and a CSRF token of its session (from a page it may open). */
async function session(email: string, password: string, page: string): Promise<{ cookie: string; csrf: string }> {
  const cookie = await signInOverHttp(base, email, password);
  const res = await fetch(`${base}${page}`, { headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1] ?? '';
  expect(csrf, `a CSRF token on ${page}`).not.toBe('');
  return { cookie, csrf };
}

async function post(
  s: { cookie: string; csrf: string },
  path: string,
  body: Record<string, string>,
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: s.csrf, ...body }).toString(),
  });
}

const auditOf = (n: string) =>
  runCli(['audit', n, '--json'], env).then((r) =>
    r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { actor: string; action: string; reason?: string; at: string }),
  );

const mailsOf = (n: string, kind: string) => smtp.messages().filter((m) => mailCase(m) === n && mailKind(m) === kind);

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    { LICENSEDESK_PREFIX: PREFIX, LICENSEDESK_SECRET: SECRET, LICENSEDESK_HTTP_PORT: String(port) },
  );
  const file = join(tmpdir(), `ld-fees-registry-${process.pid}.json`);
  const reg = cardDataRegistry([PAID, DECLINED, KEPT, WAITING]);
  // ALT-10: the source systems' SA expired 30 days ago, the targets' runs 300 days on: 330 days are charged.
  for (const s of reg.systems) if (s.key.startsWith('SRC-')) s.saExpiresOn = day(-30);
  writeFileSync(file, JSON.stringify(reg));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  expect(imp.code, imp.stderr).toBe(0);
  for (const [email, role, password] of [
    [BILLING, 'billing', BILLING_PASSWORD],
    [REP, 'rep', REP_PASSWORD],
    [OPERATOR, 'operator', OPERATOR_PASSWORD],
  ] as const) {
    const r = await runCliWithInput(['user', 'add', email, '--role', role], env, `${password}\n`);
    expect(r.code, r.stderr).toBe(0);
  }
  await startConsoleDesk();
  await dovecot.append(USER, await caseMail(PAID, PAID_CARD));
  await dovecot.append(USER, await caseMail(DECLINED, DECLINED_CARD));
  await dovecot.append(USER, await caseMail(KEPT, KEPT_CARD));
  for (const n of [PAID, DECLINED, KEPT]) {
    const c = await waitForCaseState<CaseJson>(env, n, ['transferred', 'waiting-partner', 'held', 'rejected'], 60_000);
    expect(c.state, `${n}: ${JSON.stringify(c.findings)}`).toBe('transferred');
  }
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await stopDesk();
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('the fee ledger and billing (DSK-11)', () => {
  it('DSK-11 a moved AltiGen case has its ALT-4 and ALT-10 fees due in fees list, the CSV export and the API, amounts exact, totals those of case show', async () => {
    const shown = await cliJson<CaseJson>(['case', 'show', PAID], env);
    expect(shown.fees.map((f) => f.rule).sort()).toEqual(['ALT-10', 'ALT-4']);
    // ALT-4 $300 a target; ALT-10 saYearly 150 × 1 × 330 days / 365 = 135.616…, half-up to the cent.
    expect(shown.fees.find((f) => f.rule === 'ALT-4')?.amount).toBe('300.00');
    expect(shown.fees.find((f) => f.rule === 'ALT-10')?.amount).toBe('135.62');

    const listed = await fees(['--case', PAID]);
    expect(listed.map((f) => Object.keys(f).sort())).toEqual(
      listed.map(() => ['amount', 'assessedAt', 'card', 'case', 'currency', 'id', 'partnerId', 'rule', 'state']),
    );
    expect(listed.map((f) => [f.rule, f.amount, f.currency, f.partnerId, f.state, f.card]).sort()).toEqual(
      shown.fees.map((f) => [f.rule, f.amount, f.currency, 'P-100', 'due', { last4: PAID_CARD.slice(-4) }]).sort(),
    );
    const total = (rows: Array<{ amount: string }>) => rows.reduce((s, f) => s + cents(f.amount), 0);
    expect(total(listed)).toBe(total(shown.fees));
    expect((await fees(['--state', 'due'])).filter((f) => f.case === PAID)).toHaveLength(2);
    expect(await fees(['--state', 'charged'])).toEqual([]);
    expect(await fees(['--since', '2999-01-01'])).toEqual([]);

    // The CSV a spreadsheet opens: a header row, one row per entry, the same amounts.
    const csv = await runCli(
      ['fees', 'export', '--since', new Date(STARTED - 86_400_000).toISOString().slice(0, 10)],
      env,
    );
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split(/\r\n/);
    const header = lines[0]!.split(',');
    expect(header.slice(0, 9)).toEqual([
      'id',
      'case',
      'rule',
      'amount',
      'currency',
      'partnerId',
      'state',
      'assessedAt',
      'cardLast4',
    ]);
    const rows = lines.slice(1).map((l) => l.split(','));
    const paidRows = rows.filter((r) => r[1] === PAID);
    expect(paidRows.map((r) => [r[2], r[3], r[6]]).sort()).toEqual(
      shown.fees.map((f) => [f.rule, f.amount, 'due']).sort(),
    );
    expect(paidRows.reduce((s, r) => s + cents(r[3]!), 0)).toBe(total(shown.fees));
    expect(rows).toHaveLength(6); // two fees for each of the three cases
    expect(csv.stdout).not.toContain(PAID_CARD);

    // The API, with the fees:read scope only.
    const tok = await cliJson<{ token: string }>(['token', 'add', 'finance', '--scope', 'fees:read', '--json'], env);
    const other = await cliJson<{ token: string }>(['token', 'add', 'cases', '--scope', 'cases:read', '--json'], env);
    const api = await fetch(`${base}/api/v1/fees?case=${PAID}`, { headers: { authorization: `Bearer ${tok.token}` } });
    expect(api.status).toBe(200);
    expect(((await api.json()) as { fees: FeeRow[] }).fees).toEqual(listed);
    const refused = await fetch(`${base}/api/v1/fees`, { headers: { authorization: `Bearer ${other.token}` } });
    expect(refused.status).toBe(403);
    expect((await fetch(`${base}/api/v1/fees`)).status).toBe(401);
    const openapi = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/api/v1/fees');

    // Announced: one fee.assessed event per entry, with its id.
    const events = (await runCli(['events', '--json'], env)).stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; case?: string; data: { id?: string } });
    expect(
      events
        .filter((e) => e.type === 'fee.assessed' && e.case === PAID)
        .map((e) => e.data.id)
        .sort(),
    ).toEqual(listed.map((f) => f.id).sort());
  }, 60_000);

  it('DSK-11 a rep and an operator get 403 on every billing route and never see the card; billing sees no rep page', async () => {
    for (const [email, password] of [
      [REP, REP_PASSWORD],
      [OPERATOR, OPERATOR_PASSWORD],
    ] as const) {
      const s = await session(email, password, '/');
      const list = await fetch(`${base}/fees`, { headers: { cookie: s.cookie }, redirect: 'manual' });
      expect(list.status, `${email} GET /fees`).toBe(403);
      const reveal = await post(s, `/fees/${PAID}/reveal`, { password });
      expect(reveal.status, `${email} reveal`).toBe(403);
      expect(await reveal.text()).not.toContain(PAID_CARD);
      for (const w of ['charged', 'declined', 'waived']) {
        const r = await post(s, `/fees/${PAID}/${w}`, { ref: 'x', reason: 'x' });
        expect(r.status, `${email} ${w}`).toBe(403);
      }
      const page = await (await fetch(`${base}/cases/${PAID}`, { headers: { cookie: s.cookie } })).text();
      expect(findNeedles('case page', page, needles(PAID_CARD, 'paid'))).toEqual([]);
    }
    const b = await session(BILLING, BILLING_PASSWORD, '/fees');
    const home = await fetch(`${base}/`, { headers: { cookie: b.cookie }, redirect: 'manual' });
    expect([home.status, home.headers.get('location')]).toEqual([303, '/fees']);
    for (const path of ['/cases/' + PAID, '/quarantine', '/queues', '/webhooks', `/api/cases/${PAID}`]) {
      const r = await fetch(`${base}${path}`, { headers: { cookie: b.cookie }, redirect: 'manual' });
      expect(r.status, `billing GET ${path}`).toBe(403);
    }
    expect((await post(b, `/cases/${PAID}/approve`, { note: 'x' })).status).toBe(403);
    expect(await fees(['--state', 'due'])).toHaveLength(6); // nothing changed
  }, 60_000);

  it('DSK-11 a billing account reveals the card in chromium after its password again: the full number once, no-store, audited; a wrong password shows nothing', async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/fees`);
    await page.fill('input[name=email]', BILLING);
    await page.fill('input[name=password]', BILLING_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/fees`), page.click('button[type=submit]')]);
    // Due by case, oldest first, with the partner, the amounts and the card's last four.
    const cases = await page
      .locator('#fees-due tr[data-case]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')));
    const oldestFirst = [...new Set((await fees(['--state', 'due'])).map((f) => f.case))];
    expect(cases).toEqual(oldestFirst);
    expect([...cases].sort()).toEqual([PAID, DECLINED, KEPT]);
    const row = page.locator(`#fees-due tr[data-case="${PAID}"]`);
    expect(await row.textContent()).toContain('P-100');
    expect(await row.textContent()).toContain(`ending ${PAID_CARD.slice(-4)}`);
    expect(await row.locator('.total').textContent()).toContain('USD');
    expect(await page.content()).not.toContain(PAID_CARD);

    // A wrong password: nothing shown, and the refusal is audited.
    await page.fill(`#reveal-${PAID}`, 'not-the-password');
    const [wrong] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/fees/${PAID}/reveal`)),
      page.click(`form[action="/fees/${PAID}/reveal"] button`),
    ]);
    expect(wrong.status()).toBe(401);
    expect(await page.content()).not.toContain(PAID_CARD);

    await page.goto(`${base}/fees`);
    await page.fill(`#reveal-${PAID}`, BILLING_PASSWORD);
    const [shown] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/fees/${PAID}/reveal`)),
      page.click(`form[action="/fees/${PAID}/reveal"] button`),
    ]);
    expect(shown.status()).toBe(200);
    expect(shown.headers()['cache-control']).toBe('no-store');
    expect((await page.locator('#card-number').textContent())?.trim()).toBe(PAID_CARD);

    const trail = await auditOf(PAID);
    const revealed = trail.filter((a) => a.action === 'card-revealed');
    expect(revealed.map((a) => a.actor)).toEqual([`billing:${BILLING}`]);
    expect(Date.parse(revealed[0]!.at)).toBeGreaterThan(STARTED);
    expect(trail.filter((a) => a.action === 'card-reveal-refused')).toHaveLength(1);
    expect(JSON.stringify(trail)).not.toContain(PAID_CARD);

    // Then charged, with the terminal's reference, from the Fees page.
    await page.goto(`${base}/fees`);
    await page.fill(`#ref-${PAID}`, 'TERM-7781');
    await Promise.all([page.waitForURL(`${base}/fees`), page.click(`form[action="/fees/${PAID}/charged"] button`)]);
    expect(await page.locator(`#fees-due tr[data-case="${PAID}"]`).count()).toBe(0);
    await context.close();
    await browser.close();
    browser = undefined;

    const charged = await fees(['--case', PAID]);
    expect(charged.map((f) => f.state)).toEqual(['charged', 'charged']);
    expect((await auditOf(PAID)).find((a) => a.action === 'fees-charged')).toMatchObject({
      actor: `billing:${BILLING}`,
      reason: expect.stringContaining('TERM-7781'),
    });
    const events = (await runCli(['events', '--json'], env)).stdout;
    expect(events.match(/"type":"fee\.charged"/g)).toHaveLength(2);
  }, 90_000);

  it('DSK-11 card reveals are limited per account', async () => {
    const b = await session(BILLING, BILLING_PASSWORD, '/fees');
    const codes: number[] = [];
    // One reveal so far; the limit is 10 an hour. The charged case has nothing to reveal (409) but each try counts.
    for (let i = 0; i < 10; i++)
      codes.push((await post(b, `/fees/${PAID}/reveal`, { password: BILLING_PASSWORD })).status);
    expect(codes.slice(0, 8).every((c) => c === 409 || c === 401)).toBe(true);
    expect(codes.slice(-1)).toEqual([429]);
    const again = await post(b, `/fees/${DECLINED}/reveal`, { password: BILLING_PASSWORD });
    expect(again.status).toBe(429);
    expect(await again.text()).not.toContain(DECLINED_CARD);
  }, 60_000);

  it('DSK-11 charged drops the card form: Redis (sealed values opened), every IMAP folder, /tmp, every mail and the logs hold its digits nowhere', async () => {
    const paid = needles(PAID_CARD, 'paid');
    const mailbox = await until('the mailbox copy without the card form', 90_000, async () => {
      const all = await imapFolders(dovecot.port, USER);
      const processed = all.filter((m) => m.folder !== 'INBOX');
      return processed.length >= 3 && all.every((m) => findNeedles(m.folder, m.deep, paid).length === 0) && all;
    });
    expect(mailbox.filter((m) => m.deep.includes(`[Case ${PAID}]`)).length).toBeGreaterThan(0);
    const inRedis = (await redisTexts(redis.url, [SECRET])).flatMap((k) => findNeedles(`redis ${k.key}`, k.text, paid));
    expect(inRedis.map((h) => `${h.where}: …${h.context}…`)).toEqual([]);
    // The unsettled cases still keep theirs, sealed (billing may charge them): the scan does find those.
    const kept = (await redisTexts(redis.url, [SECRET])).flatMap((k) =>
      findNeedles(`redis ${k.key}`, k.text, needles(KEPT_CARD, 'kept')),
    );
    expect(kept.length).toBeGreaterThan(0);
    const inTmp: string[] = [];
    for (const f of recentFiles('/tmp', [dovecot.dir, redis.dir], STARTED)) {
      let text: string;
      try {
        const bytes = readFileSync(f);
        text = bytes.subarray(0, 1024).includes('%PDF-') ? await deepMailText(bytes) : bytes.toString('latin1');
      } catch {
        continue; // gone meanwhile, or not readable
      }
      inTmp.push(...findNeedles(f, text, paid).map((h) => `${h.where}: …${h.context}…`));
    }
    expect(inTmp).toEqual([]);
    const inMail = (
      await Promise.all(
        smtp
          .messages()
          .map(async (m: ReceivedMail) =>
            findNeedles(`mail ${mailKind(m)}`, await deepMailText(Buffer.from(m.raw, 'latin1')), paid),
          ),
      )
    ).flat();
    expect(inMail).toEqual([]);
    expect(findNeedles('desk logs', desk!.logs(), paid)).toEqual([]);
  }, 120_000);

  it('DSK-11 the IMAP copy of a mail whose case waits for the partner holds no card number soon after intake, its Received, Authentication-Results and DKIM-Signature headers unchanged', async () => {
    const mail = await partnerMail(
      `[Case ${WAITING}] card form`,
      [{ name: 'card.pdf', bytes: await cardFormWith(WAITING, { card_number: spaced(WAITING_CARD) }) }],
      {
        headers: {
          Received:
            'from mx.acme.example (mx.acme.example [192.0.2.10]) by mail.desk.test with ESMTPS id 4XkQ7; Mon, 7 Dec 2026 10:00:00 +0000',
          'Authentication-Results':
            'mail.desk.test; dkim=pass header.d=acme.example; spf=pass smtp.mailfrom=acme.example; dmarc=pass header.from=acme.example',
          'DKIM-Signature':
            'v=1; a=rsa-sha256; d=acme.example; s=s1; c=relaxed/relaxed; h=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdHNpZ25hdHVyZQ==',
        },
      },
    );
    const original = mail.toString('latin1');
    const trace = [
      ...original.matchAll(/^(?:Received|Authentication-Results|DKIM-Signature):.*(?:\r\n[ \t].*)*/gim),
    ].map((m) => m[0]);
    expect(trace).toHaveLength(3);
    await dovecot.append(USER, mail);
    const c = await waitForCaseState<CaseJson>(
      env,
      WAITING,
      ['waiting-partner', 'transferred', 'held', 'rejected'],
      60_000,
    );
    expect(c.state).toBe('waiting-partner');
    const waiting = needles(WAITING_CARD, 'waiting');
    const copy = await until('the mailbox copy without the card number', 60_000, async () => {
      const mine = (await imapFolders(dovecot.port, USER)).filter((m) => m.raw.includes(`[Case ${WAITING}] card form`));
      return (
        mine.length === 1 &&
        mine[0]!.folder !== 'INBOX' &&
        findNeedles('imap', mine[0]!.deep, waiting).length === 0 &&
        mine[0]
      );
    });
    for (const line of trace) expect(copy.raw).toContain(line);
    expect(copy.raw).toMatch(/X-Licensedesk-Card-Form-Removed: card\.pdf/);
    // The sealed mail still holds it (the case may yet be charged): only the mailbox copy went.
    const sealed = (await redisTexts(redis.url, [SECRET])).some((k) => findNeedles(k.key, k.text, waiting).length > 0);
    expect(sealed).toBe(true);
  }, 120_000);

  it('DSK-11 declined mails the partner a pre-filled card form, and a new card form makes the fees due again with the new card', async () => {
    const r = await runCli(['fees', 'declined', DECLINED, '--reason', 'issuer refused', '--by', BILLING], env);
    expect(r.code, r.stderr).toBe(0);
    expect((await fees(['--case', DECLINED])).map((f) => f.state)).toEqual(['declined', 'declined']);
    const mail = await smtp.waitFor(
      (m) => mailCase(m) === DECLINED && mailKind(m) === 'payment-declined',
      30_000,
      'the payment-declined mail',
    );
    expect(mail.parsed.subject).toContain(`[Case ${DECLINED}]`);
    expect(mail.parsed.text).toContain('(DSK-11)');
    expect(mail.parsed.text).toContain(`ending in ${DECLINED_CARD.slice(-4)}`);
    expect(typeof mail.parsed.html === 'string' && mail.parsed.html).toContain(DECLINED);
    // Threaded like the other replies to the partner.
    expect(String(mail.parsed.inReplyTo ?? '')).toMatch(/@acme\.example>$/);
    const pdf = mail.parsed.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.filename).toBe(`credit-card-authorization-${DECLINED}.pdf`);
    const values = pdftkFieldValues(new Uint8Array(pdf!.content));
    expect(values['case_number']).toBe(DECLINED);
    expect(values['card_number'] ?? '').toBe('');
    expect(
      findNeedles(
        'payment-declined',
        await deepMailText(Buffer.from(mail.raw, 'latin1')),
        needles(DECLINED_CARD, 'declined'),
      ),
    ).toEqual([]);
    // Billing cannot charge or reveal a declined case: the partner must send a new card first.
    expect((await runCli(['fees', 'charged', DECLINED, '--ref', 'x', '--by', BILLING], env)).stderr).toMatch(
      /E_FEE_STATE/,
    );

    // The partner sends the card form again, filled with another card.
    await dovecot.append(
      USER,
      await partnerMail(`Re: [Case ${DECLINED}] payment`, [
        { name: 'card.pdf', bytes: await cardFormWith(DECLINED, { card_number: spaced(NEW_CARD) }) },
      ]),
    );
    const due = await until('the fees due again', 60_000, async () => {
      const rows = await fees(['--case', DECLINED]);
      return rows.every((f) => f.state === 'due') && rows;
    });
    expect(due.map((f) => f.card)).toEqual([{ last4: NEW_CARD.slice(-4) }, { last4: NEW_CARD.slice(-4) }]);
    expect((await cliJson<CaseJson>(['case', 'show', DECLINED], env)).card?.last4).toBe(NEW_CARD.slice(-4));
    expect(mailsOf(DECLINED, 'payment-declined')).toHaveLength(1);
    const waived = await runCli(['fees', 'waive', DECLINED, '--reason', 'goodwill', '--by', BILLING], env);
    expect(waived.code, waived.stderr).toBe(0);
    expect((await fees(['--case', DECLINED])).map((f) => f.state)).toEqual(['waived', 'waived']);
    expect(
      (await auditOf(DECLINED))
        .filter((a) => a.actor === `billing:${BILLING}` && a.action.startsWith('fees-'))
        .map((a) => a.action),
    ).toEqual(['fees-declined', 'fees-waived']);
  }, 120_000);

  it('DSK-11 a case whose fees nobody settles loses its card form once the desk clock passes LICENSEDESK_CARD_KEEP_DAYS after the decision', async () => {
    const kept = needles(KEPT_CARD, 'kept');
    const has = async () =>
      (await redisTexts(redis.url, [SECRET])).some((k) => findNeedles(k.key, k.text, kept).length > 0);
    expect(await has()).toBe(true);
    // A delayed job with a deterministic id, due LICENSEDESK_CARD_KEEP_DAYS (7) after the decision.
    const jobs = await cliJson<Array<{ id: string; name: string; state: string; dueAt?: string }>>(
      ['jobs', 'list', '--json'],
      env,
    );
    const keep = jobs.find((j) => j.name === 'card-strip' && j.id.startsWith(`card-strip.${KEPT}.`));
    expect(keep, JSON.stringify(jobs.map((j) => j.id))).toMatchObject({ state: 'delayed' });
    expect(keep!.id).toMatch(/\.kept$/);
    const days = (Date.parse(keep!.dueAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.01);
    await stopDesk();
    // Eight days on, by the desk's clock (the keep period is 7 by default).
    const later = new Date(Date.now() + 8 * 86_400_000).toISOString();
    const envLater = { ...env, LICENSEDESK_FAKE_NOW: later };
    desk = startDesk(envLater);
    await until('the card form of the unsettled case gone', 90_000, async () => {
      const jobs = await cliJson<Array<{ id: string; name: string; state: string }>>(
        ['jobs', 'list', '--json'],
        envLater,
      );
      const sweep = jobs.find((j) => j.name === 'sweep' && j.state === 'delayed');
      if (sweep) await runCli(['jobs', 'promote', sweep.id], envLater);
      return !(await has());
    });
    expect((await fees(['--case', KEPT])).map((f) => f.state)).toEqual(['due', 'due']); // still owed: only the card is gone
    const removed = (await auditOf(KEPT)).find((a) => a.action === 'card-form-removed');
    expect(removed?.reason).toMatch(/DSK-5/);
    await until('no mailbox copy with the card', 60_000, async () =>
      (await imapFolders(dovecot.port, USER)).every((m) => findNeedles(m.folder, m.deep, kept).length === 0),
    );
  }, 150_000);
});
