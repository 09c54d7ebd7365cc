/**
 * DSK-5 end to end: card numbers typed with every separator partners use
 * (spaces, double spaces, dots, slashes, dashes, underscores, full-width and
 * other Unicode digits …) into every text field of the License Transfer Form
 * and the Credit Card Authorization (all but card_number) and into the
 * subject. One case per separator shape, each with its own card digits, so a
 * leak names its path. Real redis-server, Dovecot and SMTP; the desk as
 * `licensedesk start`. Afterwards a scan of every key of Redis (decrypting
 * nothing: the raw mail is sealed), every mail the desk sent and the reps'
 * console JSON finds none of the digits.
 */
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFTextField } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blankFormBytes } from '../../forms/blank-writer.js';
import { FORM_SPECS } from '../../forms/specs.js';
import type { FormId } from '../../forms/types.js';
import { CONTACT } from '../support/altigen-fixture.js';
import {
  cardDataRegistry,
  findNeedles,
  luhnValid,
  scanRedis,
  withCheckDigit,
  type Hit,
  type Needle,
} from '../support/card-data-fixture.js';
import {
  cliJson,
  runCli,
  startDesk,
  type DeskProcess,
  mailCase,
  mailKind,
  waitForCaseState,
} from '../support/desk-process.js';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { buildPartnerMail } from '../../embedded/mail-builder.js';
import { SHAPES as ALL_SHAPES, group } from '../support/card-shapes.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../embedded/smtp-sink.js';
import { deskEnv } from '../support/desk-env.js';

const USER = 'desk-card-shapes';
/** The separator shapes driven end to end (test/unit/card-number.test.ts checks every shape field by field). */
const END_TO_END = [
  'spaces',
  'double spaces',
  'dots',
  'slashes',
  'dashes',
  'underscores',
  'spaced dashes',
  'full-width digits',
  'full-width digits, ideographic spaces',
  'arabic-indic digits',
  'uneven groups',
];
const SHAPES = ALL_SHAPES.filter(([shape]) => END_TO_END.includes(shape));

/** The card number field carries a good card, kept only masked. */
const GOOD_CARD = '4111111111111111';
const CASES = SHAPES.map(([shape, make], i) => {
  const n = String(310001 + i);
  const digits = withCheckDigit(`45${n}0000000`);
  return { n, shape, digits, typed: make(digits) };
});

/** Every text field but form_id and card_number gets the card; the rest keep sensible values. */
function valuesWith(formId: FormId, typed: string): Record<string, string | boolean> {
  const v: Record<string, string | boolean> = { form_id: formId };
  for (const f of FORM_SPECS[formId].fields) {
    if (f.name === 'form_id') continue;
    if (f.kind === 'checkbox') v[f.name] = false;
    else if (f.kind === 'dropdown') v[f.name] = f.options![0]!;
    else if (f.name === 'card_number') v[f.name] = GOOD_CARD.replace(/(\d{4})(?=\d)/g, '$1 ');
    else v[f.name] = `${f.name} ${typed}`;
  }
  if (formId === 'card-authorization/v1') v.currency = 'USD';
  return v;
}

/** pdf-lib, with the text kept as Unicode (a partner's tool that writes full-width digits does the same). */
async function fill(formId: FormId, values: Record<string, string | boolean>): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(await blankFormBytes(formId));
  const form = pdf.getForm();
  for (const [name, value] of Object.entries(values)) {
    const field = form.getField(name);
    if (field instanceof PDFTextField) field.setText(String(value));
    else if (typeof value === 'boolean') form.getCheckBox(name)[value ? 'check' : 'uncheck']();
    else form.getDropdown(name).select(value);
  }
  return pdf.save({ updateFieldAppearances: false });
}

const NEEDLES: Needle[] = [
  ...CASES.flatMap((c) => [
    { label: `case ${c.n} (${c.shape}) digits`, text: c.digits },
    { label: `case ${c.n} (${c.shape}) as typed`, text: c.typed },
    // scanRedis reads values as latin1: the UTF-8 bytes of a full-width or Arabic-Indic copy.
    { label: `case ${c.n} (${c.shape}) as typed, UTF-8`, text: Buffer.from(c.typed, 'utf8').toString('latin1') },
    { label: `case ${c.n} (${c.shape}) grouped by spaces`, text: group(c.digits, ' ') },
    { label: `case ${c.n} (${c.shape}) grouped by dashes`, text: group(c.digits, '-') },
    { label: `case ${c.n} (${c.shape}) first twelve digits`, text: c.digits.slice(0, 12) },
  ]),
  { label: 'the good card', text: GOOD_CARD },
  { label: 'the good card, spaced', text: group(GOOD_CARD, ' ') },
];

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;
const report = (hits: Hit[]) => hits.map((h) => `- ${h.where}\n    ${h.needle}\n    …${h.context}…`).join('\n');
const mailText = (m: ReceivedMail) =>
  [m.raw, m.parsed.subject ?? '', m.parsed.text ?? '', typeof m.parsed.html === 'string' ? m.parsed.html : ''].join(
    '\n',
  );
