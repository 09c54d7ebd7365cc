/**
 * Intake that nothing can break or fool: forged senders, huge mail, forwarded
 * and Outlook-wrapped forms, bounces, loops, corrupt PDFs, redelivery, and a
 * rep's release from quarantine. Real Redis, Dovecot and SMTP; the desk as
 * `licensedesk start`.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFHexString, PDFName, type PDFRef } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendUnreferencedObject,
  encryptWithQpdf,
  lowLevel,
  makeWithLibreOffice,
  requireTool,
  saveClassic,
} from '../fixtures/forms/tools.js';
import { flattenedForeignForm, formWithBlankPages, parserBomb, xfaOnlyPdf } from '../fixtures/forms/bad-pdfs.js';
import {
  altigenRegistry,
  CARD,
  cardForm,
  cardValues,
  CONTACT,
  partnerMail,
  transferForm,
  transferValues,
} from '../support/altigen-fixture.js';
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
import { waitFor } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { deskEnv } from '../support/desk-env.js';

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let authDesk: DeskProcess;
let env: Record<string, string>;
let authEnv: Record<string, string>;
const USER = 'desk-intake';
const AUTH_USER = 'desk-auth';
const kind = mailKind;
const caseOf = mailCase;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const caseState = (e: Record<string, string>, n: string, states: string[]) =>
  waitForCaseState<{ state: string; findings: Array<{ rule: string; outcome: string }> }>(e, n, states);

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  const common = deskEnv(
    { redisUrl: redis.url, smtpUrl: smtp.url },
    { LICENSEDESK_SALES_ADDRESS: undefined, LICENSEDESK_REPLY_LIMIT_PER_HOUR: '3' },
  );
  env = { ...common, LICENSEDESK_PREFIX: 'intake', LICENSEDESK_IMAP_URL: dovecot.imapUrl(USER) };
  authEnv = {
    ...common,
    LICENSEDESK_PREFIX: 'authd',
    LICENSEDESK_IMAP_URL: dovecot.imapUrl(AUTH_USER),
    LICENSEDESK_AUTHSERV_ID: 'mx.desk.test',
  };
  const file = join(tmpdir(), `ld-intake-${process.pid}.json`);
  const registry = altigenRegistry();
  registry.cases.push(
    {
      number: '200008',
      partnerId: 'P-100',
      systemKey: 'SYS-0002',
      program: 'altigen',
      openedAt: new Date().toISOString(),
    },
    {
      number: '200009',
      partnerId: 'P-100',
      systemKey: 'SYS-0004',
      program: 'altigen',
      openedAt: new Date().toISOString(),
    },
    {
      number: '200010',
      partnerId: 'P-100',
      systemKey: 'SYS-0004',
      program: 'altigen',
      openedAt: new Date().toISOString(),
    },
  );
  writeFileSync(file, JSON.stringify(registry));
  for (const e of [env, authEnv]) expect((await runCli(['registry', 'import', file], e)).code).toBe(0);
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  desk = startDesk(env);
  authDesk = startDesk(authEnv);
});

afterAll(async () => {
  await Promise.all([desk?.stop(), authDesk?.stop()]);
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('sender identity (DSK-3)', () => {
  const authMail = async (n: string, results: string[], messageId: string) => {
    const lt = await transferForm({
      caseNumber: n,
      from: 'SYS-0003',
      to: n === '200002' ? 'SYS-0004' : 'SYS-0002',
      chassis: n === '200002' ? 'Max1000' : 'Max2000',
      keys: [n === '200002' ? 'LK-0003' : 'LK-0004'],
    });
    const headers: Record<string, string> = {};
    // MailComposer writes one header a key: the topmost result first, extra ones folded into a second name.
    results.forEach((r, i) => {
      headers[i === 0 ? 'Authentication-Results' : `Authentication-Results${' '.repeat(i)}`] = r;
    });
    return partnerMail(
      `Case ${n}`,
      [
        { name: 't.pdf', bytes: lt },
        { name: 'c.pdf', bytes: await cardForm(n) },
      ],
      { messageId, headers },
    );
  };

  it('DSK-3 quarantines a From that the trusted mail host did not authenticate, and writes nothing to the forged address', async () => {
    await dovecot.append(
      AUTH_USER,
      await authMail(
        '200002',
        ['mx.desk.test; dmarc=fail (p=reject) header.from=acme.example; spf=fail smtp.mailfrom=evil.example'],
        '<forged-auth@evil.example>',
      ),
    );
    await waitFor(
      async () =>
        (await cliJson<Array<{ reason?: string }>>(['quarantine', 'list'], authEnv)).some((q) =>
          /not authenticated/.test(q.reason ?? ''),
        ),
      20_000,
      'quarantine record',
    );
    const q = await cliJson<Array<{ reason?: string; messageId?: string }>>(['quarantine', 'list'], authEnv);
    expect(q.find((x) => x.messageId === '<forged-auth@evil.example>')?.reason).toMatch(/dmarc=fail/);
    await smtp.waitFor(
      (m) => kind(m) === 'rep-quarantine' && (m.parsed.text ?? '').includes('forged-auth'),
      15_000,
      'rep-quarantine',
    );
    expect(smtp.messages().filter((m) => m.parsed.inReplyTo === '<forged-auth@evil.example>')).toEqual([]);
    // The case was not touched: still opened and waiting for its first mail.
    expect(
      await cliJson<{ state: string; messages: unknown[] }>(['case', 'show', '200002', '--json'], authEnv),
    ).toMatchObject({
      state: 'new',
      messages: [],
    });
  });

  it('DSK-3 accepts an aligned DMARC pass from the trusted host', async () => {
    await dovecot.append(
      AUTH_USER,
      await authMail(
        '200006',
        ['mx.desk.test; dmarc=pass header.from=acme.example; spf=pass smtp.mailfrom=acme.example'],
        '<auth-ok@acme.example>',
      ),
    );
    const c = await caseState(authEnv, '200006', ['transferred', 'held', 'waiting-partner', 'rejected']);
    expect(c.state).toBe('transferred');
  });
});

describe('size and shape', () => {
  it('refuses a 50 MB message with a reply that states the limit, without reading it, and keeps a record for reps', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x41);
    const raw = await buildPartnerMail({
      from: CONTACT,
      to: 'desk@desk.test',
      subject: 'Case 200001 scans',
      text: 'Scans attached',
      messageId: '<big@acme.example>',
      attachments: [{ filename: 'scan.pdf', content: big }],
    });
    await dovecot.append(USER, raw);
    const reply = await smtp.waitFor(
      (m) => kind(m) === 'too-large' && m.parsed.inReplyTo === '<big@acme.example>',
      60_000,
      'too-large reply',
    );
    expect(reply.envelopeTo).toEqual([CONTACT]);
    expect(reply.parsed.text).toContain('25.0 MB');
    const q = await cliJson<Array<{ messageId?: string; reason?: string }>>(['quarantine', 'list'], env);
    expect(q.find((x) => x.messageId === '<big@acme.example>')?.reason).toMatch(/too large/);
    expect((await dovecot.list(USER, 'Quarantine')).map((m) => m.messageId)).toContain('<big@acme.example>');
  });

  it('DSK-6 reads forms inside a forwarded message and moves the case', async () => {
    const lt = await transferForm({
      caseNumber: '200004',
      from: 'SYS-0001',
      to: 'SYS-0006',
      chassis: 'SoftwareOnly',
      keys: ['LK-0001'],
    });
    const inner = await buildPartnerMail({
      from: 'colleague@acme.example',
      to: CONTACT,
      subject: 'forms',
      text: 'here',
      attachments: [
        { filename: 't.pdf', content: lt },
        { filename: 'c.pdf', content: await cardForm('200004') },
      ],
    });
    const raw = await buildPartnerMail({
      from: CONTACT,
      to: 'desk@desk.test',
      subject: 'Fwd: Case 200004',
      text: 'Forwarding the forms',
      attachments: [{ filename: 'forms.eml', content: inner, contentType: 'message/rfc822' }],
    });
    await dovecot.append(USER, raw);
    const c = await caseState(env, '200004', ['transferred', 'waiting-partner', 'rejected', 'held']);
    expect(c.findings.filter((f) => f.rule === 'ALT-6' && f.outcome === 'fail')).toEqual([]);
  });

  it('DSK-6 answers a winmail.dat with how to send the forms instead', async () => {
    const raw = await buildPartnerMail({
      from: CONTACT,
      to: 'desk@desk.test',
      subject: 'Case 200005',
      text: 'Forms',
      messageId: '<tnef@acme.example>',
      attachments: [
        { filename: 'winmail.dat', content: Buffer.from('x\u0000\u0001TNEF'), contentType: 'application/ms-tnef' },
      ],
    });
    await dovecot.append(USER, raw);
    const reply = await smtp.waitFor((m) => caseOf(m) === '200005' && kind(m) === 'incomplete', 20_000, 'incomplete');
    expect(reply.parsed.text).toMatch(/plain attachments/);
    expect(reply.parsed.text).toContain('winmail.dat');
  });

  it('DSK-6 names a corrupt PDF and what to send instead; no worker crashes', async () => {
    const raw = await partnerMail(
      'Case 200007',
      [{ name: 'broken.pdf', bytes: new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj <</Type /Catalog')) }],
      { messageId: '<corrupt@acme.example>' },
    );
    await dovecot.append(USER, raw);
    const reply = await smtp.waitFor((m) => caseOf(m) === '200007' && kind(m) === 'incomplete', 20_000, 'incomplete');
    expect(reply.parsed.text).toContain('broken.pdf');
    expect(reply.parsed.text).toContain('E_PDF_CORRUPT');
    expect(desk.proc.exitCode).toBeNull();
  });

  it('DSK-6 moves a case whose forms a partner made in LibreOffice Writer and exported as PDF forms (soffice)', async () => {
    requireTool('soffice');
    const [lt, card] = makeWithLibreOffice([
      {
        formId: 'license-transfer/v1',
        values: transferValues({
          caseNumber: '200008',
          from: 'SYS-0005',
          to: 'SYS-0002',
          chassis: 'Max2000',
          keys: ['LK-0005'],
        }),
      },
      { formId: 'card-authorization/v1', values: cardValues('200008') },
    ]);
    await dovecot.append(
      USER,
      await partnerMail(
        'Case 200008',
        [
          { name: 'transfer.pdf', bytes: lt! },
          { name: 'card.pdf', bytes: card! },
        ],
        { messageId: '<soffice@acme.example>' },
      ),
    );
    const c = await waitForCaseState<{ state: string; moves: Array<{ licenseKey: string; from: string; to: string }> }>(
      env,
      '200008',
      ['transferred', 'held', 'waiting-partner', 'rejected'],
    );
    expect(c.state).toBe('transferred');
    expect(c.moves).toEqual([expect.objectContaining({ licenseKey: 'LK-0005', from: 'SYS-0005', to: 'SYS-0002' })]);
    const done = await smtp.waitFor(
      (m) => caseOf(m) === '200008' && kind(m) === 'transferred',
      20_000,
      'transferred mail',
    );
    expect(done.envelopeTo).toEqual([CONTACT]);
    expect(done.parsed.text ?? '').not.toContain(CARD);
    // RFC 3834 and Outlook: the desk's own mail says it is automatic, so no auto-responder answers it.
    expect(String(done.parsed.headers.get('auto-submitted'))).toBe('auto-replied');
    expect(String(done.parsed.headers.get('x-auto-response-suppress'))).toBe('All');
    expect(String(done.parsed.headers.get('x-loop'))).toBe('desk@desk.test');
  });
});

describe('PDFs that cannot be read (DSK-6)', () => {
  it('DSK-6 answers one mail of unreadable PDFs with each file, its reason and what to send instead; reps see the same list; nothing moves; the owner-password form sent next is read and the case moves', async () => {
    requireTool('qpdf');
    const n = '200010';
    const move = { caseNumber: n, from: 'SYS-0005', to: 'SYS-0004', chassis: 'Max1000', keys: ['LK-0006'] };
    const lt = transferValues(move);
    const filled = await transferForm(move);
    const bad: Array<{ name: string; bytes: Uint8Array; code: RegExp }> = [
      // A desk form flattened is read from its text (DSK-9, paper-desk.test.ts); another's stays unreadable.
      { name: 'flattened.pdf', bytes: await flattenedForeignForm(), code: /E_PDF_FLATTENED/ },
      { name: 'locked.pdf', bytes: encryptWithQpdf(filled, 'user', 'owner'), code: /E_PDF_ENCRYPTED/ },
      { name: 'xfa.pdf', bytes: await xfaOnlyPdf(true), code: /E_PDF_XFA/ },
      { name: 'truncated.pdf', bytes: filled.subarray(0, Math.floor(filled.length * 0.6)), code: /E_PDF_CORRUPT/ },
      {
        name: 'download.pdf',
        bytes: new Uint8Array(Buffer.from('<!DOCTYPE html><html><body>Your download will start shortly</body></html>')),
        code: /E_PDF_CORRUPT/,
      },
      { name: 'pages.pdf', bytes: await formWithBlankPages('license-transfer/v1', lt, 499), code: /E_PDF_TOO_LARGE/ },
      { name: 'bomb.pdf', bytes: parserBomb(20_000_000), code: /E_PDF_TOO_LARGE|E_PDF_TIMEOUT/ },
    ];
    const registryBefore = (await runCli(['registry', 'export'], env)).stdout;
    await dovecot.append(
      USER,
      await partnerMail(`Case ${n}`, [...bad, { name: 'card.pdf', bytes: await cardForm(n) }], {
        messageId: '<badpdfs@acme.example>',
      }),
    );
    const reply = await smtp.waitFor(
      (m) => m.parsed.inReplyTo === '<badpdfs@acme.example>',
      60_000,
      'incomplete reply',
    );
    expect(kind(reply)).toBe('incomplete');
    expect(reply.envelopeTo).toEqual([CONTACT]);
    const text = reply.parsed.text ?? '';
    for (const b of bad) {
      const line = text.split('\n').find((l) => l.includes(`${b.name}:`)) ?? '';
      expect(line, `the reply names ${b.name}, why, and what to send instead`).toMatch(b.code);
      expect(line).toMatch(/Please/);
    }
    expect(text).not.toContain(CARD);
    const c = await cliJson<{ state: string; unreadable: Array<{ file: string; code: string }>; moves: unknown[] }>(
      ['case', 'show', n, '--json'],
      env,
    );
    expect(c.state).toBe('waiting-partner');
    for (const b of bad)
      expect(c.unreadable.find((u) => u.file === b.name)?.code, `reps see ${b.name}`).toMatch(b.code);
    expect(c.moves).toEqual([]);
    expect((await runCli(['registry', 'export'], env)).stdout).toBe(registryBefore);
    expect(desk.proc.exitCode).toBeNull();

    // The partner sends the form again, protected by an owner password only (no password to open it): it is read.
    await dovecot.append(
      USER,
      await partnerMail(
        `Re: Case ${n}`,
        [{ name: 'transfer-protected.pdf', bytes: encryptWithQpdf(filled, '', 'owner') }],
        { messageId: '<ownerpw@acme.example>' },
      ),
    );
    const moved = await caseState(env, n, ['transferred', 'held', 'rejected']);
    expect(moved.state).toBe('transferred');
  }, 120_000);
});

describe('loops and redelivery', () => {
  it('never answers automatic mail (RFC 3834), and answers one address at most the hourly limit', async () => {
    await dovecot.append(
      USER,
      await buildPartnerMail({
        from: 'robot@acme.example',
        to: 'desk@desk.test',
        subject: 'Out of office',
        text: 'away',
        messageId: '<ooo@acme.example>',
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
    );
    for (let i = 0; i < 5; i++) {
      await dovecot.append(
        USER,
        await buildPartnerMail({
          from: 'chatty@acme.example',
          to: 'desk@desk.test',
          subject: `hello ${i}`,
          text: 'no case',
          messageId: `<chatty${i}@acme.example>`,
        }),
      );
    }
    await waitFor(async () => (await dovecot.list(USER, 'INBOX')).length === 0, 20_000, 'inbox drained');
    await sleep(3000);
    expect(smtp.to('robot@acme.example')).toEqual([]);
    expect(smtp.to('chatty@acme.example')).toHaveLength(3);
  });

  it('DSK-4 does not process again a message that reappears under a new UID', async () => {
    const lt = await transferForm({
      caseNumber: '200003',
      from: 'SYS-0003',
      to: 'SYS-0101',
      chassis: 'Max1000',
      keys: ['LK-0007'],
    });
    const raw = await partnerMail(
      'Case 200003',
      [
        { name: 't.pdf', bytes: lt },
        { name: 'c.pdf', bytes: await cardForm('200003') },
      ],
      { messageId: '<again@acme.example>' },
    );
    await dovecot.append(USER, raw);
    await caseState(env, '200003', ['rejected']);
    await smtp.waitFor((m) => caseOf(m) === '200003' && kind(m) === 'rejected', 15_000, 'rejected');
    // The same message back in the INBOX (a restore, a UIDVALIDITY reset): new UID, same Message-ID.
    await dovecot.append(USER, raw);
    await waitFor(async () => (await dovecot.list(USER, 'INBOX')).length === 0, 20_000, 'inbox drained');
    await sleep(2000);
    expect(smtp.messages().filter((m) => caseOf(m) === '200003' && kind(m) === 'rejected')).toHaveLength(1);
  });

  it('DSK-4 after a UIDVALIDITY change, a new message whose UID the desk saw before is taken, and an old one back in the INBOX is not taken again', async () => {
    const status = () =>
      dovecot.withClient(USER, async (c) => {
        const st = await c.status('INBOX', { uidValidity: true, uidNext: true });
        if (!st) throw new Error('IMAP STATUS INBOX failed');
        return st;
      });
    const before = await status();
    expect(before.uidNext).toBeGreaterThan(2); // UIDs 1 and 2 were taken under the old UIDVALIDITY
    const old = smtp.messages().find((m) => caseOf(m) === '200003' && kind(m) === 'rejected')!;
    expect(old).toBeDefined();
    await desk.stop();
    // What a restore or a rebuilt mail store does: the server forgets its UID list and starts over under a new UIDVALIDITY.
    const maildir = join(dovecot.dir, 'home', USER, 'Maildir');
    for (const f of readdirSync(maildir))
      if (f === 'dovecot-uidlist' || f.startsWith('dovecot.index')) rmSync(join(maildir, f), { force: true });
    const lt = await transferForm({
      caseNumber: '200003',
      from: 'SYS-0003',
      to: 'SYS-0101',
      chassis: 'Max1000',
      keys: ['LK-0007'],
    });
    const again = await partnerMail(
      'Case 200003',
      [
        { name: 't.pdf', bytes: lt },
        { name: 'c.pdf', bytes: await cardForm('200003') },
      ],
      { messageId: '<again@acme.example>' },
    );
    await dovecot.append(USER, again);
    await dovecot.append(USER, await partnerMail('Case 200009', [], { messageId: '<after-reset@acme.example>' }));
    const after = await status();
    expect(after.uidValidity).not.toBe(before.uidValidity);
    expect((await dovecot.list(USER, 'INBOX')).map((m) => m.uid)).toEqual([1, 2]);
    desk = startDesk(env);
    const answer = await smtp.waitFor(
      (m) => m.parsed.inReplyTo === '<after-reset@acme.example>',
      30_000,
      'answer to the new message',
    );
    expect(caseOf(answer)).toBe('200009');
    await waitFor(async () => (await dovecot.list(USER, 'INBOX')).length === 0, 20_000, 'inbox drained');
    await sleep(2000);
    expect(smtp.messages().filter((m) => caseOf(m) === '200003' && kind(m) === 'rejected')).toHaveLength(1);
  });

  it("DSK-7 tells reps of a bounce of the desk's own mail and attaches it to its case", async () => {
    const sent = smtp.messages().find((m) => caseOf(m) === '200003' && kind(m) === 'rejected')!;
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.acme.example>',
      'To: desk@desk.test',
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn1@mx.acme.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain',
      '',
      'Delivery failed.',
      '',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.acme.example',
      '',
      'Final-Recipient: rfc822; ops@acme.example',
      'Action: failed',
      'Status: 5.1.1',
      '',
      '--B',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${sent.parsed.messageId}`,
      `Subject: ${sent.parsed.subject}`,
      '',
      '--B--',
      '',
    ].join('\r\n');
    await dovecot.append(USER, dsn);
    const rep = await smtp.waitFor(
      (m) => kind(m) === 'rep-quarantine' && caseOf(m) === '200003',
      20_000,
      'rep notice of the bounce',
    );
    expect(rep.parsed.text).toMatch(/hard bounce/);
    expect(smtp.to('MAILER-DAEMON@mx.acme.example')).toEqual([]);
  });
});

describe('PDF revisions', () => {
  it('DSK-6 holds for a rep a form whose appended, unreferenced revision changes what the reader sees but not what the partner saw', async () => {
    // The partner saw SYS-9999; an object appended outside the xref makes a front-to-back reader see SYS-0004.
    const shown = await transferForm({
      caseNumber: '200002',
      from: 'SYS-0003',
      to: 'SYS-9999',
      chassis: 'Max1000',
      keys: ['LK-0007'],
    });
    const base = await lowLevel(await saveClassic((await lowLevel(shown)).doc));
    const { ref, dict } = base.field('to_system_key');
    const revised = dict.clone();
    revised.set(PDFName.of('V'), PDFHexString.fromText('SYS-0004'));
    const root = base.doc.context.trailerInfo.Root as PDFRef;
    const crafted = appendUnreferencedObject(
      await saveClassic(base.doc),
      ref,
      revised,
      base.doc.context.largestObjectNumber + 1,
      root,
    );
    await dovecot.append(
      USER,
      await partnerMail('Case 200002', [
        { name: 'two-faced.pdf', bytes: crafted },
        { name: 'c.pdf', bytes: await cardForm('200002') },
      ]),
    );
    const c = await caseState(env, '200002', ['held', 'transferred', 'rejected', 'waiting-partner']);
    expect(c.state).toBe('held');
    expect(c.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'DSK-6', outcome: 'hold' })]));
    const exported = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as {
      licenses: Array<{ key: string; systemKey: string }>;
    };
    expect(exported.licenses.find((l) => l.key === 'LK-0007')?.systemKey).toBe('SYS-0003');
  });
});

describe('threading', () => {
  it("DSK-6 files a reply whose subject was edited under its case, through the desk's signed Message-ID; a forged one is not believed", async () => {
    const ask = smtp.messages().find((m) => caseOf(m) === '200005' && kind(m) === 'incomplete')!;
    expect(ask.parsed.messageId).toMatch(/^<ld\./);
    const lt = await transferForm({
      caseNumber: '200005',
      from: 'SYS-0003',
      to: 'SYS-0004',
      chassis: 'Max1000',
      keys: ['LK-0003'],
    });
    const reply = await buildPartnerMail({
      from: CONTACT,
      to: 'desk@desk.test',
      subject: 'the forms you asked for',
      text: 'attached',
      messageId: '<threaded@acme.example>',
      inReplyTo: ask.parsed.messageId,
      references: [ask.parsed.messageId!],
      attachments: [
        { filename: 't.pdf', content: lt },
        { filename: 'c.pdf', content: await cardForm('200005') },
      ],
    });
    await dovecot.append(USER, reply);
    const c = await caseState(env, '200005', ['transferred', 'held', 'rejected']);
    expect(c.state).toBe('transferred');

    const forged = ask.parsed.messageId!.replace(/\.[A-Za-z0-9_-]{12}@/, '.AAAAAAAAAAAA@');
    // (From another address: the bounce test above hard-bounced the partner's, which is rightly not mailed now.)
    await dovecot.append(
      USER,
      await buildPartnerMail({
        from: 'second@acme.example',
        to: 'desk@desk.test',
        subject: 'no number here',
        text: 'x',
        messageId: '<forged-thread@acme.example>',
        inReplyTo: forged,
      }),
    );
    const answer = await smtp.waitFor(
      (m) => kind(m) === 'resend-instructions' && m.parsed.inReplyTo === '<forged-thread@acme.example>',
      15_000,
      'resend-instructions',
    );
    expect(answer.envelopeTo).toEqual(['second@acme.example']);
  });
});

describe('quarantine release', () => {
  it('DSK-3 a rep releases a quarantined message and it is processed', async () => {
    const lt = await transferForm({
      caseNumber: '200006',
      from: 'SYS-0003',
      to: 'SYS-0002',
      chassis: 'Max2000',
      keys: ['LK-0004'],
    });
    await dovecot.append(
      USER,
      await partnerMail(
        'Case 200006',
        [
          { name: 't.pdf', bytes: lt },
          { name: 'c.pdf', bytes: await cardForm('200006') },
        ],
        { from: 'new.colleague@acme.example', messageId: '<newbie@acme.example>' },
      ),
    );
    let id = '';
    await waitFor(
      async () => {
        const q = await cliJson<Array<{ id: string; messageId?: string }>>(['quarantine', 'list'], env);
        id = q.find((x) => x.messageId === '<newbie@acme.example>')?.id ?? '';
        return id !== '';
      },
      20_000,
      'quarantined',
    );
    // The mail itself is in the Quarantine folder, where a person looking at the mailbox sees it.
    await waitFor(
      async () => (await dovecot.list(USER, 'Quarantine')).some((m) => m.messageId === '<newbie@acme.example>'),
      20_000,
      'mail in the Quarantine folder',
    );
    const r = await runCli(['quarantine', 'release', id, '--by', 'rep@desk.test'], env);
    expect(r.code, r.stderr).toBe(0);
    const c = await caseState(env, '200006', ['transferred', 'held', 'waiting-partner', 'rejected']);
    expect(c.state).toBe('transferred');
    expect((await runCli(['quarantine', 'release', id, '--by', 'rep@desk.test'], env)).stderr).toContain(
      'E_MESSAGE_NOT_QUARANTINED',
    );
  });
});
