/**
 * What a stranger can mail the desk, and what it must not achieve: forged
 * delivery reports that would silence reps and sales, floods of strangers
 * that would flood the reps (and Redis), answers to forged senders
 * (backscatter), robots answering robots, and a `too-large` reply that does
 * not say which mail it refuses. Real redis-server, Dovecot and SMTP; two
 * desks as `licensedesk start`: one that checks addresses only, one that
 * trusts the Authentication-Results of `mx.desk.test`.
 */
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { altigenRegistry, cardForm, CONTACT, partnerMail, transferForm } from '../support/altigen-fixture.js';
import { cliJson, cliJsonLines, runCli, startDesk, type DeskProcess, mailKind } from '../support/desk-process.js';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { buildPartnerMail, tinyPdf } from '../../embedded/mail-builder.js';
import { waitFor } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../embedded/smtp-sink.js';
import { deskEnv } from '../support/desk-env.js';

const REPS = 'reps@desk.test';
const SALES = 'sales@desk.test';
const USER = 'desk-hostile';
const AUTH_USER = 'desk-hostile-auth';
const LIMIT = 1_048_576;
const FLOOD = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let authDesk: DeskProcess;
let env: Record<string, string>;
let authEnv: Record<string, string>;

interface AuditEntry {
  action: string;
  reason?: string;
  case?: string;
}
const audit = (e: Record<string, string>) => cliJsonLines<AuditEntry>(['audit'], e);
/** Waits until the desk recorded an outcome for the message matching `re` (the audit trail is the record). */
async function outcome(e: Record<string, string>, re: RegExp, what: string, ms = 30_000): Promise<AuditEntry> {
  let found: AuditEntry | undefined;
  await waitFor(async () => (found = (await audit(e)).find((a) => re.test(a.reason ?? ''))) !== undefined, ms, what);
  return found!;
}
const repsMail = (kind: string) => smtp.to(REPS).filter((m) => mailKind(m) === kind);
const text = (m: ReceivedMail) => m.parsed.text ?? '';

function dsn(opts: { id: string; quoting?: string; recipients: string[]; from?: string }): string {
  return [
    `From: Mail Delivery System <${opts.from ?? 'MAILER-DAEMON@mx.evil.example'}>`,
    'To: desk@desk.test',
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: ${opts.id}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain',
    '',
    'Delivery failed for good.',
    '',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.evil.example',
    '',
    ...opts.recipients.flatMap((r) => [`Final-Recipient: rfc822; ${r}`, 'Action: failed', 'Status: 5.1.1', '']),
    '--B',
    'Content-Type: text/rfc822-headers',
    '',
    ...(opts.quoting ? [`Message-ID: ${opts.quoting}`] : []),
    'Subject: whatever',
    '',
    '--B--',
    '',
  ].join('\r\n');
}

const authHeader = (result: 'pass' | 'fail', domain: string) => ({
  'Authentication-Results': `mx.desk.test; dmarc=${result} header.from=${domain}; spf=${result} smtp.mailfrom=${domain}`,
});

