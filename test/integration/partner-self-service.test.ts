/**
 * Partners on their own, from outside (DSK-10, DSK-12, SWP-9): a contact opens
 * a case on `/open` in chromium, gets `case-opened` with the forms pre-filled
 * (read back with pypdf), fills them with pdftk and replies, and the case
 * moves; strangers and other partners' contacts learn nothing; a flood is
 * limited. Every partner mail carries a signed status link whose page follows
 * the case; altered, misused and expired links answer 404. Reminders and
 * closings are delayed jobs an operator can promote, cancelled when the
 * partner writes. A German and a French partner are written to in their
 * language and zone. Real redis-server, Dovecot, SMTP sink and `licensedesk start`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { buildPartnerMail } from '../../embedded/mail-builder.js';
import { freePort } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { headerText, startSmtpSink, type ReceivedMail, type SmtpSink } from '../../embedded/smtp-sink.js';
import { replyFormFileName } from '../../forms/prefill.js';
import { SecretBox } from '../../lib/secret-box.js';
import { statusToken } from '../../mail/status-link.js';
import { fillWithPdftk } from '../fixtures/forms/tools.js';
import {
  altigenRegistry,
  cardForm,
  cardValues,
  CONTACT,
  partnerMail,
  transferForm,
} from '../support/altigen-fixture.js';
import { deskEnv } from '../support/desk-env.js';
import {
  cliJson,
  cliJsonLines,
  mailCase,
  mailKind,
  runCli,
  startDesk,
  waitForCaseState,
  waitForConsole,
  type DeskProcess,
} from '../support/desk-process.js';
import { rawRequest } from '../support/raw-http.js';

const USER = 'desk-partners';
const CHROMIUM = '/usr/bin/chromium';
const DOCS = join(fileURLToPath(new URL('../..', import.meta.url)), 'docs');
const OTHER = 'ops@other.example';
const STRANGER = 'someone@stranger.example';
const OPEN_PER_HOUR = 3;

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;
let port: number;
let base: string;
let browser: Browser;
let work: string;

interface CaseJson {
  number: string;
  state: string;
  findings: Array<{ rule: string; outcome: string; message: string }>;
}
interface JobRow {
  id: string;
  queue: string;
  name: string;
}

/** The registry: AltiGen cases for a German partner (P-100) and a French one (P-200), and a German SWAP case. */
function registry() {
  const r = altigenRegistry();
  r.partners[0] = { ...r.partners[0]!, language: 'de', timeZone: 'Europe/Berlin' } as (typeof r.partners)[0];
  r.partners[1] = { ...r.partners[1]!, language: 'fr', timeZone: 'Europe/Paris' } as (typeof r.partners)[1];
  return {
    ...r,
    catalog: [
      ...r.catalog,
      { sku: 'IPO-R11-PWR-USER', kind: 'user', count: 1, lifecycle: 'end-of-sale', listPrice: { EUR: 140 } },
    ],
    endUsers: [...r.endUsers, { id: 'EU-3', name: 'Fromagerie SA', partnerId: 'P-200' }],
    systems: [
      ...r.systems,
      {
        key: 'SYS-0301',
        endUserId: 'EU-3',
        program: 'altigen',
        model: 'Max2000',
        platform: 'physical',
        registered: true,
        saExpiresOn: '2030-01-01',
      },
      {
        key: 'SYS-0302',
        endUserId: 'EU-3',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: '2030-01-01',
      },
      {
        key: 'IPO-NEW-1',
        endUserId: 'EU-1',
        program: 'avaya-swap',
        model: 'IP500 V2',
        platform: 'virtual',
        registered: true,
      },
    ],
    licenses: [...r.licenses, { key: 'LK-0301', systemKey: 'SYS-0302', sku: 'ALTI-STATION-10', quantity: 1 }],
    cases: [
      ...r.cases,
      {
        number: '300001',
        partnerId: 'P-100',
        systemKey: 'IPO-NEW-1',
        program: 'avaya-swap',
        openedAt: new Date().toISOString(),
      },
      {
        number: '400001',
        partnerId: 'P-200',
        systemKey: 'SYS-0301',
        program: 'altigen',
        openedAt: new Date().toISOString(),
      },
    ],
  };
}

