/**
 * The reps' console in a real browser (DSK-7): the desk runs as
 * `licensedesk start` on real redis-server, Dovecot and an SMTP sink; a
 * partner mail is appended over IMAP and ends HELD; Debian's chromium, driven
 * by playwright-core, lists the case, opens it, and approves or rejects it
 * through the console's forms. The outcome is read back through the CLI and
 * the mail the desk sends.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../support/dovecot.js';
import { cliJsonLines, runCli, startDesk, type DeskProcess, mailCase, mailKind, waitForCaseState } from '../support/desk-process.js';
import { startRedis, type RunningRedis } from '../support/redis-server.js';
import { startSmtpSink, type SmtpSink, type ReceivedMail } from '../support/smtp-sink.js';
import { freePort, waitFor } from '../support/net.js';
import { CONTACT } from '../support/altigen-fixture.js';
import { APPROVE_CASE, REJECT_CASE, consoleRegistry, heldCaseMail } from '../support/console-fixture.js';

interface CaseJson {
  number: string; state: string;
  findings: Array<{ rule: string; outcome: string; message: string }>;
  moves: Array<{ licenseKey: string; from: string; to: string }>;
}
interface AuditLine { case?: string; action: string; actor: string; from?: string; to?: string; reason?: string }

const USER = 'desk-console';
const REPS = 'reps@desk.test';
const REP = 'rep.one@desk.test';
const CHROMIUM = '/usr/bin/chromium';

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;
let base: string;
let browser: Browser;
let context: BrowserContext;
let shotDir: string;
/** Everything that went wrong for the rep in the browser: HTTP errors, page errors, console errors. */
const repErrors: string[] = [];

const kind = mailKind;
const caseOf = mailCase;

