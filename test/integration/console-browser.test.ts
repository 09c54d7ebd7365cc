/**
 * The reps' console in a real browser (DSK-7): the desk runs as
 * `licensedesk start` on real redis-server, Dovecot and an SMTP sink; reps and
 * an operator are made with `licensedesk user add` (password on stdin);
 * Debian's chromium, driven by playwright-core, signs in and works cases
 * through the console's forms. Outcomes are read back through the CLI, the
 * registry export and the mail the desk sends. Then the console is attacked:
 * anonymous, cross-site, wrong Host, a rep on /queues, guessed passwords,
 * /metrics without its token; each is refused and nothing changes (more
 * attacks over raw HTTP from several client addresses: console-attackers.test.ts).
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import {
  cliJson,
  cliJsonLines,
  runCli,
  startDesk,
  type DeskProcess,
  mailCase,
  mailKind,
  waitForCaseState,
} from '../support/desk-process.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { freePort, waitFor } from '../../embedded/net.js';
import { CONTACT, partnerMail } from '../support/altigen-fixture.js';
import {
  APPROVE_CASE,
  ATTACK_CASE,
  AUDIUM_CASE,
  AUD_CONTACT,
  QUARANTINE_CASE,
  REJECT_CASE,
  STRANGER,
  SWAP_CASE,
  audiumHeldMail,
  consoleRegistry,
  heldCaseMail,
  runCliWithInput,
  swapHeldMail,
} from '../support/console-fixture.js';
import { deskEnv } from '../support/desk-env.js';
import { rawRequest } from '../support/raw-http.js';
import { buildPartnerMail } from '../../embedded/mail-builder.js';
import { PDFDocument } from 'pdf-lib';

interface CaseJson {
  number: string;
  state: string;
  findings: Array<{ rule: string; outcome: string; message: string }>;
  moves: Array<{ licenseKey: string; from: string; to: string }>;
}
interface AuditLine {
  case?: string;
  action: string;
  actor: string;
  from?: string;
  to?: string;
  reason?: string;
}
interface RegistryJson {
  licenses: Array<{ key: string; systemKey: string }>;
}

const USER = 'desk-console';
const PREFIX = 'con';
const REP = 'rep.one@desk.test';
const REP_PASSWORD = 'rep one passphrase 42';
const OPERATOR = 'ops.lead@desk.test';
const OPERATOR_PASSWORD = 'operator passphrase 7';
const VICTIM = 'rep.two@desk.test';
const VICTIM_PASSWORD = 'rep two passphrase 99';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const CHROMIUM = '/usr/bin/chromium';
const DOCS = join(fileURLToPath(new URL('../..', import.meta.url)), 'docs');

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;
let port: number;
let base: string;
let browser: Browser;
/** The rep's signed-in browser. */
let rep: BrowserContext;
let shotDir: string;
/** Everything that went wrong for the rep in the browser: HTTP errors, page errors, console errors. */
const repErrors: string[] = [];

const caseOf = mailCase;
const kind = mailKind;

async function caseShow(n: string): Promise<CaseJson> {
  const r = await runCli(['case', 'show', n, '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as CaseJson;
}
const caseInState = (n: string, states: string[], ms?: number) => waitForCaseState<CaseJson>(env, n, states, ms);
const audit = (n?: string) => cliJsonLines<AuditLine>(n ? ['audit', n] : ['audit'], env);

async function newPage(ctx: BrowserContext, track = true): Promise<Page> {
  const page = await ctx.newPage();
  if (track) {
    page.on('response', (r) => {
      if (r.status() >= 400) repErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    page.on('pageerror', (e) => repErrors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') repErrors.push(`console error: ${m.text()}`);
    });
  }
  return page;
}

async function signIn(ctx: BrowserContext, email: string, password: string): Promise<void> {
  const page = await newPage(ctx, false);
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  expect((await page.locator('#signed-in-as').textContent()) ?? '').toContain(email);
  await page.close();
}

/** From the case list: the case's row says held; its link opens the case page. */
async function openHeldCaseFromList(page: Page, n: string): Promise<void> {
  await page.goto(`${base}/?q=${n}`);
  await expect(page.title()).resolves.toContain('Cases');
  const row = page.locator(`#cases tr[data-case="${n}"]`);
  expect(await row.count()).toBe(1);
  expect((await row.locator('td.state').textContent())?.trim()).toBe('held');
  await row.getByRole('link', { name: n }).click();
  await page.waitForURL(`${base}/cases/${n}`);
  expect((await page.locator('h1').textContent()) ?? '').toContain(`Case ${n}`);
  expect((await page.locator('#state').textContent())?.trim()).toBe('held');
}

/** Reloads the case page until its state is `state` (bounded). */
async function reloadUntilState(page: Page, state: string | RegExp, ms = 30_000): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.reload();
        return (await page.locator('#state').textContent())?.trim();
      },
      { timeout: ms, interval: 300 },
    )
    .toMatch(state);
}

/** A raw HTTP request (any Host header, any Origin), as an attacker's tool would send it. */
const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
  rawRequest(port, method, path, headers, body);

/** The rep's session cookie, as a header value. */
async function repCookie(): Promise<string> {
  return (await rep.cookies(base)).map((c) => `${c.name}=${c.value}`).join('; ');
}

/** A CSRF token the rep's own case page carries. */
async function repToken(n: string): Promise<string> {
  const page = await newPage(rep, false);
  await page.goto(`${base}/cases/${n}`);
  const token = await page.locator('form#approve input[name="_csrf"]').getAttribute('value');
  await page.close();
  expect(token).toBeTruthy();
  return token!;
}

