/**
 * The Avaya SWAP with its 7-day key follow-up, LumenVox account transfers and
 * Audium machine moves, by mail and CLI, on real Redis, Dovecot and SMTP.
 */
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliJson,
  cliJsonLines,
  waitForConsole,
  runCli,
  startDesk,
  type DeskProcess,
  mailCase,
  mailKind,
  waitForCaseState,
} from '../support/desk-process.js';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import {
  accountForm,
  audiumForms,
  AUD_CONTACT,
  LVX_BUYER,
  LVX_CONTACT,
  LVX_OTHER_ACCOUNT,
  LVX_RECEIVER,
  mail,
  programsRegistry,
  SWAP_CONTACT,
  swapForm,
} from '../support/programs-fixture.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { deskEnv, WAREHOUSE_ADDRESS } from '../support/desk-env.js';
import { freePort } from '../../embedded/net.js';

interface CaseJson {
  number: string;
  state: string;
  findings: Array<{ rule: string; outcome: string; message: string }>;
  fees: Array<{ rule: string; amount: string; currency: string }>;
  moves: Array<{ licenseKey: string; from: string; to: string }>;
}
interface Exported {
  systems: Array<{ key: string; disabled?: boolean }>;
  licenses: Array<{ key: string; systemKey: string; forfeited?: boolean }>;
  accounts: Array<{ id: string; available: Record<string, number>; deployed: Record<string, number> }>;
  installations: Array<{ machineId: string; sessions: number; lastReactivatedAt: string | null }>;
}

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;
const USER = 'desk-programs';
/** Cases opened by `case open` or the API instead of the registry file. */
const OPENED = ['400001', '500001', '300101'];
let base: string;
const kind = mailKind;
const caseOf = mailCase;