async function caseShow(n: string): Promise<CaseJson> {
  const r = await runCli(['case', 'show', n, '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as CaseJson;
}

const caseInState = (n: string, states: string[], ms?: number) => waitForCaseState<CaseJson>(env, n, states, ms);

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  page.on('response', (r) => { if (r.status() >= 400) repErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
  page.on('pageerror', (e) => repErrors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') repErrors.push(`console error: ${m.text()}`); });
  return page;
}

/** From the case list: the case's row says held; its link opens the case page. */
async function openHeldCaseFromList(page: Page, n: string): Promise<void> {
  await page.goto(`${base}/`);
  await expect(page.title()).resolves.toContain('cases');
  const row = page.locator(`#cases tr[data-case="${n}"]`);
  expect(await row.count()).toBe(1);
  expect((await row.locator('td.state').textContent())?.trim()).toBe('held');
  await row.getByRole('link', { name: n }).click();
  await page.waitForURL(`${base}/cases/${n}`);
  expect((await page.locator('h1').textContent()) ?? '').toContain(`Case ${n}`);
  expect((await page.locator('#state').textContent())?.trim()).toBe('held');
}

/** Reloads the case page until its state is `state` (bounded). */
async function reloadUntilState(page: Page, state: string, ms = 20_000): Promise<void> {
  await expect.poll(async () => {
    await page.reload();
    return (await page.locator('#state').textContent())?.trim();
  }, { timeout: ms, interval: 250 }).toBe(state);
}

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    LICENSEDESK_REDIS_URL: redis.url,
    LICENSEDESK_PREFIX: 'con',
    LICENSEDESK_IMAP_URL: dovecot.imapUrl(USER),
    LICENSEDESK_SMTP_URL: smtp.url,
    LICENSEDESK_DESK_ADDRESS: 'desk@desk.test',
    LICENSEDESK_REPS_ADDRESS: REPS,
    LICENSEDESK_SALES_ADDRESS: 'sales@desk.test',
    LICENSEDESK_HTTP_PORT: String(port),
    LICENSEDESK_SECRET: 'test-secret-0123456789abcdef',
    LICENSEDESK_REPLY_LIMIT_PER_HOUR: '50',
  };
  const file = join(tmpdir(), `ld-console-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(consoleRegistry()));
  const imp = await runCli(['registry', 'import', file], env);
  expect(imp.code, imp.stderr).toBe(0);
  desk = startDesk(env);
  await waitFor(async () => {
    try { return (await fetch(`${base}/health`)).ok; } catch { return false; }
  }, 20_000, `the console at ${base}`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  shotDir = mkdtempSync(join(tmpdir(), 'ld-console-shots-'));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  const code = await desk?.stop();
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
  expect(code).toBe(0);
});

describe('reps\' console in a browser (DSK-7)', () => {
  it('DSK-7 a rep sees a held case with its hold reason, approves it in the console, and the move follows', async () => {
    const n = APPROVE_CASE.number;
    await dovecot.append(USER, await heldCaseMail(APPROVE_CASE));
    const held = await caseInState(n, ['held', 'transferred', 'rejected', 'waiting-partner']);
    expect(held.state, JSON.stringify(held.findings)).toBe('held');

    const page = await newPage();
    await openHeldCaseFromList(page, n);

    // The findings, with the hold reason (ALT-5: the form's chassis differs from the registry's model).
    const holdItem = page.locator('#findings li.hold');
    expect(await holdItem.count()).toBeGreaterThan(0);
    const holdText = (await holdItem.first().textContent()) ?? '';
    expect(holdText).toContain('ALT-5');
    expect(holdText).toContain('Max1000');
    expect(holdText).toContain('our records show Max2000');

    // The approve form, found by its labels.
    const form = page.locator('form#approve');
    await form.getByLabel('Your e-mail').fill(REP);
    await form.getByLabel('Note').fill('chassis confirmed by phone');
    const shot = join(shotDir, `case-${n}-held.png`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`DSK-7 console screenshot (case ${n}, held, approve form filled): ${shot}`);

    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${base}/cases/${n}/approve`);
    await form.getByRole('button', { name: 'Approve and move' }).click();
    expect((await posted).status()).toBe(303);
    await page.waitForLoadState();
    expect(page.url()).toBe(`${base}/cases/${n}`);
    await reloadUntilState(page, 'transferred');
    expect(await page.locator('#approve').count()).toBe(0);
    expect((await page.locator('#findings').textContent()) ?? '').toContain(`Released by ${REP}: chassis confirmed by phone`);

    // Through the CLI: moved, and the rep's approval in the audit trail.
    const c = await caseShow(n);
    expect(c.state).toBe('transferred');
    expect(c.moves).toEqual([expect.objectContaining({ licenseKey: APPROVE_CASE.key, from: 'SYS-0003', to: 'SYS-0002' })]);
    const audit = await cliJsonLines<AuditLine>(['audit', n], env);
    expect(audit.find((a) => a.action === 'rep-approved')).toMatchObject({ actor: `rep:${REP}`, from: 'held', to: 'approved', reason: 'chassis confirmed by phone' });
    expect(audit.find((a) => a.action === 'transferred')).toMatchObject({ from: 'approved', to: 'transferred' });

    // The partner is told; the rep saw no error anywhere.
    await smtp.waitFor((m) => caseOf(m) === n && kind(m) === 'transferred', 15_000, 'transferred mail');
    await page.close();
    expect(repErrors).toEqual([]);
  });

  it('DSK-7 a rep rejects a held case in the console with a reason, and the partner is told that reason', async () => {
    const n = REJECT_CASE.number;
    const reason = 'The end user says the target is a "Max2000" & won\'t confirm <the chassis>';
    await dovecot.append(USER, await heldCaseMail(REJECT_CASE));
    const held = await caseInState(n, ['held', 'transferred', 'rejected', 'waiting-partner']);
    expect(held.state, JSON.stringify(held.findings)).toBe('held');

    const page = await newPage();
    await openHeldCaseFromList(page, n);
    expect((await page.locator('#findings li.hold').first().textContent()) ?? '').toContain('ALT-5');

    const form = page.locator('form#reject');
    await form.getByLabel('Your e-mail').fill(REP);
    await form.getByLabel('Reason').fill(reason);
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${base}/cases/${n}/reject`);
    await form.getByRole('button', { name: 'Reject' }).click();
    expect((await posted).status()).toBe(303);
    await page.waitForLoadState();
    expect(page.url()).toBe(`${base}/cases/${n}`);
    await reloadUntilState(page, 'rejected');
    expect(await page.locator('#reject').count()).toBe(0);
    // Shown as text, escaped: the reason's markup-like characters come back as typed.
    expect((await page.locator('#findings').textContent()) ?? '').toContain(`Rejected by ${REP}: ${reason}`);

    const c = await caseShow(n);
    expect(c.state).toBe('rejected');
    expect(c.moves).toEqual([]);
    const audit = await cliJsonLines<AuditLine>(['audit', n], env);
    expect(audit.find((a) => a.action === 'rep-rejected')).toMatchObject({ actor: `rep:${REP}`, from: 'held', to: 'rejected', reason });

    const mail = await smtp.waitFor((m) => caseOf(m) === n && kind(m) === 'rejected', 15_000, 'rejected mail');
    expect(mail.envelopeTo).toEqual([CONTACT]);
    expect(mail.parsed.subject).toContain(`[Case ${n}]`);
    expect(mail.parsed.text).toContain(reason);

    await page.close();
    expect(repErrors).toEqual([]);
  });
});
