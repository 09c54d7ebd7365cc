/**
 * Forms on paper through the real desk (DSK-9): `licensedesk start` on a real
 * redis-server reading a real Dovecot mailbox and mailing a real SMTP server.
 * The pages are made from the desk's own forms as paper arrives (a 200 dpi
 * grey scan, a 1-bit fax TIFF, a print to PDF, a value in a script font) by
 * bench/paper-corpus.ts. OCR is CPU-heavy: a handful of pages here, the broad
 * corpus in `npm run bench:paper`.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { paperFile } from '../../bench/paper-corpus.js';
import { fillForm } from '../../forms/form-filler.js';
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
import { CONTACT } from '../support/altigen-fixture.js';
import { cardSpellings, scanRedis } from '../support/card-data-fixture.js';
import {
  PAPER_CARD,
  PAPER_CASES,
  paperCardValues,
  paperMail,
  paperRegistry,
  paperTransferValues,
} from '../support/paper-fixture.js';

interface CaseJson {
  number: string;
  state: string;
  findings: Array<{ rule: string; outcome: string; message: string }>;
  unreadable: Array<{ file: string; code: string }>;
  moves: Array<{ licenseKey: string; from: string; to: string }>;
  card?: { last4: string };
  paper?: Array<{ formId: string; source: string; fax?: boolean; fields: Array<{ name: string; confidence: number }> }>;
}

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;
const USER = 'desk-paper';
const REPS = 'reps@desk.test';
const GATEWAY = 'fax@gateway.test';

const caseIn = (n: string, states: string[]) => waitForCaseState<CaseJson>(env, n, states, 90_000);
const DECIDED = ['transferred', 'waiting-partner', 'rejected', 'held'];
const mailsOf = (n: string, kind: string) => smtp.messages().filter((m) => mailCase(m) === n && mailKind(m) === kind);

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'paper',
      LICENSEDESK_REPS_ADDRESS: REPS,
      LICENSEDESK_FAX_SENDERS: GATEWAY,
      // OCR is CPU-bound and the test machine's two cores are shared: a message gets more than the default 30 s.
      LICENSEDESK_PARSE_MESSAGE_SECONDS: '90',
    },
  );
  const file = join(tmpdir(), `ld-paper-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(paperRegistry()));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true });
  expect(imp.code, imp.stderr).toBe(0);
  desk = startDesk(env);
}, 60_000);

afterAll(async () => {
  const code = await desk?.stop();
  expect(code).toBe(0);
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('forms on paper (DSK-9)', () => {
  it('DSK-9 a typed and printed AltiGen form set scanned at 200 dpi is read and the case moves with no rep', async () => {
    const c = PAPER_CASES.printed;
    const transfer = await paperFile('scan200', [{ formId: 'license-transfer/v1', values: paperTransferValues(c) }]);
    const card = await paperFile('scan200', [{ formId: 'card-authorization/v1', values: paperCardValues(c.number) }]);
    await dovecot.append(USER, await paperMail(`Case ${c.number} forms (scanned)`, [transfer, card]));
    const done = await caseIn(c.number, DECIDED);
    expect(done.state, JSON.stringify([done.findings, done.unreadable])).toBe('transferred');
    expect(done.moves).toEqual([expect.objectContaining({ licenseKey: 'LK-2231', from: c.from, to: c.to })]);
    expect(done.card?.last4).toBe('2709');
    expect(done.paper?.map((p) => `${p.formId}:${p.source}`).sort()).toEqual([
      'card-authorization/v1:image',
      'license-transfer/v1:image',
    ]);
    expect(mailsOf(c.number, 'rep-paper')).toEqual([]);
    await smtp.waitFor((m) => mailCase(m) === c.number && mailKind(m) === 'transferred', 15_000, 'transferred');
  }, 120_000);

  it('DSK-9 a value written by hand (a script font) holds the case for a rep with rep-paper; nothing moves', async () => {
    const c = PAPER_CASES.handwritten;
    const transfer = await paperFile('scan200', [
      { formId: 'license-transfer/v1', values: paperTransferValues(c), handwritten: ['from_system_key'] },
    ]);
    const card = {
      name: 'card.pdf',
      bytes: await fillForm('card-authorization/v1', {
        form_id: 'card-authorization/v1',
        ...paperCardValues(c.number),
      }),
      contentType: 'application/pdf',
    };
    await dovecot.append(USER, await paperMail(`Case ${c.number}`, [transfer, card]));
    const held = await caseIn(c.number, DECIDED);
    expect(held.state, JSON.stringify([held.findings, held.unreadable])).toBe('held');
    expect(held.moves).toEqual([]);
    expect(held.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'DSK-9',
          outcome: 'hold',
          message: expect.stringContaining('from_system_key'),
        }),
      ]),
    );
    const mail = await smtp.waitFor(
      (m) => mailCase(m) === c.number && mailKind(m) === 'rep-paper',
      15_000,
      'rep-paper',
    );
    expect(mail.envelopeTo).toEqual([REPS]);
    expect(mail.parsed.text).toContain('from_system_key');
  }, 120_000);

  it('DSK-9 SWP-4 a key altered one digit to name another real key of the same partner is held with rep-paper, never moved', async () => {
    const c = PAPER_CASES.altered;
    const transfer = await paperFile('scan200', [{ formId: 'license-transfer/v1', values: paperTransferValues(c) }]);
    const card = {
      name: 'card.pdf',
      bytes: await fillForm('card-authorization/v1', {
        form_id: 'card-authorization/v1',
        ...paperCardValues(c.number),
      }),
      contentType: 'application/pdf',
    };
    await dovecot.append(USER, await paperMail(`Case ${c.number}`, [transfer, card]));
    const held = await caseIn(c.number, DECIDED);
    expect(held.state, JSON.stringify([held.findings, held.unreadable])).toBe('held');
    expect(held.moves).toEqual([]);
    const near = held.findings.find((f) => f.rule === 'DSK-9' && f.message.includes('LK-6648'));
    expect(near?.message).toContain('LK-6640');
    await smtp.waitFor((m) => mailCase(m) === c.number && mailKind(m) === 'rep-paper', 15_000, 'rep-paper');
  }, 120_000);

  it('DSK-9 a form printed to PDF (flattened, no fields) is read from its text and the case moves', async () => {
    const c = PAPER_CASES.printPdf;
    const transfer = await paperFile('print-pdf', [{ formId: 'license-transfer/v1', values: paperTransferValues(c) }]);
    const card = await paperFile('print-pdf', [{ formId: 'card-authorization/v1', values: paperCardValues(c.number) }]);
    await dovecot.append(USER, await paperMail(`Case ${c.number}`, [transfer, { ...card, name: 'card.pdf' }]));
    const done = await caseIn(c.number, DECIDED);
    expect(done.state, JSON.stringify([done.findings, done.unreadable])).toBe('transferred');
    expect(done.paper?.every((p) => p.source === 'text')).toBe(true);
    expect(done.moves).toEqual([expect.objectContaining({ licenseKey: 'LK-3385' })]);
  }, 60_000);

  it('DSK-9 a fax from a configured gateway is filed on the case its forms carry, held for a rep, and answered to the partner, never to the gateway', async () => {
    const c = PAPER_CASES.fax;
    // The desk's pre-filled forms carry the case number in their QR code; the gateway's subject has none.
    const fax = await paperFile('fax', [
      { formId: 'license-transfer/v1', values: paperTransferValues(c) },
      { formId: 'card-authorization/v1', values: paperCardValues(c.number) },
    ]);
    await dovecot.append(USER, await paperMail('Fax from +1 408 555 0100 (2 pages)', [fax], GATEWAY));
    const held = await caseIn(c.number, DECIDED);
    expect(held.state, JSON.stringify([held.findings, held.unreadable])).toBe('held');
    expect(held.paper?.every((p) => p.fax === true)).toBe(true);
    expect(held.findings.some((f) => f.rule === 'DSK-9' && f.message.includes('fax'))).toBe(true);
    await smtp.waitFor((m) => mailCase(m) === c.number && mailKind(m) === 'rep-paper', 15_000, 'rep-paper');
    // A rep confirms it; the partner hears of the move, the gateway never hears anything.
    const ok = await runCli(['case', 'approve', c.number, '--by', 'rep@desk.test'], env);
    expect(ok.code, ok.stderr).toBe(0);
    const moved = await smtp.waitFor(
      (m) => mailCase(m) === c.number && mailKind(m) === 'transferred',
      30_000,
      'transferred',
    );
    expect(moved.envelopeTo).toEqual([CONTACT]);
    expect(smtp.to(GATEWAY)).toEqual([]);
  }, 120_000);

  it('DSK-5 DSK-9 no card digits anywhere once the paper cases are decided: Redis, mail, logs, temp files', async () => {
    for (const c of Object.values(PAPER_CASES).filter((x) => x !== PAPER_CASES.keyed)) await caseIn(c.number, DECIDED);
    const needles = cardSpellings(PAPER_CARD).map((text) => ({ label: 'card number', text }));
    const scan = await scanRedis(redis.url, needles);
    expect(scan.hits).toEqual([]);
    for (const m of smtp.messages()) for (const n of needles) expect(m.raw.includes(n.text!), mailKind(m)).toBe(false);
    for (const n of needles) expect(desk.logs().includes(n.text!)).toBe(false);
    // The parse children's page images lived in the desk's private temp folder, and none is left behind.
    const shown = await cliJson<Array<{ number: string }>>(['case', 'list', '--json'], env);
    expect(shown.length).toBeGreaterThan(0);
    const root = join(tmpdir(), `licensedesk-${process.getuid?.() ?? 'user'}`, String(desk.proc.pid));
    const left = existsSync(root)
      ? readdirSync(root, { recursive: true })
          .map(String)
          .filter((f) => f.includes('ld-paper'))
      : [];
    expect(left).toEqual([]);
  }, 120_000);
});