const caseInState = (n: string, states: string[], ms?: number) => waitForCaseState<CaseJson>(env, n, states, ms);
const exported = async () => JSON.parse((await runCli(['registry', 'export'], env)).stdout) as Exported;

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'progs',
      LICENSEDESK_WAREHOUSE_ADDRESS: WAREHOUSE_ADDRESS,
      LICENSEDESK_HTTP_PORT: String(port),
    },
  );
  const file = join(tmpdir(), `ld-programs-${process.pid}.json`);
  // DSK-12: the first case of each program is opened without an import (two by the CLI, one by the API), and must
  // then behave exactly as the imported ones do.
  const registry = programsRegistry();
  writeFileSync(file, JSON.stringify({ ...registry, cases: registry.cases.filter((c) => !OPENED.includes(c.number)) }));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  expect(imp.code, imp.stderr).toBe(0);
  for (const n of ['400001', '500001']) {
    const c = registry.cases.find((x) => x.number === n)!;
    const opened = await runCli(
      ['case', 'open', '--system', c.systemKey, '--partner', c.partnerId, '--number', n],
      env,
    );
    expect(opened.code, opened.stderr).toBe(0);
  }
  const token = (await cliJson<{ token: string }>(['token', 'add', 'crm', '--scope', 'cases:write', '--json'], env))
    .token;
  desk = startDesk(env);
  await waitForConsole(base);
  const lvx = registry.cases.find((x) => x.number === '300101')!;
  const res = await fetch(`${base}/api/v1/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ systemKey: lvx.systemKey, partnerId: lvx.partnerId, number: lvx.number }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
});

afterAll(async () => {
  await desk?.stop();
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('Avaya IP Office SWAP (avaya-swap)', () => {
  it('SWP-1 SWP-3 SWP-8 moves every license, disables the FROM key, records the fee and waits for the key (follow-up)', async () => {
    await dovecot.append(
      USER,
      await mail(SWAP_CONTACT, 'SWAP Case 400001', [
        { name: 'swap.pdf', bytes: await swapForm('400001', 'FK-1001-2002', 'FK-3003-4004', 'physical') },
      ]),
    );
    const c = await caseInState('400001', ['follow-up', 'closed', 'rejected', 'waiting-partner', 'held']);
    expect(c.state, JSON.stringify(c.findings)).toBe('follow-up');
    expect(c.fees).toEqual([expect.objectContaining({ rule: 'SWP-1', amount: '50.00', currency: 'GBP' })]);
    expect(c.moves.map((m) => m.licenseKey).sort()).toEqual(['LS-1', 'LS-2']);
    const reg = await exported();
    expect(reg.systems.find((s) => s.key === 'FK-1001-2002')?.disabled).toBe(true);
    expect(
      reg.licenses
        .filter((l) => l.systemKey === 'FK-3003-4004')
        .map((l) => l.key)
        .sort(),
    ).toEqual(['LS-1', 'LS-2']);
    const told = await smtp.waitFor((m) => caseOf(m) === '400001' && kind(m) === 'transferred', 15_000, 'transferred');
    expect(told.parsed.text).toContain('returns@warehouse.test');
    expect(told.parsed.text).toContain('(SWP-6)');
  });

  it('SWP-3 refuses a later case that names the disabled key, with that reason', async () => {
    await dovecot.append(
      USER,
      await mail(SWAP_CONTACT, 'Case 400003', [
        { name: 'swap.pdf', bytes: await swapForm('400003', 'FK-1001-2002', 'FK-3003-4004', 'physical') },
      ]),
    );
    const c = await caseInState('400003', ['rejected', 'waiting-partner', 'held', 'follow-up']);
    expect(c.state).toBe('rejected');
    const m = await smtp.waitFor((x) => caseOf(x) === '400003' && kind(x) === 'rejected', 15_000, 'rejected');
    expect(m.parsed.text).toContain('(SWP-3)');
  });

  it('SWP-6 DSK-11 follow-up survives a restart of the workers and of Redis (AOF), then bills exactly the standard price when promoted, a billed ledger entry', async () => {
    const jobs = await cliJson<Array<{ id: string; name: string; dueAt: string }>>(['jobs', 'list'], env);
    const followUp = jobs.find((j) => j.name === 'key-followup' && j.id.includes('400001'));
    expect(followUp, JSON.stringify(jobs)).toBeDefined();
    expect(Math.abs(Date.parse(followUp!.dueAt) - (Date.now() + 7 * 86_400_000))).toBeLessThan(120_000);

    expect(await desk.stop()).toBe(0);
    await redis.restart();
    desk = startDesk(env);
    const after = await cliJson<Array<{ id: string; dueAt: string }>>(['jobs', 'list'], env);
    expect(after.find((j) => j.id === followUp!.id)?.dueAt).toBe(followUp!.dueAt);
    expect((await cliJson<CaseJson>(['case', 'show', '400001'], env)).state).toBe('follow-up');

    const promoted = await runCli(['jobs', 'promote', followUp!.id], env);
    expect(promoted.code, promoted.stderr).toBe(0);
    const bill = await smtp.waitFor((m) => caseOf(m) === '400001' && kind(m) === 'sales-bill', 20_000, 'sales-bill');
    expect(bill.envelopeTo).toEqual(['sales@desk.test']);
    // 200.00 GBP list less the 20 % standard discount = 160.00 a unit; the 50.00 deal price never applies.
    expect(bill.parsed.text).toContain('160.00');
    expect(bill.parsed.text).toContain('Total: 480.00 GBP');
    expect(bill.parsed.text).not.toContain('50.00');
    const c = await caseInState('400001', ['billed']);
    expect(c.fees).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'SWP-6', amount: '480.00', currency: 'GBP' })]),
    );
    // DSK-11: the bill is in the ledger as billed (sales collects it), the SWP-1 fee due on the card.
    const ledger = await cliJson<Array<{ rule: string; amount: string; state: string }>>(
      ['fees', 'list', '--case', '400001', '--json'],
      env,
    );
    expect(ledger.map((f) => [f.rule, f.amount, f.state]).sort()).toEqual([
      ['SWP-1', '50.00', 'due'],
      ['SWP-6', '480.00', 'billed'],
    ]);
  });

  it('SWP-6 does not bill a key whose return was recorded, and closes the case', async () => {
    await dovecot.append(
      USER,
      await mail(SWAP_CONTACT, 'Case 400002', [
        { name: 'swap.pdf', bytes: await swapForm('400002', 'FK-5005-6006', 'FK-7007-8008', 'physical') },
      ]),
    );
    await caseInState('400002', ['follow-up']);
    const ret = await runCli(['key', 'returned', 'FK-5005-6006', '--by', 'warehouse@desk.test'], env);
    expect(ret.code, ret.stderr).toBe(0);
    const c = await caseInState('400002', ['closed', 'billed']);
    expect(c.state).toBe('closed');
    const jobs = await cliJson<Array<{ id: string }>>(['jobs', 'list'], env);
    // No timer is left; the decided case's card-strip job (retention, DSK-5) may still be waiting its turn.
    expect(jobs.filter((j) => j.id.includes('400002') && !j.id.startsWith('card-strip.'))).toEqual([]);
    expect(smtp.messages().filter((m) => caseOf(m) === '400002' && kind(m) === 'sales-bill')).toEqual([]);
  });
});

describe('SWAP finality', () => {
  it('SWP-9 answers a refund request on a SWAP that sales are final, tells reps, and changes nothing', async () => {
    const before = await cliJson<CaseJson>(['case', 'show', '400002'], env);
    await dovecot.append(
      USER,
      await mail(SWAP_CONTACT, 'Re: [Case 400002] SWAP completed', [], 'Please refund the SWAP fee and undo the SWAP.'),
    );
    const answer = await smtp.waitFor((m) => caseOf(m) === '400002' && kind(m) === 'final-sale', 15_000, 'final-sale');
    expect(answer.envelopeTo).toEqual([SWAP_CONTACT]);
    expect(answer.parsed.text).toContain('(SWP-9)');
    const rep = await smtp.waitFor((m) => caseOf(m) === '400002' && kind(m) === 'rep-quarantine', 15_000, 'rep record');
    expect(rep.parsed.text).toContain('SWP-9');
    const after = await cliJson<CaseJson>(['case', 'show', '400002'], env);
    expect(after.state).toBe(before.state);
    expect(after.moves).toEqual(before.moves);
  });
});

describe('LumenVox account transfers (lumenvox)', () => {
  it("LVX-1 LVX-2 LVX-3 sells available licenses to the seller's end user and mails the buyer", async () => {
    await dovecot.append(
      USER,
      await mail(LVX_CONTACT, 'Case 300101 sale', [
        {
          name: 'sale.pdf',
          bytes: await accountForm('300101', 'sale', 'LV-RES-1', 'LV-EU-9', 'LV-ASR-PORT 4', LVX_CONTACT),
        },
      ]),
    );
    const c = await caseInState('300101', ['transferred', 'rejected', 'waiting-partner', 'held']);
    expect(c.state, JSON.stringify(c.findings)).toBe('transferred');
    const sold = await smtp.waitFor((m) => caseOf(m) === '300101' && kind(m) === 'sold', 15_000, 'sold');
    expect(sold.envelopeTo).toEqual([LVX_BUYER]);
    expect(sold.parsed.text).toContain('LV-ASR-PORT: 4');
    const reg = await exported();
    expect(reg.accounts.find((a) => a.id === 'LV-RES-1')?.available['LV-ASR-PORT']).toBe(6);
    expect(reg.accounts.find((a) => a.id === 'LV-RES-1')?.deployed['LV-ASR-PORT']).toBe(2);
    expect(reg.accounts.find((a) => a.id === 'LV-EU-9')?.available['LV-ASR-PORT']).toBe(4);
  });

  it('LVX-5 moves quantities between linked accounts when the receiving account asks', async () => {
    await dovecot.append(
      USER,
      await mail(LVX_RECEIVER, 'Case 300102', [
        {
          name: 't.pdf',
          bytes: await accountForm('300102', 'linked-transfer', 'LV-RES-1', 'LV-RES-2', 'LV-ASR-PORT 3', LVX_RECEIVER),
        },
      ]),
    );
    const c = await caseInState('300102', ['transferred', 'rejected', 'waiting-partner', 'held']);
    expect(c.state, JSON.stringify(c.findings)).toBe('transferred');
    const reg = await exported();
    expect(reg.accounts.find((a) => a.id === 'LV-RES-1')?.available['LV-ASR-PORT']).toBe(3);
    expect(reg.accounts.find((a) => a.id === 'LV-RES-2')?.available['LV-ASR-PORT']).toBe(3);
  });
});

describe('LumenVox: who may ask for what (a buyer never acts for its seller)', () => {
  const holdings = async () =>
    Object.fromEntries(
      (await exported()).accounts.map((a) => [a.id, { available: a.available, deployed: a.deployed }]),
    );
  /** Mails to `address` since `from` (an index into the sink's messages). */
  const mailsTo = (address: string, from: number) =>
    smtp
      .messages()
      .slice(from)
      .filter((m) => m.envelopeTo.includes(address));

  it("DSK-3 LVX-1 a buyer contact's sale form moves nothing: quarantined, and the buyer hears nothing of the case (buyer acts for its seller)", async () => {
    const before = await holdings();
    const seen = smtp.messages().length;
    await dovecot.append(
      USER,
      await mail(LVX_BUYER, 'Case 300103 sale', [
        {
          name: 'sale.pdf',
          bytes: await accountForm('300103', 'sale', 'LV-RES-1', 'LV-EU-9', 'LV-ASR-PORT 2', LVX_BUYER),
        },
      ]),
    );
    const answer = await smtp.waitFor(
      (m) => m.envelopeTo.includes(LVX_BUYER) && kind(m) === 'quarantined' && smtp.messages().indexOf(m) >= seen,
      20_000,
      'quarantined answer to the buyer',
    );
    expect(answer.parsed.text).not.toMatch(/LV-RES-1|LV-ASR-PORT|300103/);
    expect(answer.parsed.attachments).toEqual([]);
    await smtp.waitFor((m) => kind(m) === 'rep-quarantine' && smtp.messages().indexOf(m) >= seen, 20_000, 'reps told');
    await new Promise((r) => setTimeout(r, 3000)); // room for any further mail the desk would send
    expect(mailsTo(LVX_BUYER, seen).map(kind)).toEqual(['quarantined']);
    // The case was not touched: still opened and waiting for its first mail.
    expect(
      await cliJson<{ state: string; messages: unknown[] }>(['case', 'show', '300103', '--json'], env),
    ).toMatchObject({
      state: 'new',
      messages: [],
    });
    expect(await holdings()).toEqual(before);
  });

  it("LVX-1 DSK-3 a sale asked by a linked account's contact is held for a rep, and nothing moves until one approves (buyer acts for its seller)", async () => {
    const before = await holdings();
    await dovecot.append(
      USER,
      await mail(LVX_RECEIVER, 'Case 300104 sale', [
        {
          name: 'sale.pdf',
          bytes: await accountForm('300104', 'sale', 'LV-RES-1', 'LV-EU-9', 'LV-ASR-PORT 1', LVX_RECEIVER),
        },
      ]),
    );
    const c = await caseInState('300104', ['held', 'transferred', 'rejected', 'waiting-partner']);
    expect(c.state, JSON.stringify(c.findings)).toBe('held');
    expect(c.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'LVX-1', outcome: 'hold', message: expect.stringContaining(LVX_RECEIVER) }),
      ]),
    );
    expect(await holdings()).toEqual(before);
    expect(smtp.messages().filter((m) => caseOf(m) === '300104' && kind(m) === 'sold')).toEqual([]);
  });

  it("LVX-5 a linked transfer asked by another account's contact moves nothing: a buyer is quarantined, another linked account is refused (buyer acts for its seller)", async () => {
    const before = await holdings();
    const seen = smtp.messages().length;
    await dovecot.append(
      USER,
      await mail(LVX_BUYER, 'Case 300105', [
        {
          name: 't.pdf',
          bytes: await accountForm('300105', 'linked-transfer', 'LV-RES-1', 'LV-RES-2', 'LV-ASR-PORT 1', LVX_BUYER),
        },
      ]),
    );
    await smtp.waitFor(
      (m) => m.envelopeTo.includes(LVX_BUYER) && kind(m) === 'quarantined' && smtp.messages().indexOf(m) >= seen,
      20_000,
      'quarantined answer to the buyer',
    );
    // The case was not touched: still opened and waiting for its first mail.
    expect(
      await cliJson<{ state: string; messages: unknown[] }>(['case', 'show', '300105', '--json'], env),
    ).toMatchObject({
      state: 'new',
      messages: [],
    });

    await dovecot.append(
      USER,
      await mail(LVX_OTHER_ACCOUNT, 'Case 300106', [
        {
          name: 't.pdf',
          bytes: await accountForm(
            '300106',
            'linked-transfer',
            'LV-RES-1',
            'LV-RES-2',
            'LV-ASR-PORT 1',
            LVX_OTHER_ACCOUNT,
          ),
        },
      ]),
    );
    const c = await caseInState('300106', ['rejected', 'transferred', 'waiting-partner', 'held']);
    expect(c.state, JSON.stringify(c.findings)).toBe('rejected');
    expect(c.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'LVX-5', outcome: 'fail' })]));
    expect(mailsTo(LVX_BUYER, seen).map(kind)).toEqual(['quarantined']);
    expect(await holdings()).toEqual(before);
  });

  it('LVX-2 a product named constructor is not stock of the seller: the sale waits for a corrected form and nothing moves (object built-ins)', async () => {
    const before = await holdings();
    await dovecot.append(
      USER,
      await mail(LVX_CONTACT, 'Case 300107 sale', [
        {
          name: 'sale.pdf',
          bytes: await accountForm('300107', 'sale', 'LV-RES-1', 'LV-EU-9', 'constructor 2', LVX_CONTACT),
        },
      ]),
    );
    const c = await caseInState('300107', ['waiting-partner', 'held', 'transferred', 'rejected']);
    expect(c.state, JSON.stringify(c.findings)).toBe('waiting-partner');
    const incomplete = await smtp.waitFor(
      (m) => caseOf(m) === '300107' && kind(m) === 'incomplete',
      15_000,
      'incomplete',
    );
    expect(incomplete.parsed.text).toContain('(LVX-2)');
    expect(incomplete.parsed.text).toContain('holds no constructor licenses');
    expect(incomplete.parsed.text).not.toContain('function');
    expect(await holdings()).toEqual(before);
  });
});

describe('SWAP forfeit after a registry change', () => {
  it('SWP-5 a license moved between review and transfer is not forfeited: the case is held and nothing of the SWAP is written (forfeit checks where the license is)', async () => {
    // 400010 forfeits End-of-Sale LS-30 on FK-9111-8111 (FK-9222-8222 holds LS-31) and waits for a rep (SWP-7).
    await dovecot.append(
      USER,
      await mail(SWAP_CONTACT, 'Case 400010', [
        {
          name: 'swap.pdf',
          bytes: await swapForm('400010', 'FK-9111-8111', 'FK-9222-8222', 'physical', { ack_eos_forfeit: true }),
        },
      ]),
    );
    const held = await caseInState('400010', ['held', 'rejected', 'waiting-partner', 'follow-up', 'closed']);
    expect(held.state, JSON.stringify(held.findings)).toBe('held');
    // Meanwhile 400011 SWAPs the same FROM into the empty FK-9333-8333: LS-30 moves there.
    await dovecot.append(
      USER,
      await mail(SWAP_CONTACT, 'Case 400011', [
        { name: 'swap.pdf', bytes: await swapForm('400011', 'FK-9111-8111', 'FK-9333-8333', 'virtual') },
      ]),
    );
    const other = await caseInState('400011', [
      'transferred',
      'closed',
      'follow-up',
      'held',
      'rejected',
      'waiting-partner',
    ]);
    expect(['transferred', 'closed'], JSON.stringify(other.findings)).toContain(other.state);
    expect((await exported()).licenses.find((l) => l.key === 'LS-30')?.systemKey).toBe('FK-9333-8333');

    const approved = await runCli(['case', 'approve', '400010', '--by', 'rep@desk.test'], env);
    expect(approved.code, approved.stderr).toBe(0);
    const after = await caseInState('400010', ['held', 'follow-up', 'closed', 'transferred', 'rejected'], 30_000);
    expect(after.state, JSON.stringify(after.findings)).toBe('held');
    expect(after.findings.map((f) => f.message).join('\n')).toContain(
      'license LS-30 is not on FK-9111-8111 (it is on FK-9333-8333)',
    );
    const reg = await exported();
    expect(reg.licenses.find((l) => l.key === 'LS-30')).toMatchObject({ systemKey: 'FK-9333-8333' });
    expect(reg.licenses.find((l) => l.key === 'LS-30')?.forfeited).not.toBe(true);
    expect(reg.licenses.find((l) => l.key === 'LS-31')).toMatchObject({ systemKey: 'FK-9222-8222' });
    expect(smtp.messages().filter((m) => caseOf(m) === '400010' && kind(m) === 'transferred')).toEqual([]);
  });
});

describe('Audium machine licenses (audium)', () => {
  it('AUD-1 AUD-2 holds a machine move for a rep, and completes it only after the old machine is reactivated', async () => {
    await dovecot.append(
      USER,
      await mail(AUD_CONTACT, 'Case 500001', await audiumForms('500001', 'M-0001', 'M-0002', ['LA-1'])),
    );
    const held = await caseInState('500001', ['held', 'rejected', 'waiting-partner', 'transferred']);
    expect(held.state, JSON.stringify(held.findings)).toBe('held');
    expect(held.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'AUD-1', outcome: 'hold' })]),
    );
    expect((await runCli(['case', 'approve', '500001', '--by', 'rep@desk.test'], env)).code).toBe(0);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await cliJson<CaseJson>(['case', 'show', '500001'], env)).state).toBe('approved');
    expect((await exported()).licenses.find((l) => l.key === 'LA-1')?.systemKey).toBe('M-0001');

    const re = await runCli(['activation', 'reactivate', 'M-0001', '--json'], env);
    expect(re.code, re.stderr).toBe(0);
    const moved = await caseInState('500001', ['transferred']);
    expect(moved.moves).toEqual([expect.objectContaining({ licenseKey: 'LA-1', from: 'M-0001', to: 'M-0002' })]);
  });

  it('AUD-3 AUD-4 AUD-5 claims sessions from a pool, only the difference when raised, never beyond it, and a reactivation consumes nothing', async () => {
    type Claim = { sessions: number; claimed: number; sessionsLeft: number };
    const first = await cliJson<Claim>(
      ['activation', 'claim', 'M-0009', '--pool', 'CS-POOL-1', '--sessions', '50'],
      env,
    );
    expect(first).toMatchObject({ sessions: 50, claimed: 50, sessionsLeft: 40 });
    const raised = await cliJson<Claim>(
      ['activation', 'claim', 'M-0009', '--pool', 'CS-POOL-1', '--sessions', '80'],
      env,
    );
    expect(raised).toMatchObject({ sessions: 80, claimed: 30, sessionsLeft: 10 });
    const lowered = await cliJson<Claim>(
      ['activation', 'claim', 'M-0009', '--pool', 'CS-POOL-1', '--sessions', '20'],
      env,
    );
    expect(lowered).toMatchObject({ sessions: 80, claimed: 0, sessionsLeft: 10 });
    const over = await runCli(['activation', 'claim', 'M-0010', '--pool', 'CS-POOL-1', '--sessions', '11'], env);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('E_POOL_EXHAUSTED');
    await cliJson(['activation', 'reactivate', 'M-0009'], env);
    const exact = await cliJson<Claim>(
      ['activation', 'claim', 'M-0010', '--pool', 'CS-POOL-1', '--sessions', '10'],
      env,
    );
    expect(exact).toMatchObject({ claimed: 10, sessionsLeft: 0 });
    const inst = (await exported()).installations;
    expect(inst.find((i) => i.machineId === 'M-0009')).toMatchObject({ sessions: 80 });
    expect(inst.find((i) => i.machineId === 'M-0009')?.lastReactivatedAt).toBeTruthy();
    expect(inst.reduce((s, i) => s + i.sessions, 0)).toBe(100);
  });
});

describe('DSK-12 what other systems hear', () => {
  it('DSK-12 the event log ends with the moves the registry export shows, for every program', async () => {
    const events = await cliJsonLines<{ type: string; case?: string; data: Record<string, unknown> }>(
      ['events', '--json'],
      env,
    );
    for (const n of OPENED) expect(events.find((e) => e.case === n)?.type, n).toBe('case.opened');
    const where = new Map<string, string>();
    for (const e of events.filter((x) => x.type === 'licenses.moved' && Array.isArray(x.data.moves)))
      for (const m of e.data.moves as Array<{ licenseKey: string; to: string }>) where.set(m.licenseKey, m.to);
    expect(where.size).toBeGreaterThan(0);
    const reg = await exported();
    for (const [key, to] of where) expect(reg.licenses.find((l) => l.key === key)?.systemKey, key).toBe(to);
    const disabled = events.filter((e) => e.type === 'system.disabled').map((e) => e.data.systemKey);
    expect(disabled.length).toBeGreaterThan(0);
    for (const key of disabled) expect(reg.systems.find((s) => s.key === key)?.disabled, String(key)).toBe(true);
  });
});