const caseShow = (n: string) => cliJson<CaseJson>(['case', 'show', n, '--json'], env);
const jobsList = () => cliJson<JobRow[]>(['jobs', 'list', '--json'], env);
const header = (m: ReceivedMail, name: string) => headerText(m, name) ?? '';
const mailsOf = (kind: string, n?: string) =>
  smtp.messages().filter((m) => mailKind(m) === kind && (!n || mailCase(m) === n));
const waitMail = (kind: string, n: string, to?: string) =>
  smtp.waitFor(
    (m) => mailKind(m) === kind && mailCase(m) === n && (!to || m.envelopeTo.includes(to)),
    30_000,
    `${kind} on ${n}`,
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fields of a PDF as pypdf reads them (the partner's own tools read what the desk wrote). */
function pypdfFields(pdf: Uint8Array): Record<string, string> {
  const file = join(work, `read-${Date.now()}-${Math.random()}.pdf`);
  writeFileSync(file, pdf);
  const out = execFileSync('/usr/bin/python3', [
    '-c',
    'import json,sys,pypdf\nr=pypdf.PdfReader(sys.argv[1])\nprint(json.dumps({k:("" if v.get("/V") is None else str(v.get("/V"))) for k,v in (r.get_fields() or {}).items()}))',
    file,
  ]);
  rmSync(file, { force: true });
  return JSON.parse(out.toString()) as Record<string, string>;
}

/** A raw HTTP request from a client address (a trusted proxy's X-Forwarded-For on loopback). */
const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
  rawRequest(port, method, path, headers, body);

/** GET /open as one client: its session cookie and the form's CSRF token. */
async function openForm(client: string): Promise<{ cookie: string; csrf: string }> {
  const r = await raw('GET', '/open', { 'x-forwarded-for': client });
  expect(r.status).toBe(200);
  const cookie = String(([] as string[]).concat(r.headers['set-cookie'] ?? [])[0] ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(r.body)?.[1] ?? '';
  return { cookie, csrf };
}

async function postOpen(client: string, fields: Record<string, string>, extra: Record<string, string> = {}) {
  const { cookie, csrf } = await openForm(client);
  const body = new URLSearchParams({ _csrf: csrf, ...fields }).toString();
  return raw('POST', '/open', { 'x-forwarded-for': client, cookie, origin: base, ...extra }, body);
}

/** A phone-sized browser for one client, in a language. */
async function phone(client: string, locale: string): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 1,
    locale,
    extraHTTPHeaders: { 'X-Forwarded-For': client },
  });
}

/** The mail's HTML part, rendered at 375 px in chromium and saved into docs/. */
async function screenshotMail(m: ReceivedMail, file: string): Promise<void> {
  const ctx = await phone('192.0.2.250', 'en-US');
  const page = await ctx.newPage();
  await page.setContent(String(m.parsed.html));
  await page.screenshot({ path: join(DOCS, file), fullPage: true });
  await ctx.close();
}

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  work = mkdtempSync(join(tmpdir(), 'ld-partners-'));
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'partners',
      LICENSEDESK_HTTP_PORT: String(port),
      LICENSEDESK_OPEN_PER_HOUR: String(OPEN_PER_HOUR),
    },
  );
  const file = join(work, 'registry.json');
  writeFileSync(file, JSON.stringify(registry()));
  const imp = await runCli(['registry', 'import', file], env);
  expect(imp.code, imp.stderr).toBe(0);
  desk = startDesk(env);
  await waitForConsole(base);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  const code = await desk?.stop();
  expect(code).toBe(0);
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

/** What the contact's browser saw after asking (compared with what strangers see). */
let contactAnswer = '';