async function redisSize(): Promise<{ keys: number; bytes: number }> {
  const r = new Redis(redis.url);
  try {
    const keys = await r.dbsize();
    const bytes = Number(/used_memory:(\d+)/.exec(await r.info('memory'))?.[1]);
    return { keys, bytes };
  } finally {
    r.disconnect();
  }
}

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  const common = deskEnv(
    { redisUrl: redis.url, smtpUrl: smtp.url },
    {
      LICENSEDESK_REPS_ADDRESS: REPS,
      LICENSEDESK_SALES_ADDRESS: SALES,
      LICENSEDESK_SECRET: 'hostile-secret-0123456789abcdef',
      LICENSEDESK_REPLY_LIMIT_PER_HOUR: '3',
      LICENSEDESK_MAX_MESSAGE_BYTES: String(LIMIT),
    },
  );
  env = { ...common, LICENSEDESK_PREFIX: 'hostile', LICENSEDESK_IMAP_URL: dovecot.imapUrl(USER) };
  authEnv = {
    ...common,
    LICENSEDESK_PREFIX: 'hostauth',
    LICENSEDESK_IMAP_URL: dovecot.imapUrl(AUTH_USER),
    LICENSEDESK_AUTHSERV_ID: 'mx.desk.test',
  };
  const file = join(tmpdir(), `ld-hostile-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(altigenRegistry()));
  for (const e of [env, authEnv]) {
    const r = await runCli(['registry', 'import', file], e);
    expect(r.code, r.stderr).toBe(0);
  }
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  desk = startDesk(env);
  authDesk = startDesk(authEnv);
}, 60_000);

afterAll(async () => {
  await Promise.all([desk?.stop(), authDesk?.stop()]);
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('forged bounces', () => {
  it('a delivery report that quotes no desk Message-ID, a forged one, or a real one but names reps and sales silences nobody: recorded, ignored, reps still mailed', async () => {
    // A real desk mail to quote: the resend-instructions answer to a mail without a case number.
    await dovecot.append(
      USER,
      await buildPartnerMail({
        from: 'asker@acme.example',
        to: 'desk@desk.test',
        subject: 'hello',
        text: 'which case?',
        messageId: '<asker@acme.example>',
      }),
    );
    // (The first mail of the run: the desks may still be starting on a loaded machine.)
    const real = await smtp.waitFor(
      (m) => mailKind(m) === 'resend-instructions' && m.parsed.inReplyTo === '<asker@acme.example>',
      60_000,
      'a real desk mail',
    );
    const forgedId = real.parsed.messageId!.replace(/\.[A-Za-z0-9_-]{12}@/, '.AAAAAAAAAAAA@');
    for (const [i, quoting] of [
      undefined,
      forgedId,
      '<ld.case.200001.rejected.1.abcdefghijkl@desk.test>',
      real.parsed.messageId,
    ].entries()) {
      await dovecot.append(
        USER,
        dsn({ id: `<forged-dsn-${i}@mx.evil.example>`, ...(quoting ? { quoting } : {}), recipients: [REPS, SALES] }),
      );
    }
    await waitFor(
      async () => (await audit(env)).filter((a) => a.action === 'bounce-ignored').length >= 4,
      30_000,
      'four forged bounces recorded',
    );
    const ignored = (await audit(env)).filter((a) => a.action === 'bounce-ignored').map((a) => a.reason ?? '');
    expect(ignored.some((r) => /quotes no Message-ID/.test(r))).toBe(true);
    expect(ignored.filter((r) => /did not sign/.test(r))).toHaveLength(2);
    expect(ignored.some((r) => /none of whom desk mail msg\..*resend-instructions went to/.test(r))).toBe(true);
    expect((await audit(env)).filter((a) => a.action === 'bounce')).toEqual([]);

    // Reps are still mailed: a partner's new case reaches them.
    const lt = await transferForm({
      caseNumber: '200001',
      from: 'SYS-0003',
      to: 'SYS-0002',
      chassis: 'Max2000',
      keys: ['LK-0003'],
    });
    await dovecot.append(
      USER,
      await partnerMail(
        'Case 200001',
        [
          { name: 't.pdf', bytes: lt },
          { name: 'c.pdf', bytes: await cardForm('200001') },
        ],
        { messageId: '<after-dsn@acme.example>' },
      ),
    );
    const notice = await smtp.waitFor(
      (m) => mailKind(m) === 'rep-new-case' && m.envelopeTo.includes(REPS),
      30_000,
      'reps still mailed after forged bounces',
    );
    expect(notice.envelopeTo).toEqual([REPS]);
    // No rep was mailed about the forged reports: they are noise an attacker controls.
    expect(repsMail('rep-quarantine').filter((m) => /forged-dsn/.test(text(m)))).toEqual([]);
  }, 90_000);

  it("a genuine bounce of a desk mail suppresses only that mail's recipient, not the reps it also names", async () => {
    await dovecot.append(
      USER,
      await buildPartnerMail({
        from: 'gone@acme.example',
        to: 'desk@desk.test',
        subject: 'hi',
        text: 'no case',
        messageId: '<gone1@acme.example>',
      }),
    );
    const sent = await smtp.waitFor(
      (m) => mailKind(m) === 'resend-instructions' && m.parsed.inReplyTo === '<gone1@acme.example>',
      20_000,
      'the mail that bounces',
    );
    await dovecot.append(
      USER,
      dsn({
        id: '<real-dsn@mx.acme.example>',
        from: 'MAILER-DAEMON@mx.acme.example',
        quoting: sent.parsed.messageId!,
        recipients: ['gone@acme.example', REPS],
      }),
    );
    const rep = await smtp.waitFor(
      (m) => mailKind(m) === 'rep-quarantine' && /gone@acme\.example/.test(text(m)),
      30_000,
      'reps told of the bounce',
    );
    expect(text(rep)).toMatch(/hard bounce/);
    expect(text(rep)).toMatch(/ignored: reps@desk\.test, not recipients of that mail/);
    // gone@ is not mailed again; reps are.
    const noCase = async () => (await audit(env)).filter((a) => /DSK-1: no case number/.test(a.reason ?? '')).length;
    const seen = await noCase();
    await dovecot.append(
      USER,
      await buildPartnerMail({
        from: 'gone@acme.example',
        to: 'desk@desk.test',
        subject: 'hi again',
        text: 'no case',
        messageId: '<gone2@acme.example>',
      }),
    );
    await waitFor(async () => (await noCase()) > seen, 30_000, 'second mail of gone@ processed');
    await sleep(3000);
    expect(smtp.to('gone@acme.example').filter((m) => m.parsed.inReplyTo === '<gone2@acme.example>')).toEqual([]);
  }, 90_000);
});

describe('floods of strangers', () => {
  it(`DSK-3 ${FLOOD} strangers writing about a case get reps one digest per 10 minutes, not ${FLOOD} mails, and Redis grows by a bounded amount a message`, async () => {
    const before = await redisSize();
    const repsBefore = repsMail('rep-quarantine').length;
    const pdf = tinyPdf('flood');
    for (let i = 0; i < FLOOD; i++) {
      await dovecot.append(
        USER,
        await buildPartnerMail({
          from: `stranger${i}@evil${i}.example`,
          to: 'desk@desk.test',
          subject: 'Case 200002',
          text: 'let me in',
          messageId: `<flood${i}@evil.example>`,
          attachments: [{ filename: 'x.pdf', content: pdf }],
        }),
      );
    }
    await waitFor(
      async () =>
        (await cliJson<Array<{ messageId?: string }>>(['quarantine', 'list'], env)).filter((q) =>
          /flood/.test(q.messageId ?? ''),
        ).length === FLOOD,
      90_000,
      'every flood mail quarantined',
    );
    // The first notice goes at once; wait for it, then give any others time to arrive.
    await smtp.waitFor(
      (m) => m.envelopeTo.includes(REPS) && mailKind(m) === 'rep-quarantine' && /stranger\d+@/.test(text(m)),
      30_000,
      'the first quarantine notice',
    );
    await sleep(5000);
    const after = await redisSize();
    const repNotices = repsMail('rep-quarantine').slice(repsBefore);
    console.log(
      `[hostile] flood of ${FLOOD}: reps got ${repNotices.length} quarantine mail(s); Redis +${after.keys - before.keys} keys, +${((after.bytes - before.bytes) / 1024).toFixed(0)} KB (${((after.bytes - before.bytes) / FLOOD / 1024).toFixed(1)} KB a message)`,
    );
    // The first notice goes at once (it may already carry the few strangers who arrived while it was
    // being sent); the rest wait for the next digest.
    expect(repNotices).toHaveLength(1);
    const first = repNotices[0]!;
    const strangers = (m: ReceivedMail) => new Set(text(m).match(/stranger\d+@evil\d+\.example/g) ?? []);
    const inFirst = strangers(first);
    expect(inFirst.size).toBeGreaterThanOrEqual(1);
    expect(inFirst.size).toBeLessThan(FLOOD);
    const digests = (await cliJson<Array<{ id: string; queue: string; dueAt: string }>>(['jobs', 'list'], env)).filter(
      (j) => j.id.startsWith('quarantine-digest.unknown-sender.'),
    );
    expect(digests).toHaveLength(1);
    const dueIn = Date.parse(digests[0]!.dueAt) - Date.now();
    expect(dueIn).toBeGreaterThan(8 * 60_000);
    expect(dueIn).toBeLessThanOrEqual(10 * 60_000);
    // An operator runs it now: one mail lists everyone else, each stranger exactly once across the two mails.
    expect((await runCli(['jobs', 'promote', digests[0]!.id], env)).code).toBe(0);
    const digest = await smtp.waitFor(
      (m) =>
        m !== first &&
        m.envelopeTo.includes(REPS) &&
        mailKind(m) === 'rep-quarantine' &&
        /messages? quarantined: unknown sender/.test(m.parsed.subject ?? ''),
      30_000,
      'the digest',
    );
    const inDigest = strangers(digest);
    expect([...inDigest].filter((a) => inFirst.has(a))).toEqual([]);
    expect(inFirst.size + inDigest.size).toBe(FLOOD);
    expect(digest.parsed.subject).toMatch(new RegExp(`^${FLOOD - inFirst.size} messages? quarantined`));
    expect(repsMail('rep-quarantine').slice(repsBefore)).toHaveLength(2);
    // Bounded: a stranger's mail costs its own sealed copy, its intake job, its one reply and that reply's
    // record (about 5 keys, 5-10 KB measured), nothing per rep; a rep notice each would add two keys a message.
    // used_memory also moves with BullMQ's event stream and the allocator, so its bound is loose; the key count is exact.
    expect(after.keys - before.keys).toBeLessThanOrEqual(FLOOD * 6);
    expect((after.bytes - before.bytes) / FLOOD).toBeLessThan(32 * 1024);
  }, 180_000);
});

describe('backscatter (with LICENSEDESK_AUTHSERV_ID)', () => {
  it('no answer of any kind to senders the trusted host failed: no case number, over the size limit, or strangers on a case; reps get one digest', async () => {
    await dovecot.append(
      AUTH_USER,
      await buildPartnerMail({
        from: 'victim@innocent.example',
        to: 'desk@desk.test',
        subject: 'BUY CHEAP PILLS http://spam.example',
        text: 'spam',
        messageId: '<bs-nocase@spam.example>',
        headers: authHeader('fail', 'innocent.example'),
      }),
    );
    await dovecot.append(
      AUTH_USER,
      await buildPartnerMail({
        from: 'victim2@innocent.example',
        to: 'desk@desk.test',
        subject: 'Case 200001 huge',
        text: 'big',
        messageId: '<bs-big@spam.example>',
        headers: authHeader('fail', 'innocent.example'),
        attachments: [{ filename: 'big.pdf', content: Buffer.alloc(LIMIT + 1024, 0x41) }],
      }),
    );
    for (let i = 0; i < 10; i++) {
      await dovecot.append(
        AUTH_USER,
        await buildPartnerMail({
          from: `victim${i}@innocent${i}.example`,
          to: 'desk@desk.test',
          subject: 'Case 200002',
          text: 'x',
          messageId: `<bs-flood${i}@spam.example>`,
          headers: authHeader('fail', `innocent${i}.example`),
        }),
      );
    }
    const nocase = await outcome(
      authEnv,
      /DSK-1: no case number; not answered/,
      'the no-case mail recorded as not answered',
    );
    expect(nocase.reason).toMatch(/dmarc=fail|not pass|fail/);
    await waitFor(
      async () =>
        (await cliJson<Array<{ messageId?: string; reason?: string }>>(['quarantine', 'list'], authEnv)).filter((q) =>
          /bs-/.test(q.messageId ?? ''),
        ).length === 11,
      60_000,
      'too-large and strangers quarantined',
    );
    const q = await cliJson<Array<{ messageId?: string; reason?: string }>>(['quarantine', 'list'], authEnv);
    expect(q.find((x) => x.messageId === '<bs-big@spam.example>')?.reason).toMatch(/too large.*not answered/);
    await sleep(3000);
    const toVictims = smtp.messages().filter((m) => m.envelopeTo.some((a) => /innocent/.test(a)));
    expect(toVictims.map((m) => `${mailKind(m)} to ${m.envelopeTo.join(',')}`)).toEqual([]);
    // Reps: one mail per kind so far (too large, sender not authenticated), the rest wait for the digest.
    const kinds = smtp
      .to(REPS)
      .filter((m) => mailKind(m) === 'rep-quarantine' && /innocent|bs-/.test(text(m)))
      .map((m) => m.parsed.subject);
    expect(kinds).toHaveLength(2);
    const digests = (await cliJson<Array<{ id: string }>>(['jobs', 'list'], authEnv)).filter((j) =>
      j.id.startsWith('quarantine-digest.'),
    );
    expect(digests.map((d) => d.id.split('.')[1])).toEqual(['sender-not-authenticated']);
  }, 120_000);

  it('DSK-1 a sender the trusted host passed gets resend-instructions that do not repeat the subject', async () => {
    await dovecot.append(
      AUTH_USER,
      await buildPartnerMail({
        from: CONTACT,
        to: 'desk@desk.test',
        subject: 'Visit http://phish.example/login now',
        text: 'x',
        messageId: '<bs-ok@acme.example>',
        headers: authHeader('pass', 'acme.example'),
      }),
    );
    const m = await smtp.waitFor(
      (x) => mailKind(x) === 'resend-instructions' && x.parsed.inReplyTo === '<bs-ok@acme.example>',
      20_000,
      'resend-instructions',
    );
    expect(m.envelopeTo).toEqual([CONTACT]);
    expect(m.raw).not.toContain('phish.example');
    expect(text(m)).toMatch(/no case number/);
  });
});

describe('what a stranger learns of a case', () => {
  /** A desk mail with its ids, date and MIME boundaries replaced: what is left is its kind, words and headers. */
  const shape = (m: ReceivedMail, partnerId: string): string => {
    let raw = m.raw.split(m.parsed.messageId!).join('<desk id>').split(partnerId).join('<partner id>');
    const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/g)].map((b) => b[1]!);
    for (const [i, b] of boundaries.entries()) raw = raw.split(b).join(`<boundary ${i}>`);
    return raw.replace(/^Date: .*$/m, 'Date: <date>');
  };
  const probe = async (from: string, id: string, caseNumber: string): Promise<ReceivedMail> => {
    const messageId = `<${id}@probe.example>`;
    await dovecot.append(
      USER,
      await buildPartnerMail({
        from,
        to: 'desk@desk.test',
        subject: `[Case ${caseNumber}] license transfer`,
        text: 'forms attached',
        messageId,
        attachments: [{ filename: 'x.pdf', content: tinyPdf('probe') }],
      }),
    );
    return smtp.waitFor(
      (m) => m.envelopeTo.includes(from) && m.parsed.inReplyTo === messageId,
      30_000,
      `the answer to ${id}`,
    );
  };

  it('DSK-3 item 7: a stranger gets one answer for an open case and a case that is not open (same kind, words and headers apart from ids); a registered contact is told the case is not open', async () => {
    const stranger = 'prober@probe.example';
    const open = await probe(stranger, 'probe-open', '200003');
    const unknown = await probe(stranger, 'probe-unknown', '299998');
    expect(mailKind(unknown)).toBe(mailKind(open));
    expect(mailKind(open)).toBe('quarantined');
    expect(shape(unknown, '<probe-unknown@probe.example>')).toBe(shape(open, '<probe-open@probe.example>'));
    expect(unknown.raw).not.toContain('299998');
    // Reps see both, and the desk keeps both for them.
    await waitFor(
      async () =>
        (await cliJson<Array<{ messageId?: string }>>(['quarantine', 'list'], env)).filter((q) =>
          /probe-(open|unknown)@/.test(q.messageId ?? ''),
        ).length === 2,
      30_000,
      "both of the stranger's mails quarantined",
    );
    // A registered contact (of another partner here) still hears that the case is not open.
    const contact = await probe('ops@other.example', 'probe-contact', '299998');
    expect(mailKind(contact)).toBe('resend-instructions');
    expect(contact.parsed.subject).toMatch(/case 299998 is not open here/);
  }, 90_000);
});

describe('a From that is not one mailbox', () => {
  it('DSK-3 item 3: a From of one address holding a comma, or of two mailboxes, is quarantined for reps and answers nobody, even when the trusted host passed the second domain; variants do not get a reply limit each', async () => {
    const victim = 'victim@victim.example';
    const quarantinedIds = async (e: Record<string, string>, re: RegExp) =>
      (await cliJson<Array<{ messageId?: string; reason?: string }>>(['quarantine', 'list'], e)).filter(
        (q) => re.test(q.messageId ?? '') && /malformed sender/.test(q.reason ?? ''),
      );
    // The trusted host passed SPF for the attacker's domain, the one after the last `@`.
    const passAttacker = { 'Authentication-Results': 'mx.desk.test; spf=pass smtp.mailfrom=attacker@attacker.example' };
    const comma = `<${victim},attacker@attacker.example>`;
    for (const [id, subject, from] of [
      ['comma-nocase', 'hello', comma],
      ['comma-case', 'Case 200001', comma],
      ['two-mailboxes', 'hello', `${victim}, attacker@attacker.example`],
    ]) {
      await dovecot.append(
        AUTH_USER,
        Buffer.from(
          [
            `From: ${from}`,
            'To: desk@desk.test',
            `Subject: ${subject}`,
            `Message-ID: <${id}@attacker.example>`,
            `Authentication-Results: ${passAttacker['Authentication-Results']}`,
            'Date: Tue, 03 Jun 2025 09:15:00 +0000',
            '',
            'which case?',
            '',
          ].join('\r\n'),
        ),
      );
    }
    // Without LICENSEDESK_AUTHSERV_ID: a new second address each time, one hourly limit of 3 for the victim's mail.
    for (let i = 0; i < 5; i++) {
      await dovecot.append(
        USER,
        Buffer.from(
          [
            `From: <${victim},attacker${i}@attacker.example>`,
            'To: desk@desk.test',
            'Subject: hello',
            `Message-ID: <comma-flood${i}@attacker.example>`,
            '',
            'which case?',
            '',
          ].join('\r\n'),
        ),
      );
    }
    await waitFor(
      async () => (await quarantinedIds(authEnv, /attacker\.example/)).length === 3,
      40_000,
      'the three mails quarantined as malformed senders by the desk that trusts mx.desk.test',
    );
    await waitFor(
      async () => (await quarantinedIds(env, /comma-flood/)).length === 5,
      40_000,
      'the five mails quarantined as malformed senders',
    );
    const q = await quarantinedIds(authEnv, /comma-nocase/);
    expect(q[0]!.reason).toMatch(/not one well-formed mailbox.*not answered/);
    expect((await quarantinedIds(authEnv, /two-mailboxes/))[0]!.reason).toMatch(/2 mailboxes/);
    // Reps hear of it (the first notice of the kind at once), and nobody else is mailed.
    await smtp.waitFor(
      (m) => m.envelopeTo.includes(REPS) && mailKind(m) === 'rep-quarantine' && /malformed sender/.test(text(m)),
      30_000,
      'reps told of a malformed sender',
    );
    await sleep(3000);
    const toThem = smtp.messages().filter((m) => m.envelopeTo.some((a) => /victim\.example|attacker/.test(a)));
    expect(toThem.map((m) => `${mailKind(m)} to ${m.envelopeTo.join(',')}`)).toEqual([]);
  }, 120_000);
});

describe('too large and robots', () => {
  it('the too-large reply names the refused message by subject and date and carries [Case N]', async () => {
    const raw = await buildPartnerMail({
      from: CONTACT,
      to: 'desk@desk.test',
      subject: 'Case 200005 scans of the signed forms',
      text: 'scans',
      messageId: '<toolarge-named@acme.example>',
      date: new Date('2025-06-03T09:15:00Z'),
      attachments: [{ filename: 'scan.pdf', content: Buffer.alloc(LIMIT + 4096, 0x42) }],
    });
    await dovecot.append(USER, raw);
    const reply = await smtp.waitFor(
      (m) => mailKind(m) === 'too-large' && m.parsed.inReplyTo === '<toolarge-named@acme.example>',
      30_000,
      'too-large reply',
    );
    expect(reply.envelopeTo).toEqual([CONTACT]);
    expect(reply.parsed.subject).toMatch(/^\[Case 200005\] /);
    expect(reply.parsed.subject).toContain('Case 200005 scans of the signed forms');
    expect(text(reply)).toContain('"Case 200005 scans of the signed forms"');
    expect(text(reply)).toContain('Tue, 03 Jun 2025 09:15:00 GMT');
    expect(text(reply)).toContain('1.0 MB');
  }, 60_000);

  it('never answers mail marked Precedence: auto_reply or X-Autoreply', async () => {
    await dovecot.append(
      USER,
      await buildPartnerMail({
        from: 'away1@acme.example',
        to: 'desk@desk.test',
        subject: 'Out of office',
        text: 'away',
        messageId: '<ooo-precedence@acme.example>',
        headers: { Precedence: 'auto_reply' },
      }),
    );
    await dovecot.append(
      USER,
      await buildPartnerMail({
        from: 'away2@acme.example',
        to: 'desk@desk.test',
        subject: 'Autoreply: away',
        text: 'away',
        messageId: '<ooo-xautoreply@acme.example>',
        headers: { 'X-Autoreply': 'yes' },
      }),
    );
    await outcome(env, /automatic mail not answered \(Precedence: auto_reply\)/, 'Precedence: auto_reply recorded');
    await outcome(env, /automatic mail not answered \(X-Autoreply: yes\)/, 'X-Autoreply recorded');
    await sleep(3000);
    expect([...smtp.to('away1@acme.example'), ...smtp.to('away2@acme.example')]).toEqual([]);
  }, 60_000);
});
