/**
 * The desk end to end for AltiGen moves, as a partner, a rep and sales see
 * it: partner mail appended to a real Dovecot mailbox, the desk running as
 * `licensedesk start` on a real redis-server, mail read from a real SMTP
 * server, state read through the CLI of docs/interfaces.md.
 */
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
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
import {
  altigenRegistry,
  CARD,
  cardForm,
  CONTACT,
  partnerMail,
  ssoForm,
  transferForm,
} from '../support/altigen-fixture.js';
import { deskEnv } from '../support/desk-env.js';

interface CaseJson {
  number: string;
  program: string;
  state: string;
  partnerId: string;
  receivedAt: string;
  deadlineAt?: string;
  completeAt?: string;
  findings: Array<{ rule: string; outcome: string; message: string }>;
  fees: Array<{ rule: string; amount: string; currency: string }>;
  moves: Array<{ licenseKey: string; from: string; to: string }>;
  card?: { last4: string };
}

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;
const USER = 'desk-altigen';
const REPS = 'reps@desk.test';
const SALES = 'sales@desk.test';

const kind = mailKind;
const caseOf = mailCase;
const mailsFor = (n: string, k: string) => smtp.messages().filter((m) => caseOf(m) === n && kind(m) === k);

const caseInState = (n: string, states: string[], ms?: number) => waitForCaseState<CaseJson>(env, n, states, ms);

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    { LICENSEDESK_PREFIX: 'alt', LICENSEDESK_REPS_ADDRESS: REPS, LICENSEDESK_SALES_ADDRESS: SALES },
  );
  const file = join(tmpdir(), `ld-alt-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(altigenRegistry()));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  expect(imp.code, imp.stderr).toBe(0);
  desk = startDesk(env);
});

afterAll(async () => {
  const code = await desk?.stop();
  expect(code).toBe(0);
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('AltiGen transfer by mail', () => {
  it('ALT-4 ALT-9 ALT-10 moves whole keys, records the fee and the pro-rated SA charge, and tells the partner what to register next', async () => {
    const lt = await transferForm({
      caseNumber: '200001',
      from: 'SYS-0001',
      to: 'SYS-0002',
      chassis: 'Max2000',
      keys: ['LK-0001', 'LK-0002'],
    });
    await dovecot.append(
      USER,
      await partnerMail('Re: Case #200001 license transfer', [
        { name: 'transfer.pdf', bytes: lt },
        { name: 'card.pdf', bytes: await cardForm('200001') },
      ]),
    );

    const c = await caseInState('200001', ['transferred', 'waiting-partner', 'rejected', 'held']);
    expect(c.state, JSON.stringify(c.findings)).toBe('transferred');
    expect(c.moves).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ licenseKey: 'LK-0001', from: 'SYS-0001', to: 'SYS-0002' }),
        expect.objectContaining({ licenseKey: 'LK-0002', from: 'SYS-0001', to: 'SYS-0002' }),
      ]),
    );
    // ALT-4: one target system, one fee.
    expect(c.fees.filter((f) => f.rule === 'ALT-4')).toEqual([
      expect.objectContaining({ amount: '300.00', currency: 'USD' }),
    ]);
    // ALT-10: source SA expired 73 days ago, target's runs 292 more: 365 days, so a full year of SA per key.
    const sa = c.fees
      .filter((f) => f.rule === 'ALT-10')
      .map((f) => f.amount)
      .sort();
    expect(sa).toEqual(['150.00', '200.00']);
    expect(c.card?.last4).toBe('1111');

    const exported = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as {
      licenses: Array<{ key: string; systemKey: string }>;
    };
    expect(exported.licenses.find((l) => l.key === 'LK-0001')?.systemKey).toBe('SYS-0002');
    expect(exported.licenses.find((l) => l.key === 'LK-0002')?.systemKey).toBe('SYS-0002');

    const done = await smtp.waitFor(
      (m) => caseOf(m) === '200001' && kind(m) === 'transferred',
      15_000,
      'transferred mail',
    );
    expect(done.envelopeTo).toEqual([CONTACT]);
    expect(done.parsed.subject).toContain('[Case 200001]');
    expect(done.parsed.text).toMatch(/Register the OLD system SYS-0001 first/);
    expect(done.parsed.text).toMatch(/register the NEW system SYS-0002/);
    expect(done.parsed.text).toContain('LK-0001');
    expect(String(done.parsed.headers.get('auto-submitted'))).toBe('auto-replied');
    expect(done.parsed.inReplyTo).toBeTruthy();
  });

  it('DSK-7 tells reps of every new case', async () => {
    const m = await smtp.waitFor((x) => caseOf(x) === '200001' && kind(x) === 'rep-new-case', 15_000, 'rep-new-case');
    expect(m.envelopeTo).toEqual([REPS]);
  });

  it('DSK-8 writes every state change and every license movement to the audit trail', async () => {
    const lines = await cliJsonLines<{
      case?: string;
      action: string;
      actor: string;
      at: string;
      from?: string;
      to?: string;
      reason?: string;
    }>(['audit', '200001'], env);
    const actions = lines.map((l) => l.action);
    expect(actions[0]).toBe('case-opened');
    expect(actions).toContain('reviewed');
    expect(lines.filter((l) => l.action === 'license-moved').map((l) => l.reason)).toEqual(
      expect.arrayContaining([expect.stringContaining('LK-0001'), expect.stringContaining('LK-0002')]),
    );
    expect(lines.find((l) => l.action === 'transferred')).toMatchObject({ from: 'approved', to: 'transferred' });
    for (const l of lines) expect(l.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('DSK-6 ALT-6 asks for the missing card form, naming the rule, and a later mail on the case completes it', async () => {
    const lt = await transferForm({
      caseNumber: '200002',
      from: 'SYS-0003',
      to: 'SYS-0004',
      chassis: 'Max1000',
      keys: ['LK-0003'],
    });
    await dovecot.append(USER, await partnerMail('Case: 200002', [{ name: 'transfer.pdf', bytes: lt }]));
    const waiting = await caseInState('200002', ['waiting-partner', 'transferred', 'rejected', 'held']);
    expect(waiting.state).toBe('waiting-partner');
    const ask = await smtp.waitFor(
      (m) => caseOf(m) === '200002' && kind(m) === 'incomplete',
      15_000,
      'incomplete mail',
    );
    expect(ask.parsed.text).toContain('(ALT-6)');
    expect(ask.parsed.text).toMatch(/Credit Card Authori[sz]ation/i);
    expect(ask.parsed.subject).toContain('[Case 200002]');

    // The partner replies on the thread with just the missing form.
    await dovecot.append(
      USER,
      await partnerMail(`Re: ${ask.parsed.subject}`, [{ name: 'card.pdf', bytes: await cardForm('200002') }]),
    );
    const moved = await caseInState('200002', ['transferred', 'rejected', 'held']);
    expect(moved.state).toBe('transferred');
    expect(moved.moves).toEqual([expect.objectContaining({ licenseKey: 'LK-0003', from: 'SYS-0003', to: 'SYS-0004' })]);
  });

  it("ALT-2 rejects a move to another end user's system, naming the rule, and moves nothing", async () => {
    const lt = await transferForm({
      caseNumber: '200003',
      from: 'SYS-0003',
      to: 'SYS-0101',
      chassis: 'Max1000',
      keys: ['LK-0007'],
    });
    await dovecot.append(
      USER,
      await partnerMail('[Case 200003] move', [
        { name: 't.pdf', bytes: lt },
        { name: 'c.pdf', bytes: await cardForm('200003') },
      ]),
    );
    const c = await caseInState('200003', ['rejected', 'transferred', 'waiting-partner', 'held']);
    expect(c.state).toBe('rejected');
    expect(c.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'ALT-2', outcome: 'fail' })]));
    expect(c.moves).toEqual([]);
    const m = await smtp.waitFor((x) => caseOf(x) === '200003' && kind(x) === 'rejected', 15_000, 'rejected mail');
    expect(m.parsed.text).toContain('(ALT-2)');
    const exported = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as {
      licenses: Array<{ key: string; systemKey: string }>;
    };
    expect(exported.licenses.find((l) => l.key === 'LK-0007')?.systemKey).toBe('SYS-0003');
  });

  it('ALT-7 DSK-11 converts a software-only upgrade and sends sales a no-charge PO with the SSW names, a billed ledger entry', async () => {
    const lt = await transferForm({
      caseNumber: '200004',
      from: 'SYS-0005',
      to: 'SYS-0006',
      chassis: 'SoftwareOnly',
      keys: ['LK-0005', 'LK-0006'],
      softwareOnly: true,
    });
    await dovecot.append(
      USER,
      await partnerMail('CASE-200004', [
        { name: 't.pdf', bytes: lt },
        { name: 'c.pdf', bytes: await cardForm('200004') },
        { name: 'w.pdf', bytes: await ssoForm('200004', 'SYS-0005', 'SYS-0006', 10, 10) },
      ]),
    );
    const c = await caseInState('200004', ['transferred', 'rejected', 'waiting-partner', 'held']);
    expect(c.state, JSON.stringify(c.findings)).toBe('transferred');
    const po = await smtp.waitFor((m) => caseOf(m) === '200004' && kind(m) === 'sales-po', 15_000, 'sales-po');
    expect(po.envelopeTo).toEqual([SALES]);
    expect(po.parsed.text).toContain('SSW-STATION-10');
    expect(po.parsed.text).toContain('SSW-ACMAGENT-10');
    expect(po.parsed.text).toMatch(/no charge/i);
    // DSK-11: the order is a ledger entry too, billed at nothing, beside the case's fees still due.
    const ledger = await cliJson<Array<{ rule: string; amount: string; state: string; card: unknown }>>(
      ['fees', 'list', '--case', '200004', '--json'],
      env,
    );
    expect(ledger.filter((f) => f.state === 'billed')).toEqual([
      expect.objectContaining({ rule: 'ALT-7', amount: '0.00', card: null }),
    ]);
    expect(ledger.filter((f) => f.state === 'due').map((f) => f.rule)).toContain('ALT-4');
  });

  it('DSK-1 answers a mail without a case number with how to resend it, and nothing else happens', async () => {
    const before = (await cliJson<Array<{ number: string }>>(['case', 'list'], env)).length;
    await dovecot.append(
      USER,
      await partnerMail('License transfer please', [], { messageId: '<nocase@acme.example>' }),
    );
    const m = await smtp.waitFor(
      (x) => kind(x) === 'resend-instructions' && x.parsed.inReplyTo === '<nocase@acme.example>',
      15_000,
      'resend-instructions',
    );
    expect(m.envelopeTo).toEqual([CONTACT]);
    expect(m.parsed.text).toMatch(/Case 123456/);
    expect((await cliJson<unknown[]>(['case', 'list'], env)).length).toBe(before);
  });

  it('DSK-1 tells the partner that a subject naming two different cases cannot be filed, and touches neither case', async () => {
    const before = await cliJson<Array<{ number: string; state: string }>>(['case', 'list'], env);
    const registryBefore = (await runCli(['registry', 'export'], env)).stdout;
    const lt = await transferForm({
      caseNumber: '200007',
      from: 'SYS-0003',
      to: 'SYS-0002',
      chassis: 'Max1000',
      keys: ['LK-0007'],
    });
    await dovecot.append(
      USER,
      await partnerMail(
        'Case 200007 and Case 200003',
        [
          { name: 't.pdf', bytes: lt },
          { name: 'c.pdf', bytes: await cardForm('200007') },
        ],
        { messageId: '<twocases@acme.example>' },
      ),
    );
    const m = await smtp.waitFor(
      (x) => kind(x) === 'resend-instructions' && x.parsed.inReplyTo === '<twocases@acme.example>',
      15_000,
      'resend-instructions',
    );
    expect(m.envelopeTo).toEqual([CONTACT]);
    expect(m.parsed.subject).toMatch(/several case numbers/);
    expect(m.parsed.text).toContain('200007, 200003');
    expect(await cliJson<Array<{ number: string; state: string }>>(['case', 'list'], env)).toEqual(before);
    expect((await runCli(['registry', 'export'], env)).stdout).toBe(registryBefore);
  });

  it("DSK-3 quarantines mail from someone who is not the partner's contact, even with the contact as Reply-To, and tells them nothing about the case", async () => {
    const lt = await transferForm({
      caseNumber: '200005',
      from: 'SYS-0003',
      to: 'SYS-0004',
      chassis: 'Max1000',
      keys: ['LK-0004'],
    });
    await dovecot.append(
      USER,
      await partnerMail(
        'Case 200005',
        [
          { name: 't.pdf', bytes: lt },
          { name: 'c.pdf', bytes: await cardForm('200005') },
        ],
        { from: 'mallory@evil.example', replyTo: CONTACT, messageId: '<forged@evil.example>' },
      ),
    );
    const rep = await smtp.waitFor(
      (x) => kind(x) === 'rep-quarantine' && (x.parsed.text ?? '').includes('mallory@evil.example'),
      15_000,
      'rep-quarantine',
    );
    expect(rep.envelopeTo).toEqual([REPS]);
    const q = await cliJson<Array<{ from?: string; reason?: string }>>(['quarantine', 'list'], env);
    expect(q.find((x) => x.from === 'mallory@evil.example')?.reason).toMatch(/DSK-3/);
    // What the sender got says nothing of the case.
    const toSender = smtp.to('mallory@evil.example');
    for (const m of toSender) {
      expect(m.parsed.text ?? '').not.toMatch(/200005|SYS-|LK-|Acme|transferred/);
      expect(caseOf(m)).toBe('');
    }
    // Reply-To is not who sent it: the contact it names is not written to about this mail.
    expect(smtp.to(CONTACT).filter((m) => m.parsed.inReplyTo === '<forged@evil.example>')).toEqual([]);
    // The case was not touched: still opened and waiting for its first mail.
    expect(
      await cliJson<{ state: string; messages: unknown[] }>(['case', 'show', '200005', '--json'], env),
    ).toMatchObject({
      state: 'new',
      messages: [],
    });
  });

  it('DSK-4 processes a message delivered twice once, and sends nothing twice', async () => {
    const lt = await transferForm({
      caseNumber: '200006',
      from: 'SYS-0003',
      to: 'SYS-0002',
      chassis: 'Max2000',
      keys: ['LK-0004'],
    });
    const raw = await partnerMail(
      'Case 200006',
      [
        { name: 't.pdf', bytes: lt },
        { name: 'c.pdf', bytes: await cardForm('200006') },
      ],
      { messageId: '<twice@acme.example>' },
    );
    await dovecot.append(USER, raw);
    await dovecot.append(USER, raw);
    const c = await caseInState('200006', ['transferred', 'rejected', 'waiting-partner', 'held']);
    expect(c.state, JSON.stringify(c.findings)).toBe('transferred');
    await smtp.waitFor((m) => caseOf(m) === '200006' && kind(m) === 'transferred', 15_000, 'transferred');
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsFor('200006', 'transferred')).toHaveLength(1);
    expect(mailsFor('200006', 'rep-new-case')).toHaveLength(1);
    const audit = await cliJsonLines<{ action: string }>(['audit', '200006'], env);
    expect(audit.filter((a) => a.action === 'transferred')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'mail-received' || a.action === 'case-opened')).toHaveLength(1);
    // Both copies left the inbox: nothing is left to be taken again.
    expect(await dovecot.list(USER, 'INBOX')).toEqual([]);
  });

  it('DSK-5 keeps no card number anywhere: not in Redis, not in any mail, not in any log line', async () => {
    await caseInState('200006', ['transferred']);
    const r = new Redis(redis.url);
    const digits = CARD;
    const spaced = '4111 1111 1111 1111';
    let hits: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'COUNT', 500);
      cursor = next;
      for (const k of keys) {
        const type = await r.type(k);
        let text = '';
        if (type === 'string') text = (await r.getBuffer(k))?.toString('latin1') ?? '';
        else if (type === 'hash')
          text = (await r.hgetallBuffer(k))
            ? Object.values(await r.hgetallBuffer(k))
                .map((b) => b.toString('latin1'))
                .join('\n')
            : '';
        else if (type === 'list') text = (await r.lrange(k, '0', '-1')).join('\n');
        else if (type === 'set') text = (await r.smembers(k)).join('\n');
        else if (type === 'zset') text = (await r.zrange(k, '0', '-1')).join('\n');
        else if (type === 'stream') text = JSON.stringify(await r.xrange(k, '-', '+'));
        if (text.includes(digits) || text.includes(spaced)) hits.push(k);
      }
    } while (cursor !== '0');
    r.disconnect();
    expect(hits).toEqual([]);
    hits = smtp
      .messages()
      .filter((m) => m.raw.includes(digits) || m.raw.includes(spaced))
      .map((m) => kind(m));
    expect(hits).toEqual([]);
    expect(desk.logs()).not.toContain(digits);
    expect(desk.logs()).not.toContain(spaced);
  });
});

describe('deadline and reps (ALT-8)', () => {
  it('ALT-8 holds a case for a rep with deadline jobs at 18 h and 24 h; a fired warning mails reps; approval moves it and ends the timers', async () => {
    // The form says Max1000 but the registry says the target is a Max2000: a rep must confirm.
    const lt = await transferForm({
      caseNumber: '200007',
      from: 'SYS-0003',
      to: 'SYS-0002',
      chassis: 'Max1000',
      keys: ['LK-0007'],
    });
    await dovecot.append(
      USER,
      await partnerMail('Case 200007', [
        { name: 't.pdf', bytes: lt },
        { name: 'c.pdf', bytes: await cardForm('200007') },
      ]),
    );
    const held = await caseInState('200007', ['held', 'transferred', 'rejected', 'waiting-partner']);
    expect(held.state, JSON.stringify(held.findings)).toBe('held');
    expect(held.findings.some((f) => f.outcome === 'hold')).toBe(true);
    const repHeld = await smtp.waitFor((m) => caseOf(m) === '200007' && kind(m) === 'rep-held', 15_000, 'rep-held');
    expect(repHeld.envelopeTo).toEqual([REPS]);

    const complete = Date.parse(held.completeAt!);
    expect(Date.parse(held.deadlineAt!) - complete).toBe(24 * 3600_000);
    const jobs = await cliJson<Array<{ id: string; queue: string; name: string; dueAt: string }>>(
      ['jobs', 'list'],
      env,
    );
    const warning = jobs.find((j) => j.name === 'deadline-warning' && j.id.includes('200007'));
    const deadline = jobs.find((j) => j.name === 'deadline' && j.id.includes('200007'));
    expect(Math.abs(Date.parse(warning!.dueAt) - (complete + 18 * 3600_000))).toBeLessThan(5000);
    expect(Math.abs(Date.parse(deadline!.dueAt) - (complete + 24 * 3600_000))).toBeLessThan(5000);

    const promoted = await runCli(['jobs', 'promote', warning!.id], env);
    expect(promoted.code, promoted.stderr).toBe(0);
    const warned = await smtp.waitFor(
      (m) => caseOf(m) === '200007' && kind(m) === 'rep-deadline-warning',
      15_000,
      'rep-deadline-warning',
    );
    expect(warned.envelopeTo).toEqual([REPS]);
    expect(warned.parsed.text).toContain('ALT-8');

    const approve = await runCli(
      ['case', 'approve', '200007', '--by', 'rep@desk.test', '--note', 'chassis confirmed by phone'],
      env,
    );
    expect(approve.code, approve.stderr).toBe(0);
    const moved = await caseInState('200007', ['transferred', 'held']);
    expect(moved.state).toBe('transferred');
    expect(moved.moves).toEqual([expect.objectContaining({ licenseKey: 'LK-0007', to: 'SYS-0002' })]);
    const after = await cliJson<Array<{ id: string }>>(['jobs', 'list'], env);
    // No timer is left; the decided case's card-strip job (retention, DSK-5) may still be waiting its turn.
    expect(after.filter((j) => j.id.includes('200007') && !j.id.startsWith('card-strip.'))).toEqual([]);
    const audit = await cliJsonLines<{ action: string; actor: string }>(['audit', '200007'], env);
    expect(audit.find((a) => a.action === 'rep-approved')?.actor).toBe('rep:rep@desk.test');
  });

  it('rejects approving a case that is not held, with E_CASE_STATE', async () => {
    const r = await runCli(['case', 'approve', '200001', '--by', 'rep@desk.test'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E_CASE_STATE');
  });
});

describe('CLI edges', () => {
  it('refuses a bad registry with E_REGISTRY_INVALID, names every bad path, and changes nothing', async () => {
    const bad = altigenRegistry() as unknown as { systems: Array<Record<string, unknown>> };
    bad.systems[3]!.saExpiresOn = 'soon';
    bad.systems[0]!.colour = 'blue';
    const file = join(tmpdir(), `ld-bad-registry-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(bad));
    const before = (await runCli(['registry', 'export'], env)).stdout;
    const r = await runCli(['registry', 'import', file], env);
    rmSync(file, { force: true }); // refused, and nothing is left in /tmp
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E_REGISTRY_INVALID');
    expect(r.stderr).toContain('systems[3].saExpiresOn');
    expect(r.stderr).toContain('systems[0].colour');
    expect((await runCli(['registry', 'export'], env)).stdout).toBe(before);
  });

  it('exits 2 on bad usage and 1 with a code on a user error', async () => {
    expect((await runCli(['case', 'frobnicate'], env)).code).toBe(2);
    const missing = await runCli(['case', 'show', '999999', '--json'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('E_CASE_NOT_FOUND');
    expect(missing.stdout).toBe('');
  });
});