describe("the registry partner's language and time zone", () => {
  it('DSK-12 PUT takes a language and a time zone, refuses a bad one naming it, and the export gives them back', async () => {
    const token = (
      await cliJson<{ token: string }>(
        ['token', 'add', 'crm', '--scope', 'registry:read,registry:write', '--json'],
        env,
      )
    ).token;
    const put = (body: unknown) =>
      fetch(`${base}/api/v1/registry/partners/P-300`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const partner = {
      id: 'P-300',
      name: 'Dutch Reseller',
      currency: 'EUR',
      contacts: ['lic@nl.example'],
      standardDiscountPct: 5,
    };
    const bad = await put({ ...partner, language: 'tlh', timeZone: 'Europe/Atlantis' });
    expect(bad.status).toBe(422);
    const why = JSON.stringify(await bad.json());
    expect(why).toContain('\\"tlh\\" is not one of en, de, fr, es, it, nl');
    expect(why).toContain('\\"Europe/Atlantis\\" is not an IANA time zone');
    const good = await put({ ...partner, language: 'nl', timeZone: 'Europe/Amsterdam' });
    expect(good.status, await good.clone().text()).toBe(200);
    const exported = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as {
      partners: Array<Record<string, unknown>>;
    };
    expect(exported.partners.find((p) => p.id === 'P-300')).toMatchObject({
      language: 'nl',
      timeZone: 'Europe/Amsterdam',
    });
    expect(exported.partners.find((p) => p.id === 'P-100')).toMatchObject({
      language: 'de',
      timeZone: 'Europe/Berlin',
    });
  });
});

describe("the partner's page /open (DSK-12)", () => {
  it('DSK-12 a contact opens a case in chromium, gets case-opened with the forms pre-filled, fills them with pdftk, replies, and the case moves', async () => {
    const ctx = await phone('198.51.100.10', 'de-DE');
    const page = await ctx.newPage();
    const res = await page.goto(`${base}/open`);
    expect(res?.headers()['content-language']).toBe('de');
    expect(await page.locator('h1').textContent()).toBe('Einen Lizenzfall eröffnen');
    // Fits a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(DOCS, 'open-page.png'), fullPage: true });
    await page.locator('#email').fill(CONTACT);
    await page.locator('#system_key').fill('SYS-0002');
    await page.locator('button[type=submit]').click();
    await page.waitForLoadState();
    contactAnswer = (await page.locator('main').textContent()) ?? '';
    expect(contactAnswer).toContain('ist die Fallnummer unterwegs');
    await ctx.close();

    const opened = await smtp.waitFor(
      (m) => mailKind(m) === 'case-opened' && m.envelopeTo.includes(CONTACT),
      30_000,
      'case-opened',
    );
    const n = mailCase(opened);
    expect(n).toMatch(/^\d{6,10}$/);
    expect(opened.parsed.subject).toContain(`[Case ${n}]`);
    expect(header(opened, 'content-language')).toBe('de');
    expect(opened.parsed.text).toContain(`Fall ${n} ist für System SYS-0002 eröffnet`);
    expect(header(opened, 'x-licensedesk-status-url')).toMatch(new RegExp(`^${base}/status/${n}\\.`));
    expect(opened.parsed.text).toContain(header(opened, 'x-licensedesk-status-url'));
    expect(String(opened.parsed.html)).toContain(header(opened, 'x-licensedesk-status-url'));
    const names = opened.parsed.attachments.map((a) => a.filename).sort();
    // Named as the incomplete reply names them.
    expect(names).toEqual(
      (['license-transfer/v1', 'card-authorization/v1', 'sso-migration/v1'] as const)
        .map((id) => replyFormFileName(id, n))
        .sort(),
    );
    const lt = opened.parsed.attachments.find((a) => a.filename === replyFormFileName('license-transfer/v1', n))!;
    const fields = pypdfFields(lt.content);
    expect(fields).toMatchObject({
      case_number: n,
      partner_id: 'P-100',
      partner_name: 'Acme Telecom',
      contact_email: CONTACT,
      end_user_id: 'EU-1',
      end_user_name: 'Globex',
      to_system_key: 'SYS-0002',
    });
    const card = opened.parsed.attachments.find((a) => a.filename === `credit-card-authorization-${n}.pdf`)!;
    expect(pypdfFields(card.content).card_number ?? '').toBe('');
    expect((await caseShow(n)).state).toBe('new');
    // Its status link already answers: opened, waiting for the forms, which it offers too.
    const statusLink = header(opened, 'x-licensedesk-status-url');
    expect(await (await fetch(statusLink, { headers: { accept: 'application/json' } })).json()).toEqual({
      number: n,
      state: 'new',
      deadlineAt: null,
      findings: [],
    });
    const statusHtml = await (await fetch(statusLink)).text();
    expect(statusHtml).toContain('eröffnet: wartet auf Ihre Formulare');
    expect(statusHtml).toContain(replyFormFileName('license-transfer/v1', n));

    // The partner fills what is left with its own tool, signs, and answers the mail.
    const filled = fillWithPdftk(new Uint8Array(lt.content), {
      from_system_key: 'SYS-0001',
      to_chassis_model: 'Max2000',
      license_keys: 'LK-0001',
      signer_name: 'Pat Partner',
      signed_on: new Date().toISOString().slice(0, 10),
    });
    const { form_id: _f, case_number: _c, ...cardRest } = cardValues(n);
    const cardFilled = fillWithPdftk(new Uint8Array(card.content), cardRest);
    await dovecot.append(
      USER,
      await partnerMail(`Re: ${opened.parsed.subject ?? ''}`, [
        { name: replyFormFileName('license-transfer/v1', n), bytes: filled },
        { name: `credit-card-authorization-${n}.pdf`, bytes: cardFilled },
      ]),
    );
    const done = await waitForCaseState<CaseJson>(env, n, ['transferred', 'waiting-partner', 'held', 'rejected']);
    expect(done.state, JSON.stringify(done.findings)).toBe('transferred');
    // The never-used timer of the opened case went with its first mail (DSK-10).
    expect((await jobsList()).map((j) => j.id)).not.toContain(`abandon.${n}.0`);
  });

  it('DSK-12 a stranger and a contact of another partner typing the same system key get the same page and no mail', async () => {
    const casesBefore = (await cliJson<unknown[]>(['case', 'list', '--json'], env)).length;
    for (const [client, email] of [
      ['198.51.100.20', STRANGER],
      ['198.51.100.21', OTHER],
    ] as const) {
      const ctx = await phone(client, 'de-DE');
      const page = await ctx.newPage();
      await page.goto(`${base}/open`);
      await page.locator('#email').fill(email);
      await page.locator('#system_key').fill('SYS-0002');
      await page.locator('button[type=submit]').click();
      await page.waitForLoadState();
      expect((await page.locator('main').textContent()) ?? '').toBe(contactAnswer);
      await ctx.close();
    }
    await sleep(2000);
    expect(smtp.to(STRANGER)).toEqual([]);
    expect(smtp.to(OTHER).filter((m) => mailKind(m) === 'case-opened')).toEqual([]);
    expect((await cliJson<unknown[]>(['case', 'list', '--json'], env)).length).toBe(casesBefore);
  });

  it('DSK-12 a flood from one client is limited, each address too, and a cross-site or tokenless post is refused', async () => {
    const codes: number[] = [];
    for (let i = 0; i < OPEN_PER_HOUR + 2; i++)
      codes.push(
        (await postOpen('203.0.113.99', { email: `flood${i}@stranger.example`, system_key: 'SYS-0003' })).status,
      );
    expect(codes.slice(0, OPEN_PER_HOUR)).toEqual(Array(OPEN_PER_HOUR).fill(200));
    expect(codes.slice(OPEN_PER_HOUR)).toEqual([429, 429]);
    // Per address: the contact opened one case this hour; from fresh clients it gets OPEN_PER_HOUR in all.
    const before = smtp.to(CONTACT).filter((m) => mailKind(m) === 'case-opened').length;
    for (let i = 0; i < OPEN_PER_HOUR; i++) {
      const r = await postOpen(`203.0.113.${10 + i}`, { email: CONTACT, system_key: 'SYS-0004' });
      expect(r.status).toBe(200);
    }
    const opened = () => smtp.to(CONTACT).filter((m) => mailKind(m) === 'case-opened').length - before;
    await expect.poll(opened, { timeout: 30_000 }).toBe(OPEN_PER_HOUR - 1);
    await sleep(2500);
    expect(opened()).toBe(OPEN_PER_HOUR - 1);
    const cross = await postOpen(
      '203.0.113.50',
      { email: CONTACT, system_key: 'SYS-0004' },
      { origin: 'https://evil.example' },
    );
    expect(cross.status).toBe(403);
    const noToken = await raw(
      'POST',
      '/open',
      { 'x-forwarded-for': '203.0.113.51', origin: base },
      'email=a%40b.c&system_key=SYS-0004',
    );
    expect(noToken.status).toBeGreaterThanOrEqual(400);
    const wrongHost = await raw('GET', '/open', { host: 'evil.example' });
    expect(wrongHost.status).toBe(421);
  });
});

describe('the status link', () => {
  let link = '';
  it('DSK-6 the status link of an incomplete reply shows what is missing in German, offers the forms, never card data, and follows the case to transferred', async () => {
    const n = '200001';
    const lt = await transferForm({
      caseNumber: n,
      from: 'SYS-0001',
      to: 'SYS-0002',
      chassis: 'Max2000',
      keys: ['LK-0002'],
    });
    await dovecot.append(USER, await partnerMail(`Case ${n} transfer`, [{ name: 'transfer.pdf', bytes: lt }]));
    const reply = await waitMail('incomplete', n);
    expect(header(reply, 'content-language')).toBe('de');
    expect(reply.parsed.subject).toBe(`[Case ${n}] Formulare unvollständig: was noch fehlt`);
    expect(reply.parsed.text).not.toMatch(/not scans|keine Scans/);
    link = header(reply, 'x-licensedesk-status-url');
    expect(reply.parsed.text).toContain(link);
    expect(String(reply.parsed.html)).toContain(link);
    await screenshotMail(reply, 'mail-incomplete-de.png');
    const failing = (await caseShow(n)).findings.filter((f) => f.outcome === 'fail');
    expect(failing.length).toBeGreaterThan(0);

    const ctx = await phone('198.51.100.30', 'en-US');
    const page = await ctx.newPage();
    const res = await page.goto(link);
    expect(res?.status()).toBe(200);
    const h = res!.headers();
    expect([h['cache-control'], h['referrer-policy'], h['x-robots-tag'], h['content-language']]).toEqual([
      'no-store',
      'no-referrer',
      'noindex, nofollow',
      'de',
    ]);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('wartet auf Sie');
    for (const f of failing) expect(text).toContain(f.rule);
    expect(text).toMatch(/\(Europe\/Berlin\)/);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(DOCS, 'status-page.png'), fullPage: true });
    const href = await page.locator('ul.forms a').first().getAttribute('href');
    expect(href).toContain(`credit-card-authorization-${n}.pdf`);
    await ctx.close();
    const pdf = await fetch(`${base}${href}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('cache-control')).toBe('no-store');
    const form = pypdfFields(new Uint8Array(await pdf.arrayBuffer()));
    expect(form).toMatchObject({ case_number: n });
    expect(form.card_number ?? '').toBe('');

    const json = await fetch(link, { headers: { accept: 'application/json' } });
    const body = (await json.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['deadlineAt', 'findings', 'number', 'state']);
    expect(body).toMatchObject({ number: n, state: 'waiting-partner', deadlineAt: null });
    for (const f of body.findings as Array<Record<string, unknown>>)
      expect(Object.keys(f).sort()).toEqual(['message', 'outcome', 'rule']);

    await dovecot.append(USER, await partnerMail(`Re: Case ${n}`, [{ name: 'card.pdf', bytes: await cardForm(n) }]));
    expect((await waitForCaseState<CaseJson>(env, n, ['transferred', 'held', 'rejected'])).state).toBe('transferred');
    const after = (await (await fetch(link, { headers: { accept: 'application/json' } })).json()) as Record<
      string,
      unknown
    >;
    expect(after.state).toBe('transferred');
    const page2 = await (await fetch(link)).text();
    expect(page2).toContain('LK-0002');
    expect(page2).not.toMatch(/4111|1111 1111/);
    const transferred = await waitMail('transferred', n);
    expect(header(transferred, 'x-licensedesk-status-url')).toBe(link);
  });

  it('DSK-12 an altered link, a link used on another case and an unknown case answer the same 404', async () => {
    const path = new URL(link).pathname;
    const token = path.split('/').pop()!;
    const [num, addr, sig] = token.split('.') as [string, string, string];
    const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
    const box = new SecretBox(env.LICENSEDESK_SECRET);
    const variants = [
      `${num}.${addr}.${flip(sig)}`, // altered signature
      `200002.${addr}.${sig}`, // another case, same signature
      `${num}.${Buffer.from(STRANGER).toString('base64url')}.${sig}`, // another address
      statusToken(box, '9999999', CONTACT), // signed, but no such case
      'not-a-token',
    ];
    const answers = await Promise.all(variants.map((v) => raw('GET', `/status/${v}`, { accept: 'application/json' })));
    for (const a of answers) {
      expect(a.status).toBe(404);
      expect(a.body).toBe(answers[0]!.body);
      expect(a.headers['cache-control']).toBe('no-store');
    }
    // A token guesser is rate limited: 60 a minute from one client, then 429.
    const burst: number[] = [];
    for (let i = 0; i < 65; i++)
      burst.push((await raw('GET', `/status/${variants[0]!}`, { 'x-forwarded-for': '203.0.113.77' })).status);
    expect(burst.slice(0, 60).every((c) => c === 404)).toBe(true);
    expect(burst.slice(60)).toEqual([429, 429, 429, 429, 429]);
    // A link is bound to one case: signed for 200002, it shows 200002 only.
    const other = await raw('GET', `/status/${statusToken(box, '200002', CONTACT)}`, { accept: 'application/json' });
    expect(JSON.parse(other.body)).toMatchObject({ number: '200002' });
    expect(other.body).not.toContain('200001');
  });
});

describe('cases waiting for the partner (DSK-10)', () => {
  it('DSK-10 jobs promote of the reminder sends it once with the forms; a partner mail cancels the round; the closing sends case-closed once and drops the card form', async () => {
    const n = '200002';
    // Only the card form: the transfer form is missing, so the case waits for the partner (with card data on it).
    await dovecot.append(USER, await partnerMail(`Case ${n}`, [{ name: 'card.pdf', bytes: await cardForm(n) }]));
    await waitMail('incomplete', n);
    await waitForCaseState<CaseJson>(env, n, ['waiting-partner']);
    const ids = (await jobsList()).map((j) => j.id);
    expect(ids).toEqual(expect.arrayContaining([`reminder.${n}.1`, `abandon.${n}.1`]));

    expect((await runCli(['jobs', 'promote', `reminder.${n}.1`], env)).code).toBe(0);
    const reminder = await waitMail('reminder', n);
    expect(header(reminder, 'content-language')).toBe('de');
    expect(reminder.parsed.text).toMatch(/am .+\(Europe\/Berlin\) geschlossen/);
    expect(reminder.parsed.attachments.map((a) => a.filename)).toContain(replyFormFileName('license-transfer/v1', n));
    expect(header(reminder, 'x-licensedesk-status-url')).toContain(`/status/${n}.`);
    expect((await runCli(['jobs', 'promote', `reminder.${n}.1`], env)).code).toBe(1);
    await sleep(1500);
    expect(mailsOf('reminder', n)).toHaveLength(1);

    // The partner writes (still incomplete): round 1's closing goes, round 2 starts.
    await dovecot.append(USER, await partnerMail(`Re: Case ${n}`, [{ name: 'card.pdf', bytes: await cardForm(n) }]));
    await smtp.waitFor(
      (m) => mailKind(m) === 'incomplete' && mailCase(m) === n && mailsOf('incomplete', n).length >= 2,
      30_000,
    );
    await expect.poll(async () => (await jobsList()).map((j) => j.id), { timeout: 15_000 }).toContain(`abandon.${n}.2`);
    const now = (await jobsList()).map((j) => j.id);
    expect(now).not.toContain(`abandon.${n}.1`);
    expect((await runCli(['jobs', 'promote', `abandon.${n}.1`], env)).code).toBe(1);
    expect((await caseShow(n)).state).toBe('waiting-partner');

    expect((await runCli(['jobs', 'promote', `abandon.${n}.2`], env)).code).toBe(0);
    const closed = await waitMail('case-closed', n);
    expect((await caseShow(n)).state).toBe('closed');
    expect(closed.parsed.text).toContain(`${base}/open`);
    expect(closed.parsed.text).toContain('14 Tage');
    await sleep(1500);
    expect(mailsOf('case-closed', n)).toHaveLength(1);
    const left = (await jobsList())
      .map((j) => j.id)
      .filter((id) => id.includes(`.${n}.`) && /^(reminder|abandon)\./.test(id));
    expect(left).toEqual([]);
    const trail = await cliJsonLines<{ action: string }>(['audit', n, '--json'], env);
    expect(trail.map((a) => a.action)).toContain('case-abandoned');
    await expect
      .poll(async () => (await cliJsonLines<{ action: string }>(['audit', n, '--json'], env)).map((a) => a.action), {
        timeout: 20_000,
      })
      .toContain('card-form-removed');
  });

  it('DSK-10 a case opened and never used is closed the same way, by a delayed job', async () => {
    const opened = await cliJson<{ number: string }>(['case', 'open', '--system', 'SYS-0003', '--json'], env);
    const id = `abandon.${opened.number}.0`;
    expect((await jobsList()).map((j) => j.id)).toContain(id);
    expect((await runCli(['jobs', 'promote', id], env)).code).toBe(0);
    await expect.poll(async () => (await caseShow(opened.number)).state, { timeout: 15_000 }).toBe('closed');
  });
});

describe("the partner's language and time zone", () => {
  it('DSK-6 a French partner gets its replies in French, dates in Europe/Paris', async () => {
    const n = '400001';
    const mail = await partnerMail(`Case ${n}`, [{ name: 'card.pdf', bytes: await cardForm(n) }], { from: OTHER });
    await dovecot.append(USER, mail);
    const reply = await waitMail('incomplete', n, OTHER);
    expect(header(reply, 'content-language')).toBe('fr');
    expect(reply.parsed.subject).toContain('Formulaires incomplets');
    expect(reply.parsed.text).toContain(`Merci pour vos formulaires du dossier ${n}`);
    await screenshotMail(reply, 'mail-incomplete-fr.png');
    expect((await runCli(['jobs', 'promote', `reminder.${n}.1`], env)).code).toBe(0);
    const reminder = await waitMail('reminder', n, OTHER);
    expect(reminder.parsed.text).toMatch(/clos le .+\(Europe\/Paris\)/);
    const page = await (await fetch(header(reminder, 'x-licensedesk-status-url'))).text();
    expect(page).toContain('lang="fr"');
    expect(page).toContain('en attente de votre part');
  });

  it('SWP-9 a refund request written in German is answered final-sale, in German', async () => {
    const n = '300001';
    await dovecot.append(
      USER,
      await buildPartnerMail({
        from: CONTACT,
        to: 'desk@licensedesk.test',
        subject: `Case ${n}`,
        text: 'Guten Tag, wir bitten um eine Gutschrift für diesen SWAP. Mit freundlichen Grüßen',
      }),
    );
    const answer = await waitMail('final-sale', n);
    expect(header(answer, 'content-language')).toBe('de');
    expect(answer.parsed.subject).toContain('Ein SWAP kann nicht erstattet oder rückgängig gemacht werden');
    expect(answer.parsed.text).toContain('(SWP-9)');
  });
});

describe('the status link expires with the case', () => {
  it("DSK-12 a link answers 404 once the case's retention has ended", async () => {
    const path = new URL(transferredLink()).pathname;
    expect((await raw('GET', path)).status).toBe(200);
    expect(await desk.stop()).toBe(0);
    // The same desk, its clock past the retention (30 days) of the transferred case.
    desk = startDesk({ ...env, LICENSEDESK_FAKE_NOW: new Date(Date.now() + 32 * 86_400_000).toISOString() });
    await waitForConsole(base);
    const gone = await raw('GET', path, { accept: 'application/json' });
    expect(gone.status).toBe(404);
    expect(gone.body).toBe((await raw('GET', '/status/not-a-token', { accept: 'application/json' })).body);
  });
});

/** The status link the transferred case 200001's mails carried. */
function transferredLink(): string {
  const m = mailsOf('transferred', '200001')[0];
  if (!m) throw new Error('no transferred mail on 200001');
  return header(m, 'x-licensedesk-status-url');
}