/** Text as a viewer shows it: full-width and other Unicode digits read as ASCII, so a leak in any digit form is found. */
const asShown = (t: string) => t.normalize('NFKC').replace(/[\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) - 0x0660));

beforeAll(async () => {
  for (const c of CASES) expect(luhnValid(c.digits), c.digits).toBe(true);
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'shapes',
      LICENSEDESK_SECRET: 'card-shapes-secret-0123456789',
      LICENSEDESK_REPLY_LIMIT_PER_HOUR: '100',
    },
  );
  const file = join(tmpdir(), `ld-card-shapes-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(cardDataRegistry(CASES.map((c) => c.n))));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  expect(imp.code, imp.stderr).toBe(0);
  desk = startDesk(env);
  for (const c of CASES) {
    const lt = await fill('license-transfer/v1', valuesWith('license-transfer/v1', c.typed));
    const card = await fill('card-authorization/v1', valuesWith('card-authorization/v1', c.typed));
    await dovecot.append(
      USER,
      await buildPartnerMail({
        from: CONTACT,
        to: 'desk@desk.test',
        subject: `[Case ${c.n}] transfer, card ref ${c.typed}`,
        text: 'Forms attached.',
        messageId: `<shapes-${c.n}@acme.example>`,
        attachments: [
          { filename: 'transfer.pdf', content: Buffer.from(lt) },
          { filename: 'card.pdf', content: Buffer.from(card) },
        ],
      }),
    );
  }
}, 120_000);

afterAll(async () => {
  await desk?.stop();
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('DSK-5 card numbers in every separator shape, in every field', () => {
  it('DSK-5 each field holding a card number is blanked and the partner is asked for it again, naming the field, never the number', async () => {
    for (const c of CASES) {
      const got = await waitForCaseState<{
        state: string;
        card?: { last4: string };
        findings: Array<{ message: string }>;
      }>(env, c.n, ['waiting-partner', 'transferred', 'rejected', 'held'], 60_000);
      expect(got.state, `${c.shape}: ${JSON.stringify(got.findings).slice(0, 400)}`).toBe('waiting-partner');
      expect(got.card?.last4).toBe('1111');
      const reply = await smtp.waitFor(
        (m) => mailCase(m) === c.n && mailKind(m) === 'incomplete',
        30_000,
        `incomplete reply for case ${c.n}`,
      );
      for (const field of [
        'partner_name',
        'end_user_name',
        'license_keys',
        'cardholder_name',
        'billing_postcode',
        'signer_name',
      ]) {
        expect(reply.parsed.text ?? '', `${c.shape}: ${field}`).toContain(`'${field}'`);
      }
    }
    console.log(`[card-shapes] ${CASES.length} cases, one per separator shape: each waits for the blanked fields`);
  }, 240_000);

  it('DSK-5 no card digits in Redis (every key, decrypting nothing), in any mail, or in the console JSON and CLI', async () => {
    const scan = await scanRedis(redis.url, NEEDLES);
    expect(scan.keys).toBeGreaterThan(0);
    expect(scan.readablePdf, 'a readable PDF is kept in Redis').toEqual([]);
    expect(scan.hits, `card data in Redis:\n${report(scan.hits)}`).toEqual([]);

    const mails = smtp.messages();
    expect(mails.length).toBeGreaterThanOrEqual(CASES.length * 2); // the partner's reply and the reps' new-case notice
    const mailHits = mails.flatMap((m) =>
      findNeedles(
        `mail ${mailKind(m)} case ${mailCase(m)} to ${m.envelopeTo.join(',')}`,
        asShown(mailText(m)),
        NEEDLES,
      ),
    );
    expect(mailHits, `card data in mail:\n${report(mailHits)}`).toEqual([]);

    const url = /"console":"(http:\/\/[^"]+)"/.exec(desk.logs())?.[1];
    expect(url, 'console url in the log').toBeTruthy();
    const shownHits: Hit[] = [];
    for (const c of CASES) {
      const api = await (await fetch(`${url}/api/cases/${c.n}`)).text();
      const page = await (await fetch(`${url}/cases/${c.n}`)).text();
      const cli = JSON.stringify(await cliJson(['case', 'show', c.n], env));
      shownHits.push(
        ...findNeedles(`console /api/cases/${c.n}`, asShown(api), NEEDLES),
        ...findNeedles(`console /cases/${c.n}`, asShown(page), NEEDLES),
        ...findNeedles(`case show ${c.n}`, asShown(cli), NEEDLES),
      );
    }
    const quarantine = JSON.stringify(await cliJson(['quarantine', 'list'], env));
    shownHits.push(...findNeedles('quarantine list', asShown(quarantine), NEEDLES));
    expect(shownHits, `card data shown:\n${report(shownHits)}`).toEqual([]);
    const logHits = findNeedles('desk log', asShown(desk.logs()), NEEDLES);
    expect(logHits, `card data in logs:\n${report(logHits)}`).toEqual([]);
  }, 120_000);
});