/** The attack case is still held, with no rep decision anywhere in its trail, and the partner got nothing. */
async function attackCaseUntouched(): Promise<void> {
  expect((await caseShow(ATTACK_CASE.number)).state).toBe('held');
  const trail = await audit(ATTACK_CASE.number);
  expect(trail.filter((a) => a.actor.startsWith('rep:') || /^rep-/.test(a.action))).toEqual([]);
  expect(smtp.messages().filter((m) => caseOf(m) === ATTACK_CASE.number && m.envelopeTo.includes(CONTACT))).toEqual([]);
}

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    { LICENSEDESK_PREFIX: PREFIX, LICENSEDESK_HTTP_PORT: String(port), LICENSEDESK_METRICS_TOKEN: METRICS_TOKEN },
  );
  const file = join(tmpdir(), `ld-console-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(consoleRegistry()));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  expect(imp.code, imp.stderr).toBe(0);
  for (const [email, role, password] of [
    [REP, 'rep', REP_PASSWORD],
    [OPERATOR, 'operator', OPERATOR_PASSWORD],
    [VICTIM, 'rep', VICTIM_PASSWORD],
  ]) {
    const r = await runCliWithInput(['user', 'add', email!, '--role', role!], env, `${password}\n`);
    expect(r.code, r.stderr).toBe(0);
  }
  desk = startDesk(env);
  await waitFor(
    async () => {
      try {
        return (await fetch(`${base}/health`)).ok;
      } catch {
        return false;
      }
    },
    20_000,
    `the console at ${base}`,
  );

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  rep = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  shotDir = mkdtempSync(join(tmpdir(), 'ld-console-shots-'));

  // The held cases arrive before anyone looks.
  for (const c of [APPROVE_CASE, REJECT_CASE, ATTACK_CASE]) await dovecot.append(USER, await heldCaseMail(c));
  await dovecot.append(USER, await swapHeldMail());
  await dovecot.append(USER, await audiumHeldMail());
  await dovecot.append(USER, await heldCaseMail(QUARANTINE_CASE, STRANGER));
  for (const n of [APPROVE_CASE.number, REJECT_CASE.number, ATTACK_CASE.number, SWAP_CASE.number, AUDIUM_CASE.number]) {
    const c = await caseInState(n, ['held', 'transferred', 'rejected', 'waiting-partner', 'closed'], 60_000);
    expect(c.state, `${n}: ${JSON.stringify(c.findings)}`).toBe('held');
  }
  await signIn(rep, REP, REP_PASSWORD);
}, 180_000);

afterAll(async () => {
  await rep?.close();
  await browser?.close();
  const code = await desk?.stop();
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
  expect(code).toBe(0);
});

describe("reps' console in a browser (DSK-7)", () => {
  it('DSK-7 a rep made with the CLI signs in, approves a held case with a reason; the move, the registry export and the partner mail follow, and the audit trail names the rep', async () => {
    const n = APPROVE_CASE.number;
    const page = await newPage(rep);
    await page.goto(`${base}/`);
    // Held first.
    expect(await page.locator('#cases tbody tr').first().getAttribute('class')).toContain('held');
    await openHeldCaseFromList(page, n);

    // Findings grouped, the hold reason (ALT-5: the form's chassis differs from the registry's model) among what waits for a rep.
    const holdItem = page.locator('#findings li.hold');
    expect(await holdItem.count()).toBeGreaterThan(0);
    const holdText = (await holdItem.first().textContent()) ?? '';
    expect(holdText).toContain('ALT-5');
    expect(holdText).toContain('Max1000');
    expect(holdText).toContain('our records show Max2000');
    // The card form field by field: only its last four digits.
    const forms = (await page.locator('dl.form').allTextContents()).join('\n');
    expect(forms).toContain('•••• 1111');
    expect(forms).not.toContain('4111111111111111');
    expect(forms).not.toContain('cardToken');
    // The rep-held notice the desk mailed, with its text.
    expect(await page.locator('#mails details[data-kind="rep-held"]').count()).toBe(1);
    expect((await page.locator('#mails details[data-kind="rep-held"] pre').textContent()) ?? '').toContain(n);
    // No "your e-mail" field anywhere: the console knows who is signed in.
    expect(await page.locator('input[name="by"]').count()).toBe(0);

    const form = page.locator('form#approve');
    await form.getByLabel('Reason').fill('chassis confirmed by phone');
    await page.screenshot({ path: join(shotDir, 'console-case.png'), fullPage: true });

    const posted = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url() === `${base}/cases/${n}/approve`,
    );
    await form.getByRole('button', { name: 'Approve and move' }).click();
    expect((await posted).status()).toBe(303);
    await page.waitForLoadState();
    expect(page.url()).toBe(`${base}/cases/${n}?done=approved`);
    // The page says what happened and what the case waits for now.
    expect((await page.locator('#done').textContent()) ?? '').toContain('Approved.');
    await reloadUntilState(page, 'transferred');
    expect(await page.locator('#approve').count()).toBe(0);
    expect((await page.locator('#findings').textContent()) ?? '').toContain(
      `Released by ${REP}: chassis confirmed by phone`,
    );
    // The case page's audit trail names the rep.
    expect((await page.locator('#audit').textContent()) ?? '').toContain(`rep:${REP}`);

    const c = await caseShow(n);
    expect(c.state).toBe('transferred');
    expect(c.moves).toEqual([
      expect.objectContaining({ licenseKey: APPROVE_CASE.key, from: 'SYS-0003', to: 'SYS-0002' }),
    ]);
    const trail = await audit(n);
    expect(trail.find((a) => a.action === 'rep-approved')).toMatchObject({
      actor: `rep:${REP}`,
      from: 'held',
      to: 'approved',
      reason: 'chassis confirmed by phone',
    });
    expect(trail.find((a) => a.action === 'transferred')).toMatchObject({ from: 'approved', to: 'transferred' });
    const reg = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as RegistryJson;
    expect(reg.licenses.find((l) => l.key === APPROVE_CASE.key)?.systemKey).toBe('SYS-0002');
    // The sign-in itself is on the trail.
    expect((await audit()).find((a) => a.action === 'console-signed-in' && a.actor === `rep:${REP}`)).toBeTruthy();

    await smtp.waitFor((m) => caseOf(m) === n && kind(m) === 'transferred', 20_000, 'transferred mail');
    await page.close();
    expect(repErrors).toEqual([]);
  });

  it('DSK-7 a rep rejects a held case in the console with a reason, and the partner is told that reason', async () => {
    const n = REJECT_CASE.number;
    const reason = 'The end user says the target is a "Max2000" & won\'t confirm <the chassis>';
    const page = await newPage(rep);
    await openHeldCaseFromList(page, n);

    // First the rep asks, and the case waits for the partner; the partner's answer brings it back to a rep.
    const msg = page.locator('form#message');
    await msg.getByLabel('Message').fill('Which chassis is the target, please?');
    await msg.getByLabel("Put the case to wait for the partner's answer").check();
    await msg.getByRole('button', { name: 'Send to the partner' }).click();
    await page.waitForURL(`${base}/cases/${n}?done=asked`);
    expect((await page.locator('#state').textContent())?.trim()).toBe('waiting-partner');
    expect((await page.locator('#waits').textContent()) ?? '').toContain('Waits for the partner');
    const asked = await smtp.waitFor((m) => caseOf(m) === n && kind(m) === 'rep-message', 20_000, 'the question');
    expect(asked.envelopeTo).toEqual([CONTACT]);
    await dovecot.append(USER, await partnerMail(`Re: ${asked.parsed.subject ?? ''}`, []));
    await reloadUntilState(page, 'held');
    expect((await audit(n)).find((a) => a.action === 'rep-asked-partner')).toMatchObject({
      actor: `rep:${REP}`,
      from: 'held',
      to: 'waiting-partner',
    });

    const form = page.locator('form#reject');
    await form.getByLabel('Reason').fill(reason);
    const posted = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url() === `${base}/cases/${n}/reject`,
    );
    await form.getByRole('button', { name: 'Reject' }).click();
    expect((await posted).status()).toBe(303);
    await reloadUntilState(page, 'rejected');
    expect(await page.locator('#reject').count()).toBe(0);
    // Shown as text, escaped: the reason's markup-like characters come back as typed.
    expect((await page.locator('#findings').textContent()) ?? '').toContain(`Rejected by ${REP}: ${reason}`);

    expect((await caseShow(n)).moves).toEqual([]);
    expect((await audit(n)).find((a) => a.action === 'rep-rejected')).toMatchObject({
      actor: `rep:${REP}`,
      from: 'held',
      to: 'rejected',
      reason,
    });
    const mail = await smtp.waitFor((m) => caseOf(m) === n && kind(m) === 'rejected', 20_000, 'rejected mail');
    expect(mail.envelopeTo).toEqual([CONTACT]);
    expect(mail.parsed.text).toContain(reason);
    await page.close();
    expect(repErrors).toEqual([]);
  });

  it("SWP-4 a rep is shown the form's FK/SID and its one-slip neighbour, chooses the form's, and the SWAP goes ahead from it", async () => {
    const n = SWAP_CASE.number;
    const page = await newPage(rep);
    await openHeldCaseFromList(page, n);
    expect((await page.locator('#findings li.hold').allTextContents()).join(' ')).toContain('SWP-4');
    const form = page.locator('form#choose');
    const choices = await form
      .locator('input[name="choice_FROM"]')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(choices).toEqual([SWAP_CASE.from, SWAP_CASE.nearMiss]);
    await form.getByLabel(`${SWAP_CASE.from} (as on the form)`).check();
    await form.getByLabel('Reason').fill('partner confirmed by phone: 5678');
    const posted = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url() === `${base}/cases/${n}/choose`,
    );
    await form.getByRole('button', { name: 'Record the choice' }).click();
    expect((await posted).status()).toBe(303);
    await reloadUntilState(page, /^(closed|follow-up|transferred)$/);

    const trail = await audit(n);
    const approved = trail.find((a) => a.action === 'rep-approved');
    expect(approved).toMatchObject({ actor: `rep:${REP}`, from: 'held' });
    expect(approved?.reason).toContain(`FROM ${SWAP_CASE.from}`);
    expect(approved?.reason).toContain('partner confirmed by phone: 5678');
    const reg = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as RegistryJson;
    expect(reg.licenses.find((l) => l.key === SWAP_CASE.license)?.systemKey).toBe(SWAP_CASE.to);
    await page.close();
    expect(repErrors).toEqual([]);
  });

  it('AUD-1 AUD-2 DSK-7 a rep takes the Audium case, writes the partner a question with the declaration attached pre-filled, reads the answer on the case, notes a call, approves; the partner is told to reactivate, and every step is in the trail under that rep', async () => {
    const n = AUDIUM_CASE.number;
    const page = await newPage(rep);
    await openHeldCaseFromList(page, n);
    expect((await page.locator('#findings li.hold').allTextContents()).join(' ')).toContain('AUD-1');
    // Audium's own deadline is the desk's promise (DSK-7), never another program's rule.
    expect(await page.locator('#deadline-label').textContent()).toBe('Deadline (DSK-7)');
    expect((await page.locator('main').innerText()).includes('ALT-8')).toBe(false);

    // Take it: the page and the list say whose it is.
    await page.locator('form#take').getByRole('button', { name: 'Take it' }).click();
    await page.waitForURL(`${base}/cases/${n}?done=taken`);
    expect((await page.locator('#owner').textContent()) ?? '').toContain('You have this case');
    await page.goto(`${base}/?owner=mine`);
    expect(await page.locator('#owner-mine .count').textContent()).toBe('1');
    const mine = page.locator(`#cases tr[data-case="${n}"]`);
    expect((await mine.locator('td.owner').textContent())?.trim()).toBe('you');
    await page.goto(`${base}/cases/${n}`);

    // A question to the partner with the Declaration of uninstall attached, pre-filled.
    const question = 'Which machine did you uninstall from? Please sign the attached declaration on page 1.';
    const msg = page.locator('form#message');
    expect(await msg.locator('#message-to').textContent()).toBe(AUD_CONTACT);
    await msg.getByLabel('Message').fill(question);
    await msg.getByLabel('Declaration of uninstall').check();
    await msg.getByRole('button', { name: 'Send to the partner' }).click();
    await page.waitForURL(`${base}/cases/${n}?done=messaged`);
    expect((await page.locator('#done').textContent()) ?? '').toContain('on its way to the partner');
    const sent = await smtp.waitFor((m) => caseOf(m) === n && kind(m) === 'rep-message', 20_000, 'rep-message mail');
    expect(sent.envelopeTo).toEqual([AUD_CONTACT]);
    expect(sent.parsed.subject).toContain(`[Case ${n}]`);
    expect(sent.parsed.text).toContain(question);
    expect(sent.parsed.text).toContain(REP);
    expect(sent.parsed.html).toContain('Which machine did you uninstall from?');
    expect(sent.parsed.inReplyTo).toBeTruthy();
    expect(sent.parsed.messageId).toMatch(new RegExp(`case-${n}|${n}`));
    const pdf = sent.parsed.attachments.find((a) => a.filename === `declaration-of-uninstall-${n}.pdf`);
    expect(pdf, sent.parsed.attachments.map((a) => a.filename).join(', ')).toBeTruthy();
    const filled = (await PDFDocument.load(pdf!.content)).getForm();
    expect(filled.getTextField('case_number').getText()).toBe(n);
    expect(sent.parsed.attachments.some((a) => (a.filename ?? '').startsWith('credit-card'))).toBe(false);
    // Shown in the case's mail, with its text.
    await page.reload();
    expect((await page.locator('#mails details[data-kind="rep-message"] pre').textContent()) ?? '').toContain(question);

    // The partner answers in the thread, over IMAP; the answer files back to the case.
    await dovecot.append(
      USER,
      await buildPartnerMail({
        from: AUD_CONTACT,
        to: 'desk@licensedesk.test',
        subject: `Re: ${sent.parsed.subject ?? ''}`,
        text: 'We uninstalled it from M-0001 last week; the signed declaration follows by post.',
        messageId: `<answer.${Date.now()}@voice.example>`,
        headers: { 'In-Reply-To': sent.parsed.messageId ?? '' },
        attachments: [],
      }),
    );
    await expect
      .poll(
        async () => {
          await page.reload();
          return (await page.locator('#received').textContent()) ?? '';
        },
        { timeout: 30_000, interval: 500 },
      )
      .toContain(`Re: ${sent.parsed.subject ?? ''}`);
    // Its text is on the case page itself.
    expect((await page.locator('#received').textContent()) ?? '').toContain('We uninstalled it from M-0001 last week');
    await reloadUntilState(page, 'held');

    // An internal note: on the page, in the trail, never mailed.
    await page.locator('form#note').getByLabel(/^Note/).fill('spoke to them by phone');
    await page.locator('form#note').getByRole('button', { name: 'Add the note' }).click();
    await page.waitForURL(`${base}/cases/${n}?done=noted`);
    expect((await page.locator('#rep-notes').textContent()) ?? '').toContain('spoke to them by phone');

    // The page in a rep's words: no internal field name, no ISO timestamp.
    const words = await page.locator('body').innerText();
    for (const internal of [
      'caseNumber',
      'partnerId',
      'endUserId',
      'oldMachineId',
      'cardLast4',
      'maxAmountMinor',
      'formId',
    ])
      expect(words, internal).not.toContain(internal);
    expect(words).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(words).toContain('Machine the software was uninstalled from');

    await page.locator('form#approve').getByLabel('Reason').fill('retirement of M-0001 confirmed with Contoso');
    await page.locator('form#approve').getByRole('button', { name: 'Approve and move' }).click();
    await page.waitForURL(`${base}/cases/${n}?done=approved`);
    await reloadUntilState(page, 'approved');
    // It now waits for the old machine's reactivation (AUD-2), and the partner is told what to do.
    expect((await page.locator('#waits').textContent()) ?? '').toContain(
      `reactivation of ${AUDIUM_CASE.oldMachine} (AUD-2)`,
    );
    const told = await smtp.waitFor(
      (m) => caseOf(m) === n && kind(m) === 'reactivation-needed',
      20_000,
      'reactivation-needed mail',
    );
    expect(told.envelopeTo).toEqual([AUD_CONTACT]);
    expect(told.parsed.text).toContain(AUDIUM_CASE.oldMachine);
    expect(told.parsed.text).toContain('(AUD-2)');
    // Approved, but the licenses stay until the old machine is reactivated (AUD-2).
    let reg = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as RegistryJson;
    expect(reg.licenses.find((l) => l.key === AUDIUM_CASE.license)?.systemKey).toBe(AUDIUM_CASE.oldMachine);
    expect(smtp.messages().filter((m) => caseOf(m) === n && kind(m) === 'rep-message')).toHaveLength(1);

    const trail = await audit(n);
    for (const action of ['rep-took', 'rep-message', 'rep-note', 'rep-approved'])
      expect(
        trail.find((a) => a.action === action),
        action,
      ).toMatchObject({ actor: `rep:${REP}` });
    expect(trail.find((a) => a.action === 'rep-note')?.reason).toBe('spoke to them by phone');
    expect(trail.find((a) => a.action === 'rep-message')?.reason).toContain(question);
    await page.screenshot({ path: join(shotDir, 'console-case.png'), fullPage: true });

    const form = page.locator('form#reactivated');
    expect((await form.textContent()) ?? '').toContain(AUDIUM_CASE.oldMachine);
    await form.getByLabel('Reason').fill('Contoso ran the reactivation with us on the phone');
    const posted = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url() === `${base}/cases/${n}/reactivated`,
    );
    await form.getByRole('button', { name: 'Record the reactivation' }).click();
    expect((await posted).status()).toBe(303);
    await reloadUntilState(page, 'transferred');
    reg = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as RegistryJson;
    expect(reg.licenses.find((l) => l.key === AUDIUM_CASE.license)?.systemKey).toBe(AUDIUM_CASE.newMachine);
    expect((await audit()).find((a) => a.action === 'machine-reactivated')).toMatchObject({
      actor: `rep:${REP}`,
      reason: expect.stringContaining('Contoso ran the reactivation with us on the phone'),
    });
    await page.close();
    expect(repErrors).toEqual([]);
  });

  it('DSK-3 a rep releases a quarantined message in the console with a reason; it is processed again and its case opens; another is discarded', async () => {
    await dovecot.append(USER, await partnerMail(`Case ${QUARANTINE_CASE.number} once more`, [], { from: STRANGER }));
    await waitFor(
      async () => (await cliJson<unknown[]>(['quarantine', 'list'], env)).length === 2,
      30_000,
      "the stranger's two mails in quarantine",
    );
    const list = await cliJson<Array<{ id: string; from: string; subject: string }>>(['quarantine', 'list'], env);
    const held = list.find((m) => m.subject === `Case ${QUARANTINE_CASE.number}`);
    const junk = list.find((m) => m.subject.endsWith('once more'));
    expect(held?.from).toContain(STRANGER);
    expect(junk).toBeTruthy();
    const page = await newPage(rep);
    await page.goto(`${base}/quarantine`);
    const item = page.locator(`article[data-message="${held!.id}"]`);
    expect((await item.textContent()) ?? '').toContain(STRANGER);
    // The mail's text is on the quarantine page: a rep does not vouch blind.
    expect((await item.locator('details.mail-text pre').textContent()) ?? '').toContain('Forms attached.');

    // Before vouching, the rep reads the mail and opens its form; the card form is not served to a rep.
    await item.getByRole('link', { name: 'Read the mail and open its attachments' }).click();
    await page.waitForURL(`${base}/quarantine/${held!.id}/mail`);
    expect(await page.locator('#mail-text').textContent()).toContain('Forms attached.');
    const files = page.locator('#mail-files li');
    expect(await files.count()).toBe(2);
    expect((await files.nth(1).textContent()) ?? '').toContain('not shown: a card form');
    expect(await files.nth(1).locator('a').count()).toBe(0);
    const opened = await page.request.get(`${base}/quarantine/${held!.id}/files/0`);
    expect(opened.status()).toBe(200);
    expect(opened.headers()['content-type']).toBe('application/pdf');
    expect(opened.headers()['content-disposition']).toMatch(/^inline; filename="transfer\.pdf"/);
    expect(opened.headers()['cache-control']).toBe('no-store');
    expect(opened.headers()['x-content-type-options']).toBe('nosniff');
    expect(opened.headers()['content-security-policy']).toMatch(/^sandbox/);
    expect((await opened.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const card = await raw('GET', `/quarantine/${held!.id}/files/1`, { cookie: await repCookie() });
    expect(card.status).toBe(403);
    expect(card.body).not.toContain('%PDF');
    expect(card.body).toContain('billing');
    await page.goto(`${base}/quarantine`);
    const release = item.locator(`form[action="/quarantine/${held!.id}/release"]`);
    await release.getByLabel('Reason').fill("Acme's new contact, vouched for by their account manager");
    await release.getByRole('button', { name: 'Release' }).click();
    await page.waitForURL(`${base}/quarantine`);
    expect(await page.locator(`article[data-message="${held!.id}"]`).count()).toBe(0);

    const discard = page.locator(`form[action="/quarantine/${junk!.id}/discard"]`);
    await discard.getByLabel('Reason').fill('a duplicate without forms');
    await discard.getByRole('button', { name: 'Discard' }).click();
    await page.waitForURL(`${base}/quarantine`);
    expect(await page.locator('#quarantine-empty').count()).toBe(1);
    expect((await audit()).find((a) => a.action === 'message-discarded')).toMatchObject({
      actor: `rep:${REP}`,
      reason: expect.stringContaining('a duplicate without forms'),
    });

    expect(await cliJson<unknown[]>(['quarantine', 'list'], env)).toEqual([]);
    const c = await caseInState(QUARANTINE_CASE.number, ['held', 'transferred', 'rejected', 'waiting-partner'], 60_000);
    expect(c.state).toBe('held');
    expect((await audit()).find((a) => a.action === 'message-released')).toMatchObject({ actor: `rep:${REP}` });

    // The case list after the work above (held first, then the rest), for the README.
    await page.goto(`${base}/`);
    const states = await page.locator('#cases td.state').allTextContents();
    expect(states.map((t) => t.trim()).slice(0, 2)).toEqual(['held', 'held']);
    await page.screenshot({ path: join(shotDir, 'console-cases.png') });
    if (process.env.UPDATE_SCREENSHOTS) {
      mkdirSync(DOCS, { recursive: true });
      for (const f of ['console-cases.png', 'console-case.png']) copyFileSync(join(shotDir, f), join(DOCS, f));
    }
    console.log(`DSK-7 console screenshots: ${shotDir}`);
    await page.close();
    expect(repErrors).toEqual([]);
  });
});

