/**
 * A rep keys a form read from paper in a real browser (DSK-9): the desk runs
 * as `licensedesk start` with its console; a partner's scanned License
 * Transfer Form has its license key written by hand (a script font), so the
 * case is held with rep-paper. Debian's chromium (playwright-core) signs in as
 * a rep, opens the case's keying page, sees each value beside the image of its
 * box with the uncertain one marked, corrects it (an invalid date first, which
 * the form's typing refuses) and confirms; the case is reviewed on the keyed
 * values and moves. The audit trail records the rep. Then the page is
 * attacked: no session, no CSRF token, a card box's image.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { freePort, waitFor } from '../../embedded/net.js';
import { paperFile } from '../../bench/paper-corpus.js';
import { fillForm } from '../../forms/form-filler.js';
import {
  cliJsonLines,
  mailCase,
  mailKind,
  runCli,
  startDesk,
  waitForCaseState,
  type DeskProcess,
} from '../support/desk-process.js';
import { deskEnv } from '../support/desk-env.js';
import { runCliWithInput } from '../support/console-fixture.js';
import {
  PAPER_CASES,
  paperCardValues,
  paperMail,
  paperRegistry,
  paperTransferValues,
} from '../support/paper-fixture.js';
import { rawRequest } from '../support/raw-http.js';

interface CaseJson {
  state: string;
  findings: Array<{ rule: string; outcome: string; message: string }>;
  unreadable: Array<{ file: string; code: string }>;
  moves: Array<{ licenseKey: string }>;
  paper?: Array<{ confirmedBy?: string }>;
}

const USER = 'desk-paper-keying';
const REP = 'paper.rep@desk.test';
const REP_PASSWORD = 'paper rep passphrase 5';
const CHROMIUM = '/usr/bin/chromium';
const DOCS = join(fileURLToPath(new URL('../..', import.meta.url)), 'docs');
const c = PAPER_CASES.keyed;

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;
let port: number;
let base: string;
let browser: Browser;
let rep: BrowserContext;

const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
  rawRequest(port, method, path, headers, body);

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'pkey',
      LICENSEDESK_HTTP_PORT: String(port),
      LICENSEDESK_REPS_ADDRESS: 'reps@desk.test',
      // OCR is CPU-bound and the test machine's two cores are shared: a message gets more than the default 30 s.
      LICENSEDESK_PARSE_MESSAGE_SECONDS: '90',
    },
  );
  const file = join(tmpdir(), `ld-paper-keying-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(paperRegistry()));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true });
  expect(imp.code, imp.stderr).toBe(0);
  const made = await runCliWithInput(['user', 'add', REP, '--role', 'rep'], env, `${REP_PASSWORD}\n`);
  expect(made.code, made.stderr).toBe(0);
  desk = startDesk(env);
  await waitFor(async () => (await fetch(`${base}/health`).catch(() => undefined))?.ok === true, 20_000, 'the console');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  rep = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await rep.newPage();
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/);
  await page.getByLabel('E-mail').fill(REP);
  await page.getByLabel('Password').fill(REP_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  await page.close();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  const code = await desk?.stop();
  expect(code).toBe(0);
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('the rep keys forms read from paper (DSK-9)', () => {
  it('DSK-9 a rep sees each value beside its box, corrects the uncertain one, confirms, and the case moves on the keyed values', async () => {
    const transfer = await paperFile('scan200', [
      {
        formId: 'license-transfer/v1',
        values: paperTransferValues(c),
        handwritten: ['from_system_key', 'license_keys', 'signer_name'],
      },
    ]);
    const card = {
      name: 'card.pdf',
      bytes: await fillForm('card-authorization/v1', {
        form_id: 'card-authorization/v1',
        ...paperCardValues(c.number),
      }),
      contentType: 'application/pdf',
    };
    await dovecot.append(USER, await paperMail(`Case ${c.number} signed forms`, [transfer, card]));
    const held = await waitForCaseState<CaseJson>(
      env,
      c.number,
      ['held', 'waiting-partner', 'transferred', 'rejected'],
      90_000,
    );
    expect(held.state, JSON.stringify([held.findings, held.unreadable])).toBe('held');
    await smtp.waitFor((m) => mailCase(m) === c.number && mailKind(m) === 'rep-paper', 15_000, 'rep-paper');

    const page = await rep.newPage();
    await page.goto(`${base}/cases/${c.number}`);
    await page.locator('#paper-link a').click();
    await page.waitForURL(`${base}/cases/${c.number}/paper`);
    const form = page.locator('#paper-license-transfer');
    // Every value beside the image of its box, each image served (no broken ones), the handwritten key marked.
    const rows = form.locator('tbody tr');
    expect(await rows.count()).toBe(13);
    const images = form.locator('img.crop');
    expect(await images.count()).toBe(13);
    for (const img of await images.all())
      expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(20);
    // The typed values read with certainty; at least one handwritten one marked uncertain (that is why the case is held).
    expect(await form.locator('tr[data-field="to_system_key"]').getAttribute('class')).toBeNull();
    expect(await form.locator('#f-license-transfer-to_system_key').inputValue()).toBe(c.to);
    const uncertain = await form
      .locator('tr.uncertain')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-field')));
    expect(uncertain.length).toBeGreaterThan(0);
    for (const f of uncertain) expect(['from_system_key', 'license_keys', 'signer_name']).toContain(f);

    // A date the form's typing refuses is refused here too, and what was typed is kept.
    await form.locator('#f-license-transfer-from_system_key').fill(c.from);
    await form.locator('#f-license-transfer-license_keys').fill(c.keys.join('\n'));
    await form.locator('#f-license-transfer-signer_name').fill(paperTransferValues(c).signer_name as string);
    await form.locator('#f-license-transfer-signed_on').fill('2026-13-45');
    await form.getByRole('button', { name: 'Confirm these values' }).click();
    await page.waitForLoadState();
    await expect.poll(() => page.locator('#keying-error').count()).toBe(1);
    expect((await page.locator('tr[data-field="signed_on"] .field-problem').textContent()) ?? '').toMatch(/date/i);
    expect(await page.locator('#f-license-transfer-license_keys').inputValue()).toBe(c.keys.join('\n'));

    await page.locator('#f-license-transfer-signed_on').fill(paperTransferValues(c).signed_on as string);
    await page.screenshot({ path: join(tmpdir(), `console-paper-keying-${process.pid}.png`), fullPage: true });
    await page.locator('#paper-license-transfer').getByRole('button', { name: 'Confirm these values' }).click();
    await page.waitForURL(`${base}/cases/${c.number}/paper`);
    expect((await page.locator('#paper-license-transfer .confirmed').textContent()) ?? '').toContain(REP);
    if (process.env.UPDATE_SCREENSHOTS) {
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(join(tmpdir(), `console-paper-keying-${process.pid}.png`), join(DOCS, 'console-paper-keying.png'));
    }
    rmSync(join(tmpdir(), `console-paper-keying-${process.pid}.png`), { force: true });
    await page.close();

    const moved = await waitForCaseState<CaseJson>(
      env,
      c.number,
      ['transferred', 'waiting-partner', 'rejected'],
      60_000,
    );
    expect(moved.state, JSON.stringify(moved.findings)).toBe('transferred');
    expect(moved.moves.map((m) => m.licenseKey)).toEqual(c.keys);
    expect(moved.paper?.[0]?.confirmedBy).toBe(REP);
    const trail = await cliJsonLines<{ action: string; actor: string; reason?: string }>(['audit', c.number], env);
    const keyed = trail.find((a) => a.action === 'paper-keyed');
    expect(keyed?.actor).toBe(`rep:${REP}`);
    expect(keyed?.reason).toContain(`keyed from paper by ${REP}`);
  }, 180_000);

  it('DSK-9 DSK-5 the keying page refuses a visitor without a session, a post without a CSRF token, and never serves a card box', async () => {
    const anonymous = await raw('GET', `/cases/${c.number}/paper/license-transfer/to_system_key.png`);
    expect(anonymous.status).toBe(303);
    const cookie = (await rep.cookies(base)).map((k) => `${k.name}=${k.value}`).join('; ');
    const crop = await fetch(`${base}/cases/${c.number}/paper/license-transfer/to_system_key.png`, {
      headers: { cookie },
    });
    expect(crop.status).toBe(200);
    expect(crop.headers.get('cache-control')).toBe('no-store');
    expect(crop.headers.get('content-type')).toBe('image/png');
    for (const field of ['card_number', 'card_expiry'])
      expect(
        (await fetch(`${base}/cases/${c.number}/paper/card-authorization/${field}.png`, { headers: { cookie } }))
          .status,
      ).toBe(404);
    const forged = await raw(
      'POST',
      `/cases/${c.number}/paper/license-transfer`,
      { cookie, origin: base },
      'f_license_keys=LK-2231',
    );
    expect(forged.status).toBe(403);
  }, 60_000);
});
