/**
 * Replies that do the partner's work, end to end: partner mail
 * appended to a real Dovecot, the desk as `licensedesk start` on a real
 * redis-server, its mail read from a real SMTP server. The forms the desk
 * attaches are read back with pypdf (not the desk's reader), completed with
 * pdftk and pypdf as a partner would, and sent back; the HTML part is
 * rendered in Debian's chromium at phone and desktop width.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { simpleParser, type Attachment } from 'mailparser';
import { chromium, type Browser } from 'playwright-core';
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
import { waitFor } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink, type ReceivedMail } from '../../embedded/smtp-sink.js';
import { buildPartnerMail } from '../../embedded/mail-builder.js';
import { altigenRegistry, CARD, CONTACT, TODAY, transferValues } from '../support/altigen-fixture.js';
import { programsRegistry, SWAP_CONTACT, swapForm } from '../support/programs-fixture.js';
import { addTextField, cardSpellings, findNeedles, type Needle } from '../support/card-data-fixture.js';
import { fillWithPdftk, fillWithPypdf, PYTHON, requireTool, inTempDir } from '../fixtures/forms/tools.js';
import { fillForm } from '../../forms/form-filler.js';
import { deskEnv, WAREHOUSE_ADDRESS } from '../support/desk-env.js';

const CHROMIUM = '/usr/bin/chromium';
const AUTHSERV = 'mx.desk.test';
const USER = 'desk-replies';
const REPO = join(import.meta.dirname, '..', '..');
const SECURITY_CODE = '737';

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;

interface CaseJson {
  number: string;
  state: string;
  findings: Array<{ rule: string; outcome: string; message: string }>;
  keyFollowUps?: Array<{ fk: string; dueAt: string }>;
}
const caseInState = (n: string, states: string[], ms = 60_000) => waitForCaseState<CaseJson>(env, n, states, ms);
const mailFor = (n: string, k: string, what = `${k} mail on case ${n}`) =>
  smtp.waitFor((m) => mailCase(m) === n && mailKind(m) === k, 30_000, what);

/** The trusted host's verdict on the From domain (LICENSEDESK_AUTHSERV_ID is set for this desk). */
const passed = (from: string) => ({
  'Authentication-Results': `${AUTHSERV}; dmarc=pass header.from=${from.split('@')[1]}`,
});

let seq = 0;
function partnerMail(
  from: string,
  subject: string,
  pdfs: Array<{ name: string; bytes: Uint8Array }>,
  opts: { inReplyTo?: string; headers?: Record<string, string> } = {},
) {
  seq += 1;
  return buildPartnerMail({
    from,
    to: 'desk@desk.test',
    subject,
    text: 'Forms attached.',
    messageId: `<r${seq}.${Date.now()}@partner.example>`,
    headers: opts.headers ?? passed(from),
    ...(opts.inReplyTo ? { inReplyTo: opts.inReplyTo, references: [opts.inReplyTo] } : {}),
    attachments: pdfs.map((p) => ({ filename: p.name, content: p.bytes })),
  });
}

/** A partner's answer to the desk's mail: Re: its subject, threaded to its Message-ID. */
function replyTo(desk: ReceivedMail, pdfs: Array<{ name: string; bytes: Uint8Array }>) {
  return partnerMail(CONTACT, `Re: ${desk.parsed.subject ?? ''}`, pdfs, { inReplyTo: desk.parsed.messageId ?? '' });
}