describe('the console as a workplace: several reps, phones, time zones, a list that says what to do', () => {
  it('DSK-7 an action from a page drawn before the case changed is refused with what changed; a case another rep has needs "act anyway", and the trail says so', async () => {
    const n = QUARANTINE_CASE.number;
    expect((await caseShow(n)).state).toBe('held');
    // Untracked: its refusals (409) are what this test asserts, one by one.
    const page = await newPage(rep, false);
    await page.goto(`${base}/cases/${n}`);
    await page.locator('form#approve').getByLabel('Reason').fill('looks fine to me');

    // Meanwhile the operator takes the case and leaves a note.
    const ops = await browser.newContext();
    try {
      await signIn(ops, OPERATOR, OPERATOR_PASSWORD);
      const p = await ops.newPage();
      await p.goto(`${base}/cases/${n}`);
      await p.locator('form#take').getByRole('button', { name: 'Take it' }).click();
      await p.waitForURL(`${base}/cases/${n}?done=taken`);
      await p.locator('form#note').getByLabel(/^Note/).fill('hold on: the PO is not here yet');
      await p.locator('form#note').getByRole('button', { name: 'Add the note' }).click();
      await p.waitForURL(`${base}/cases/${n}?done=noted`);
    } finally {
      await ops.close();
    }

    const posted = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url() === `${base}/cases/${n}/approve`,
    );
    await page.locator('form#approve').getByRole('button', { name: 'Approve and move' }).click();
    expect((await posted).status()).toBe(409);
    expect(await page.locator('h1').textContent()).toBe('The case changed: nothing was done');
    const changes = (await page.locator('#changes').textContent()) ?? '';
    expect(changes).toContain('hold on: the PO is not here yet');
    expect(changes).toContain(`${OPERATOR} took the case`);
    expect((await caseShow(n)).state).toBe('held');

    // Drawn again: the page warns whose case it is, and the approve form asks to act anyway.
    await page.locator('#see-now').click();
    expect((await page.locator('#other-owner').textContent()) ?? '').toContain(OPERATOR);
    const cookie = await repCookie();
    const token = (await page.locator('form#approve input[name="_csrf"]').getAttribute('value'))!;
    const version = (await page.locator('form#approve input[name="version"]').getAttribute('value'))!;
    const blind = await raw(
      'POST',
      `/cases/${n}/approve`,
      { origin: base, cookie },
      `reason=blind&version=${version}&_csrf=${encodeURIComponent(token)}`,
    );
    expect(blind.status).toBe(409);
    expect(blind.body).toContain(`${OPERATOR} has taken case ${n}`);
    expect((await caseShow(n)).state).toBe('held');

    await page.locator('form#approve').getByLabel('Reason').fill('the PO came in by fax');
    await page
      .locator('form#approve')
      .getByLabel(/act anyway/)
      .check();
    await page.locator('form#approve').getByRole('button', { name: 'Approve and move' }).click();
    await page.waitForURL(`${base}/cases/${n}?done=approved`);
    const trail = await audit(n);
    expect(trail.find((a) => a.action === 'rep-approved')).toMatchObject({
      actor: `rep:${REP}`,
      reason: `the PO came in by fax (while ${OPERATOR} had the case)`,
    });
    expect(trail.filter((a) => a.action === 'rep-approved')).toHaveLength(1);
    await page.close();
    expect(repErrors).toEqual([]);
  });

  it('DSK-7 the list filters by what each case waits for, by owner and by program, with counts, and sorts by time left', async () => {
    const page = await newPage(rep);
    await page.goto(`${base}/`);
    const heldNow = (await cliJson<Array<{ state: string }>>(['case', 'list', '--state', 'held'], env)).length;
    expect(Number(await page.locator('#waits-rep .count').textContent())).toBe(heldNow);
    await page.locator('#waits-rep').click();
    const states = (await page.locator('#cases td.state').allTextContents()).map((t) => t.trim());
    expect(states.length).toBe(heldNow);
    for (const st of states) expect(st).toBe('held');
    expect(await page.locator('#waits-rep').getAttribute('aria-current')).toBe('true');

    // "Mine": the rep's open cases (the Audium case, taken earlier, is done now); its count is what it lists.
    await page.goto(`${base}/?owner=mine`);
    expect(await page.locator(`#cases tr[data-case="${AUDIUM_CASE.number}"]`).count()).toBe(0);
    expect(await page.locator('#cases tbody tr[data-case]').count()).toBe(
      Number(await page.locator('#owner-mine .count').textContent()),
    );
    await page.goto(`${base}/?owner=none`);
    expect(await page.locator(`#cases tr[data-case="${ATTACK_CASE.number}"]`).count()).toBe(1);
    expect(await page.locator('#cases tbody tr[data-case]').count()).toBe(
      Number(await page.locator('#owner-none .count').textContent()),
    );

    await page.goto(`${base}/?program=audium`);
    const programs = (await page.locator('#cases tbody tr td[data-label="Program"]').allTextContents()).map((t) =>
      t.trim(),
    );
    expect(programs.length).toBeGreaterThan(0);
    for (const pr of programs) expect(pr).toBe('audium');

    await page.goto(`${base}/?sort=time-left`);
    expect(await page.locator('#sort').inputValue()).toBe('time-left');
    await page.close();
    expect(repErrors).toEqual([]);
  });

  it("DSK-7 every time is in the rep's own zone once the account names one", async () => {
    const page = await newPage(rep);
    await page.goto(`${base}/account`);
    await page.getByLabel('Time zone for the times the console shows').selectOption('Asia/Tokyo');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`${base}/account?saved=1`);
    expect(await page.locator('#zone-shown').textContent()).toBe('Asia/Tokyo');
    await page.goto(`${base}/cases/${ATTACK_CASE.number}`);
    expect((await page.locator('#received').textContent()) ?? '').toContain('GMT+9');
    expect((await page.locator('#audit').textContent()) ?? '').toContain('GMT+9');
    expect((await page.locator('#audit').textContent()) ?? '').not.toContain('UTC');
    await page.goto(`${base}/account`);
    await page.getByLabel('Time zone for the times the console shows').selectOption('');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`${base}/account?saved=1`);
    expect(await page.locator('#zone-shown').textContent()).toBe('UTC');
    await page.close();
    expect(repErrors).toEqual([]);
  });

  it('every page fits a 360 px phone without sideways scrolling, Sign out in reach, and works from the keyboard', async () => {
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      storageState: await rep.storageState(),
    });
    try {
      const page = await newPage(phone);
      for (const path of [
        '/',
        '/?waits=rep',
        `/cases/${AUDIUM_CASE.number}`,
        `/cases/${ATTACK_CASE.number}`,
        `/cases/${ATTACK_CASE.number}/mail/0`,
        '/quarantine',
        '/account',
      ]) {
        await page.goto(`${base}${path}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
        const out = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
        expect(out && out.x >= 0 && out.x + out.width <= 360, path).toBe(true);
      }
      await page.goto(`${base}/`);
      await page.screenshot({ path: join(shotDir, 'console-phone.png'), fullPage: false });
      // Keyboard: the first Tab reaches "Skip to content", Enter moves to the page's content.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(page.url()).toContain('#main');
      await page.close();
    } finally {
      await phone.close();
    }
    if (process.env.UPDATE_SCREENSHOTS)
      copyFileSync(join(shotDir, 'console-phone.png'), join(DOCS, 'console-phone.png'));
    expect(repErrors).toEqual([]);
  });
});

describe('the console under attack: each attempt refused, nothing changed', () => {
  it('an anonymous visitor gets the sign-in page or 401, never a case, and leaves no session behind', async () => {
    const n = ATTACK_CASE.number;
    const page = await raw('GET', `/cases/${n}`);
    expect(page.status).toBe(303);
    expect(page.headers.location).toMatch(/^\/login/);
    expect(page.body).not.toContain(n);
    for (const path of [`/api/cases/${n}`, '/queues/api/queues', '/quarantine', '/', '/queues']) {
      const r = await raw('GET', path);
      expect([303, 401], path).toContain(r.status);
      expect(r.body, path).not.toContain('LK-');
    }
    const post = await raw('POST', `/cases/${n}/approve`, { origin: base }, 'reason=anonymous');
    expect([401, 403]).toContain(post.status);
    // Resource use: fifty anonymous requests store no session.
    const r = new Redis(redis.url);
    try {
      const before = (await r.keys(`{${PREFIX}}:session:*`)).length;
      await Promise.all(Array.from({ length: 50 }, () => raw('GET', `/api/cases/${n}`)));
      expect((await r.keys(`{${PREFIX}}:session:*`)).length).toBe(before);
    } finally {
      r.disconnect();
    }
    await attackCaseUntouched();
  });

  it("a cross-site form post with the rep's session is refused (wrong Origin), and so is a same-origin post without the CSRF token", async () => {
    const n = ATTACK_CASE.number;
    // A page on another origin that auto-submits an approve form to the console.
    const evilPort = await freePort();
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<form method="post" action="${base}/cases/${n}/approve"><input name="reason" value="ok"></form><script>document.forms[0].submit()</script>`,
      );
    });
    await new Promise<void>((r) => evil.listen(evilPort, '127.0.0.1', r));
    try {
      const page = await newPage(rep, false);
      const posted = page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url() === `${base}/cases/${n}/approve`,
      );
      await page.goto(`http://127.0.0.1:${evilPort}/`);
      expect([401, 403]).toContain((await posted).status());
      await page.close();
    } finally {
      evil.close();
    }

    const cookie = await repCookie();
    const token = await repToken(n);
    const noToken = await raw('POST', `/cases/${n}/approve`, { origin: base, cookie }, 'reason=no+token');
    expect(noToken.status).toBe(403);
    const wrongOrigin = await raw(
      'POST',
      `/cases/${n}/approve`,
      { origin: 'http://evil.example', cookie },
      `reason=wrong+origin&_csrf=${encodeURIComponent(token)}`,
    );
    expect(wrongOrigin.status).toBe(403);
    const noOrigin = await raw(
      'POST',
      `/cases/${n}/approve`,
      { cookie },
      `reason=no+origin&_csrf=${encodeURIComponent(token)}`,
    );
    expect(noOrigin.status).toBe(403);
    await attackCaseUntouched();
  });

  it("the new forms (take, note, message) need the page's CSRF token and the console's Origin; attachment links take no paths and no other case's ids; card forms are not served", async () => {
    const n = ATTACK_CASE.number;
    const cookie = await repCookie();
    const token = await repToken(n);
    for (const [path, body] of [
      ['take', ''],
      ['note', 'note=sneaky'],
      ['message', 'message=pay+here&forms=license-transfer%2Fv1'],
      ['release', ''],
    ] as const) {
      expect((await raw('POST', `/cases/${n}/${path}`, { origin: base, cookie }, body || 'x=1')).status, path).toBe(
        403,
      );
      expect(
        (
          await raw(
            'POST',
            `/cases/${n}/${path}`,
            { origin: 'http://evil.example', cookie },
            `${body}&_csrf=${encodeURIComponent(token)}`,
          )
        ).status,
        path,
      ).toBe(403);
    }
    // Attachment links: positions only; a path, another place or a processed message's id answers nothing.
    for (const path of [
      `/cases/${n}/mail/0/files/..%2F..%2Fetc%2Fpasswd`,
      `/cases/${n}/mail/..%2F0/files/0`,
      `/cases/${n}/mail/0/files/-1`,
      `/cases/${n}/mail/0/files/0x0`,
    ])
      expect((await raw('GET', path, { cookie })).status, path).toBe(400);
    expect((await raw('GET', `/cases/${n}/mail/99/files/0`, { cookie })).status).toBe(404);
    const doc = JSON.parse((await raw('GET', `/api/cases/${APPROVE_CASE.number}`, { cookie })).body) as {
      messages: Array<{ id: string }>;
    };
    const otherId = doc.messages[0]!.id;
    // Another case's stored message is not in quarantine: the quarantine links do not open it.
    expect((await raw('GET', `/quarantine/${encodeURIComponent(otherId)}/mail`, { cookie })).status).toBe(404);
    expect((await raw('GET', `/quarantine/${encodeURIComponent(otherId)}/files/0`, { cookie })).status).toBe(404);
    // The attack case's own card form (its second PDF) is withheld; its transfer form opens.
    const cardForm = await raw('GET', `/cases/${n}/mail/0/files/1`, { cookie });
    expect(cardForm.status).toBe(403);
    expect(cardForm.body).not.toContain('%PDF');
    expect((await raw('GET', `/cases/${n}/mail/0/files/0`, { cookie })).status).toBe(200);
    expect((await raw('GET', `/cases/${n}/mail/0/files/0`)).status).toBe(303);
    await attackCaseUntouched();
    expect((await caseShow(n)).state).toBe('held');
  });

  it('a request naming another Host (DNS rebinding) is refused even with a session', async () => {
    const n = ATTACK_CASE.number;
    const cookie = await repCookie();
    const token = await repToken(n);
    const get = await raw('GET', `/api/cases/${n}`, { host: `rebind.example:${port}`, cookie });
    expect(get.status).toBe(421);
    expect(get.body).not.toContain('LK-');
    const post = await raw(
      'POST',
      `/cases/${n}/approve`,
      { host: `rebind.example:${port}`, origin: `http://rebind.example:${port}`, cookie },
      `reason=rebind&_csrf=${encodeURIComponent(token)}`,
    );
    expect(post.status).toBe(421);
    // A forwarded host from a script on the rebound page changes nothing either.
    const fwd = await raw('GET', `/api/cases/${n}`, {
      host: `rebind.example:${port}`,
      'x-forwarded-host': `127.0.0.1:${port}`,
      cookie,
    });
    expect(fwd.status).toBe(421);
    await attackCaseUntouched();
  });

  it('a rep on /queues is refused (page and API, read or write); an operator gets bull-board', async () => {
    const page = await newPage(rep, false);
    const res = await page.goto(`${base}/queues`);
    expect(res?.status()).toBe(403);
    await page.close();
    const cookie = await repCookie();
    expect((await raw('GET', '/queues/api/queues', { cookie })).status).toBe(403);
    // The sweep repeats every minute and takes a new id each time it fires, so it is
    // compared by presence; every other delayed job must be exactly as it was.
    type Listed = { id: string; name: string };
    const jobs = async () => {
      const all = await cliJson<Listed[]>(['jobs', 'list'], env);
      return { sweeps: all.filter((j) => j.name === 'sweep').length, rest: all.filter((j) => j.name !== 'sweep') };
    };
    const jobsBefore = await jobs();
    expect(jobsBefore.sweeps).toBe(1);
    const add = await raw('PUT', '/queues/api/queues/notify/clean/delayed', { origin: base, cookie });
    expect(add.status).toBe(403);
    expect(await jobs()).toEqual(jobsBefore);

    const ops = await browser.newContext();
    try {
      await signIn(ops, OPERATOR, OPERATOR_PASSWORD);
      const p = await ops.newPage();
      const r = await p.goto(`${base}/queues`);
      expect(r?.status()).toBe(200);
      const api = await p.request.get(`${base}/queues/api/queues`);
      expect(api.status()).toBe(200);
    } finally {
      await ops.close();
    }
    await attackCaseUntouched();
  });

  it('six wrong passwords lock that browser out of the account: the right password is then refused from it, and every failure is on the audit trail', async () => {
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      for (let i = 1; i <= 6; i++) {
        await page.goto(`${base}/login`);
        await page.getByLabel('E-mail').fill(VICTIM);
        await page.getByLabel('Password').fill(`guess number ${i}`);
        const r = page.waitForResponse((x) => x.request().method() === 'POST' && x.url() === `${base}/login`);
        await page.getByRole('button', { name: 'Sign in' }).click();
        expect((await r).status()).toBe(i < 5 ? 401 : 423);
      }
      await page.goto(`${base}/login`);
      await page.getByLabel('E-mail').fill(VICTIM);
      await page.getByLabel('Password').fill(VICTIM_PASSWORD);
      const r = page.waitForResponse((x) => x.request().method() === 'POST' && x.url() === `${base}/login`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect((await r).status()).toBe(423);
      expect((await page.locator('#login-error').textContent()) ?? '').toContain('locked');
      // Still not signed in: the case list sends it back to the sign-in page.
      await page.goto(`${base}/`);
      expect(page.url()).toContain('/login');
    } finally {
      await ctx.close();
    }
    const trail = await audit();
    expect(
      trail.filter((a) => a.action === 'console-sign-in-failed' && (a.reason ?? '').startsWith(VICTIM)).length,
    ).toBe(7);
    expect(
      trail.filter((a) => a.action === 'console-sign-in-locked' && (a.reason ?? '').startsWith(VICTIM)).length,
    ).toBe(1);
    expect(trail.filter((a) => a.action === 'console-signed-in' && a.actor.endsWith(VICTIM))).toEqual([]);
  });

  it('/metrics answers only with its bearer token', async () => {
    expect((await raw('GET', '/metrics')).status).toBe(401);
    expect((await raw('GET', '/metrics', { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await raw('GET', '/metrics', { cookie: await repCookie() })).status).toBe(401);
    const ok = await raw('GET', '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('licensedesk_cases');
  });

  it('signing out ends the session on the server: the old cookie no longer opens a case', async () => {
    const ctx = await browser.newContext();
    try {
      await signIn(ctx, REP, REP_PASSWORD);
      const cookie = (await ctx.cookies(base)).map((c) => `${c.name}=${c.value}`).join('; ');
      expect((await raw('GET', `/api/cases/${ATTACK_CASE.number}`, { cookie })).status).toBe(200);
      const page = await ctx.newPage();
      await page.goto(`${base}/`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/login/);
      expect((await raw('GET', `/api/cases/${ATTACK_CASE.number}`, { cookie })).status).toBe(401);
    } finally {
      await ctx.close();
    }
    expect((await audit()).some((a) => a.action === 'console-signed-out' && a.actor === `rep:${REP}`)).toBe(true);
    await attackCaseUntouched();
  });

  it('sign-in attempts from one address are rate limited (429 within 30 a minute), and refused attempts store no session', async () => {
    const r = new Redis(redis.url);
    try {
      let limited = 0;
      let tries = 0;
      for (; tries < 40 && limited === 0; tries++) {
        const res = await raw('POST', '/login', { origin: base }, 'email=nobody%40desk.test&password=x');
        if (res.status === 429) limited = tries + 1;
        else expect([401, 403]).toContain(res.status);
      }
      expect(limited).toBeGreaterThan(0);
      expect(limited).toBeLessThanOrEqual(31);
      // The limit is kept in Redis under the desk's hash tag, with an end.
      const keys = await r.keys(`{${PREFIX}}:rate:console:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(await r.pttl(k)).toBeGreaterThan(0);
      const sessions = await r.keys(`{${PREFIX}}:session:*`);
      for (const k of sessions) expect(await r.ttl(k)).toBeGreaterThan(0);
    } finally {
      r.disconnect();
    }
  });
});