/** What pypdf (not the desk's reader) reads in each field: name -> value ('' when unset). */
function pypdfFields(pdf: Uint8Array): Record<string, string> {
  return inTempDir('ld-replies-', (dir) => {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    const script = [
      'import json, sys',
      'from pypdf import PdfReader',
      'fields = PdfReader(sys.argv[1]).get_fields() or {}',
      'print(json.dumps({k: ("" if v.get("/V") is None else str(v.get("/V"))) for k, v in fields.items()}))',
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pypdf could not read the attachment: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, string>;
  });
}

const pdfsOf = (m: ReceivedMail): Attachment[] =>
  m.parsed.attachments.filter((a) => a.contentType === 'application/pdf');
const attachment = (m: ReceivedMail, name: string): Uint8Array => {
  const a = pdfsOf(m).find((x) => x.filename === name);
  if (!a)
    throw new Error(
      `no attachment ${name}; has ${pdfsOf(m)
        .map((x) => x.filename)
        .join(', ')}`,
    );
  return new Uint8Array(a.content);
};

/** A desk mail is multipart/alternative: the text part and an HTML part of its own. */
function expectAlternative(m: ReceivedMail): void {
  expect(m.raw).toMatch(/Content-Type: multipart\/alternative/i);
  expect(m.parsed.text?.trim()).toBeTruthy();
  expect(typeof m.parsed.html === 'string' && m.parsed.html.includes('</html>')).toBe(true);
}

/** Nothing in an HTML part runs or loads anything: no script, no style sheet, no remote image or font. */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<link\b/i);
  expect(html).not.toMatch(/<style/i);
  expect(html).not.toMatch(/\b(src|background)\s*=\s*["']?(https?:)?\/\//i);
  expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
}

beforeAll(async () => {
  requireTool('pypdf');
  requireTool('pdftk');
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'replies',
      LICENSEDESK_WAREHOUSE_ADDRESS: WAREHOUSE_ADDRESS,
      LICENSEDESK_AUTHSERV_ID: AUTHSERV,
    },
  );
  const alt = altigenRegistry();
  const more = programsRegistry();
  const registry = {
    ...more,
    catalog: [...alt.catalog, ...more.catalog],
    partners: [...alt.partners, ...more.partners],
    endUsers: [...alt.endUsers, ...more.endUsers],
    systems: [...alt.systems, ...more.systems],
    licenses: [...alt.licenses, ...more.licenses],
    cases: [...alt.cases, ...more.cases],
  };
  const file = join(tmpdir(), `ld-replies-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(registry));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  expect(imp.code, imp.stderr).toBe(0);
  desk = startDesk(env);
}, 120_000);

afterAll(async () => {
  const code = await desk?.stop();
  expect(code).toBe(0);
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe("replies that do the partner's work", () => {
  it('DSK-6 DSK-5 an incomplete reply attaches the card form pre-filled with the case and the values that passed, never the card; filled by pdftk in the empty card fields only, it completes the case; ALT-9 the transferred reply numbers the next steps in both parts', async () => {
    // Case 200002: a good License Transfer Form and a card form whose card has expired (and a security code the reader drops).
    const lt = await fillForm(
      'license-transfer/v1',
      transferValues({ caseNumber: '200002', from: 'SYS-0003', to: 'SYS-0004', chassis: 'Max1000', keys: ['LK-0003'] }),
    );
    const expired = await addTextField(
      await fillForm('card-authorization/v1', {
        form_id: 'card-authorization/v1',
        case_number: '200002',
        cardholder_name: 'Pat Partner',
        card_number: '4111 1111 1111 1111',
        card_expiry: '01/20',
        billing_postcode: '94016',
        max_amount: '2000.00',
        currency: 'USD',
        signer_name: 'Pat Partner',
        signed_on: TODAY,
      }),
      'cvv',
      SECURITY_CODE,
    );
    await dovecot.append(
      USER,
      await partnerMail(CONTACT, 'Case 200002 transfer', [
        { name: 'transfer.pdf', bytes: lt },
        { name: 'card.pdf', bytes: expired },
      ]),
    );
    const waiting = await caseInState('200002', ['waiting-partner', 'transferred', 'rejected', 'held']);
    expect(waiting.state, JSON.stringify(waiting.findings)).toBe('waiting-partner');

    const reply = await mailFor('200002', 'incomplete');
    expectAlternative(reply);
    expect(pdfsOf(reply).map((a) => a.filename)).toEqual(['credit-card-authorization-200002.pdf']);
    const card = pypdfFields(attachment(reply, 'credit-card-authorization-200002.pdf'));
    expect(card).toMatchObject({
      form_id: 'card-authorization/v1',
      case_number: '200002',
      max_amount: '2000.00',
      currency: 'USD',
      signer_name: 'Pat Partner',
      signed_on: TODAY,
      // Card data is never filled in, not even the parts that passed.
      card_number: '',
      card_expiry: '',
      cardholder_name: '',
      billing_postcode: '',
    });
    // The mail says which fields are the partner's to fill, in both parts.
    expect(reply.parsed.text).toContain('credit-card-authorization-200002.pdf');
    expect(reply.parsed.text).toMatch(/Card details are never filled in by us: .*card_number/);
    expect(reply.parsed.text).toMatch(/\(DSK-5\)/);
    expect(String(reply.parsed.html)).toContain('credit-card-authorization-200002.pdf');
    expect(String(reply.parsed.html)).toMatch(/>DSK-5<\/span>/);

    // The partner fills only the empty card fields with pdftk and answers the desk's mail.
    const completed = fillWithPdftk(attachment(reply, 'credit-card-authorization-200002.pdf'), {
      cardholder_name: 'Pat Partner',
      card_number: '4111 1111 1111 1111',
      card_expiry: '12/39',
      billing_postcode: '94016',
    });
    await dovecot.append(
      USER,
      await replyTo(reply, [{ name: 'credit-card-authorization-200002.pdf', bytes: completed }]),
    );
    const done = await caseInState('200002', ['transferred', 'rejected', 'held']);
    expect(done.state, JSON.stringify(done.findings.filter((f) => f.outcome !== 'pass'))).toBe('transferred');

    const moved = await mailFor('200002', 'transferred');
    expectAlternative(moved);
    expect(moved.parsed.text).toMatch(/1\. \(ALT-9\) Register the OLD system SYS-0003 first/);
    expect(moved.parsed.text).toMatch(/2\. Then register the NEW system SYS-0004/);
    const html = String(moved.parsed.html);
    const steps = /<ol[^>]*>([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
    expect(steps.match(/<li/g)?.length).toBe(2);
    expect(steps).toMatch(
      /ALT-9<\/span> Register the OLD system SYS-0003[\s\S]*<li[^>]*>Then register the NEW system SYS-0004/,
    );
  }, 180_000);

  it('DSK-6 a field that failed is left empty and named; the License Transfer Form comes back filled from the case and the registry; completed with pypdf, both forms move the case', async () => {
    // Case 200001: the end user's name is left out (the desk knows it), the signing date is no date, no card form.
    const values = {
      ...transferValues({
        caseNumber: '200001',
        from: 'SYS-0001',
        to: 'SYS-0002',
        chassis: 'Max2000',
        keys: ['LK-0001', 'LK-0002'],
      }),
      end_user_name: '',
      signed_on: '2026-13-45',
    };
    await dovecot.append(
      USER,
      await partnerMail(CONTACT, '[Case 200001] transfer', [
        { name: 'transfer.pdf', bytes: await fillForm('license-transfer/v1', values) },
      ]),
    );
    await caseInState('200001', ['waiting-partner', 'transferred', 'rejected', 'held']);
    const reply = await mailFor('200001', 'incomplete');
    expectAlternative(reply);
    expect(
      pdfsOf(reply)
        .map((a) => a.filename)
        .sort(),
    ).toEqual(['credit-card-authorization-200001.pdf', 'license-transfer-form-200001.pdf']);

    const ltf = pypdfFields(attachment(reply, 'license-transfer-form-200001.pdf'));
    expect(ltf).toMatchObject({
      form_id: 'license-transfer/v1',
      case_number: '200001',
      partner_id: 'P-100',
      partner_name: 'Acme Telecom',
      contact_email: CONTACT,
      end_user_id: 'EU-1',
      end_user_name: 'Globex',
      from_system_key: 'SYS-0001',
      to_system_key: 'SYS-0002',
      to_chassis_model: 'Max2000',
      signer_name: 'Pat Partner',
      signed_on: '',
    });
    expect(ltf.license_keys?.split(/\r?\n/)).toEqual(['LK-0001', 'LK-0002']);
    const card = pypdfFields(attachment(reply, 'credit-card-authorization-200001.pdf'));
    expect(card).toMatchObject({ case_number: '200001', signer_name: 'Pat Partner', card_number: '', card_expiry: '' });
    expect(reply.parsed.text).toMatch(
      /license-transfer-form-200001\.pdf[^\n]*\n\s+Left empty because what was sent could not be used: signed_on/,
    );
    expect(String(reply.parsed.html)).toMatch(
      /Left empty because what was sent could not be used: <code[^>]*>signed_on<\/code>/,
    );

    // The partner's script (pypdf) fills what is empty, nothing else.
    const lt2 = fillWithPypdf(attachment(reply, 'license-transfer-form-200001.pdf'), { signed_on: TODAY });
    const cc2 = fillWithPypdf(attachment(reply, 'credit-card-authorization-200001.pdf'), {
      cardholder_name: 'Pat Partner',
      card_number: '4111 1111 1111 1111',
      card_expiry: '12/39',
      billing_postcode: '94016',
      max_amount: '2000.00',
      currency: 'USD',
      signed_on: TODAY,
    });
    await dovecot.append(
      USER,
      await replyTo(reply, [
        { name: 'license-transfer-form-200001.pdf', bytes: lt2 },
        { name: 'credit-card-authorization-200001.pdf', bytes: cc2 },
      ]),
    );
    const done = await caseInState('200001', ['transferred', 'rejected', 'held']);
    expect(done.state, JSON.stringify(done.findings.filter((f) => f.outcome !== 'pass'))).toBe('transferred');
  }, 180_000);

  it('DSK-1 resend-instructions to a known, authenticated partner contact carries the blank forms of its programs; a stranger gets none, and an unauthenticated From no answer at all', async () => {
    await dovecot.append(
      USER,
      await partnerMail(CONTACT, 'Licenses please (forged)', [], {
        headers: { 'Authentication-Results': `${AUTHSERV}; dmarc=fail header.from=acme.example` },
      }),
    );
    await dovecot.append(USER, await partnerMail(CONTACT, 'Licenses please', []));
    await dovecot.append(USER, await partnerMail('someone@stranger.example', 'Licenses please', []));
    // The answer never repeats the partner's subject, so it is told apart by its recipient.
    const resend = (to: string) =>
      smtp.waitFor(
        (m) => mailKind(m) === 'resend-instructions' && m.envelopeTo.includes(to),
        30_000,
        `resend-instructions to ${to}`,
      );
    const known = await resend(CONTACT);
    expect(known.parsed.text).not.toContain('Licenses please');
    expectAlternative(known);
    expect(
      pdfsOf(known)
        .map((a) => a.filename)
        .sort(),
    ).toEqual([
      'credit-card-authorization.pdf',
      'license-transfer-form.pdf',
      'software-only-solution-license-migration-worksheet.pdf',
    ]);
    const blank = pypdfFields(attachment(known, 'license-transfer-form.pdf'));
    expect(blank.form_id).toBe('license-transfer/v1');
    expect(Object.entries(blank).filter(([k, v]) => k !== 'form_id' && v !== '' && v !== '/Off')).toEqual([]);
    expect(known.parsed.text).toContain('license-transfer-form.pdf');
    const stranger = await resend('someone@stranger.example');
    expect(pdfsOf(stranger)).toEqual([]);
    // The forged mail is recorded as not answered, and nothing went to its From.
    await waitFor(
      async () =>
        (await cliJsonLines<{ reason?: string }>(['audit'], env)).some((e) =>
          (e.reason ?? '').includes('not answered'),
        ),
      30_000,
      'the forged mail recorded, unanswered',
    );
    expect(
      smtp.messages().filter((m) => mailKind(m) === 'resend-instructions' && m.envelopeTo.includes(CONTACT)),
    ).toHaveLength(1);
  }, 120_000);

  it("SWP-6 SWP-3 a SWAP's transferred reply numbers the next steps with the key-return address and deadline, in the text and the HTML part", async () => {
    const swap = await swapForm('400001', 'FK-1001-2002', 'FK-3003-4004', 'physical');
    await dovecot.append(
      USER,
      await partnerMail(SWAP_CONTACT, 'SWAP Case 400001', [{ name: 'swap.pdf', bytes: swap }]),
    );
    const c = await caseInState('400001', ['follow-up', 'closed', 'rejected', 'held', 'waiting-partner']);
    expect(c.state, JSON.stringify(c.findings)).toBe('follow-up');
    const shown = await cliJson<CaseJson>(['case', 'show', '400001', '--json'], env);
    const due = shown.keyFollowUps?.[0]?.dueAt ?? '';
    const dueText = `${due.slice(0, 10)} ${due.slice(11, 16)} UTC`;
    const m = await mailFor('400001', 'transferred');
    expectAlternative(m);
    const text = m.parsed.text ?? '';
    expect(text).toContain(
      `1. (SWP-6) Return the physical FROM feature key within 7 days to returns@warehouse.test: FK-1001-2002 by ${dueText}.`,
    );
    expect(text).toMatch(/2\. \(SWP-3\) Use the TO feature key \/ system ID FK-3003-4004/);
    const html = String(m.parsed.html);
    const steps = /<ol[^>]*>([\s\S]*)<\/ol>/.exec(html)?.[1] ?? '';
    expect(steps).toMatch(
      /<li[^>]*><span class="rule"[^>]*>SWP-6<\/span> Return the physical FROM feature key within 7 days to returns@warehouse\.test: FK-1001-2002 by /,
    );
    expect(steps).toContain(`FK-1001-2002 by ${dueText}`);
    expect(steps).toMatch(/SWP-3[\s\S]*FK-3003-4004/);
  }, 120_000);

  it('DSK-6 the HTML part reads at 375 px and 1280 px in chromium, loading nothing from anywhere; screenshots under docs/', async () => {
    const incomplete = await mailFor('200001', 'incomplete');
    const swap = await mailFor('400001', 'transferred');
    const held = smtp.messages().filter((m) => mailKind(m).startsWith('rep-'));
    for (const m of [incomplete, swap, ...held]) expectSelfContained(String(m.parsed.html));

    const docs = join(REPO, 'docs');
    mkdirSync(docs, { recursive: true });
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      for (const [name, m] of [
        ['mail-incomplete', incomplete],
        ['mail-transferred-swap', swap],
      ] as const) {
        for (const width of [375, 1280]) {
          const page = await browser.newPage({ viewport: { width, height: 800 } });
          const requests: string[] = [];
          await page.route('**/*', (route) => {
            requests.push(route.request().url());
            return route.abort();
          });
          await page.setContent(String(m.parsed.html), { waitUntil: 'load' });
          expect(requests, `${name} at ${width}px loaded something`).toEqual([]);
          // Nothing wider than the phone: no sideways scrolling.
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          expect(overflow, `${name} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
          const visible = await page.evaluate(() => document.body.innerText);
          expect(visible).toMatch(
            name === 'mail-incomplete'
              ? /DSK-6[\s\S]*license-transfer-form-200001\.pdf/
              : /SWP-6[\s\S]*returns@warehouse\.test/,
          );
          await page.screenshot({ path: join(docs, `${name}-${width}.png`), fullPage: true });
          await page.close();
        }
      }
    } finally {
      await browser?.close();
    }
  }, 120_000);

  it('DSK-5 no part and no attachment of any mail the desk sent holds a card number or a security code', async () => {
    const needles: Needle[] = [
      ...cardSpellings(CARD).map((text) => ({ label: 'card number', text })),
      { label: 'security code', re: new RegExp(`(?<![0-9A-Za-z])${SECURITY_CODE}(?![0-9A-Za-z])`) },
    ];
    const all = smtp.messages();
    expect(all.filter((m) => pdfsOf(m).length > 0).length).toBeGreaterThanOrEqual(3);
    const hits = all.flatMap((m, i) => [
      ...findNeedles(`mail ${i} text`, `${m.parsed.subject ?? ''}\n${m.parsed.text ?? ''}`, needles),
      ...findNeedles(`mail ${i} html`, String(m.parsed.html ?? ''), needles),
      ...pdfsOf(m).flatMap((a) => [
        ...findNeedles(
          `mail ${i} ${a.filename ?? ''} fields`,
          JSON.stringify(pypdfFields(new Uint8Array(a.content))),
          needles,
        ),
        ...findNeedles(
          `mail ${i} ${a.filename ?? ''} bytes`,
          a.content.toString('latin1'),
          needles.filter((n) => n.text),
        ),
      ]),
    ]);
    expect(hits).toEqual([]);
  }, 120_000);

  it('DSK-5 the notify jobs in Redis name the forms to attach and never hold a PDF: the worker makes them as it sends', async () => {
    const r = new Redis(redis.url);
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await r.scan(cursor, 'MATCH', '{replies}:notify:*', 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      const jobs: Array<{ key: string; data: string }> = [];
      for (const key of keys) {
        if ((await r.type(key)) !== 'hash') continue;
        const data = await r.hget(key, 'data');
        if (data) jobs.push({ key, data });
      }
      const incomplete = jobs.filter((j) => j.data.includes('"kind":"incomplete"') || j.data.includes('replyForms'));
      expect(incomplete.length).toBeGreaterThanOrEqual(2);
      expect(incomplete.some((j) => j.data.includes('"formId":"card-authorization/v1"'))).toBe(true);
      for (const j of jobs) {
        expect(j.data, j.key).not.toMatch(/%PDF|JVBERi0/); // a PDF, raw or base64
        expect(j.data.length, j.key).toBeLessThan(20_000);
      }
    } finally {
      r.disconnect();
    }
  });

  it("DSK-6 the demo's incomplete case 100002 reply has the card form attached with case 100002 filled in", async () => {
    const r = await runCli(['demo', '--no-keep-running'], { LOG_LEVEL: 'warn', LICENSEDESK_HTTP_PORT: '0' }, 240_000);
    expect(r.code, r.stderr).toBe(0);
    const dir = /saved as \.eml in (\S+?)\)?:/.exec(r.stdout)?.[1];
    expect(dir, r.stdout).toBeTruthy();
    const file = readdirSync(dir!).find((f) => f.endsWith('-incomplete.eml'));
    expect(file, readdirSync(dir!).join(', ')).toBeTruthy();
    const parsed = await simpleParser(readFileSync(join(dir!, file!)));
    expect(String(parsed.headers.get('x-licensedesk-case'))).toBe('100002');
    const card = parsed.attachments.find((a) => a.filename === 'credit-card-authorization-100002.pdf');
    expect(card, parsed.attachments.map((a) => a.filename).join(', ')).toBeTruthy();
    expect(pypdfFields(new Uint8Array(card!.content))).toMatchObject({
      form_id: 'card-authorization/v1',
      case_number: '100002',
      card_number: '',
    });
    expect(parsed.html).toBeTruthy();
  }, 300_000);
});
