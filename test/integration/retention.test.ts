/**
 * Keys and retention, through the real desk (redis-server, Dovecot,
 * the SMTP sink, `licensedesk` child processes):
 *   - `start` without LICENSEDESK_SECRET exits 1 naming it;
 *   - after `secret rotate` (secret A -> B) a desk given only B still reads
 *     stored mail (a quarantined card mail released by a rep is processed)
 *     and threads a reply to a mail it sent, signed under A;
 *   - DSK-5 once the cases are decided, no copy of the test card's digits is
 *     left: not in any Redis key (sealed values opened with the secret), not
 *     in any IMAP folder, not under /tmp, not in any mail; the kept copies
 *     say the card form was removed;
 *   - once the clock passes LICENSEDESK_RETENTION_DAYS, the stored mail, its
 *     Message-ID/UID/receipt index entries, the outbox records and the IMAP
 *     copies are gone.
 * The its run in order on one desk's data.
 */
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../lib/secret-box.js';
import { partnerMail } from '../support/altigen-fixture.js';
import {
  cardDataRegistry,
  cardFormWith,
  cardSpellings,
  findNeedles,
  transferFormFor,
  withCheckDigit,
  type Needle,
} from '../support/card-data-fixture.js';
import {
  cliJson,
  mailCase,
  mailKind,
  runCli,
  startDesk,
  waitForCaseState,
  type DeskProcess,
} from '../support/desk-process.js';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { deskEnv } from '../support/desk-env.js';
import { deepMailText, imapFolders, recentFiles, redisTexts } from '../support/card-scan.js';

const USER = 'desk-retention';
const PREFIX = 'rt';
const SECRET_A = 'retention-secret-A-0123456789abcdef';
const SECRET_B = 'retention-secret-B-fedcba9876543210';
const GOOD = '410001';
const STRANGER_CASE = '410002';
/** An open case flooded with more mail than its list keeps. */
const FLOODED = '410003';
const FLOOD = 55;
/** A card number no other test uses, so a hit anywhere (even /tmp) is this test's. */
const DIGITS = withCheckDigit(`4${String(randomInt(10 ** 9, 10 ** 10))}${String(randomInt(10 ** 4, 10 ** 5))}`);
const NEEDLES: Needle[] = cardSpellings(DIGITS).map((text) => ({ label: `test card as "${text}"`, text }));
const typed = DIGITS.replace(/(\d{4})(?=\d)/g, '$1 ');

const STARTED = Date.now();
let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let env: Record<string, string>;
let desk: DeskProcess | undefined;
const logs: string[] = [];

async function stopDesk(): Promise<void> {
  if (!desk) return;
  const d = desk;
  desk = undefined;
  expect(await d.stop()).toBe(0);
  logs.push(d.logs());
}

const deepText = (raw: Buffer) => deepMailText(raw);
const imapAll = () => imapFolders(dovecot.port, USER);
const redisText = () => redisTexts(redis.url, [SECRET_B, SECRET_A]);
const tmpFiles = (root: string, skip: string[]) => recentFiles(root, skip, STARTED);

const until = async <T>(what: string, ms: number, fn: () => Promise<T | undefined | false>): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((res) => setTimeout(res, 500));
  }
};

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    // No secret: the first test starts without one, the others name the one they run with.
    { LICENSEDESK_PREFIX: PREFIX, LICENSEDESK_SALES_ADDRESS: undefined, LICENSEDESK_SECRET: undefined },
  );
  const file = join(tmpdir(), `ld-retention-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(cardDataRegistry([GOOD, STRANGER_CASE, FLOODED])));
  const imp = await runCli(['registry', 'import', file], { ...env, LICENSEDESK_SECRET: SECRET_A });
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  expect(imp.code, imp.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  if (desk) await desk.stop();
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('keys and retention', () => {
  it('start without LICENSEDESK_SECRET exits 1 naming it, and keeps no secret in Redis', async () => {
    const r = await runCli(['start'], env, 20_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/E_CONFIG_INVALID/);
    expect(r.stderr).toMatch(/LICENSEDESK_SECRET/);
    const c = new Redis(redis.url);
    try {
      expect(await c.keys('*secret*')).toEqual([]);
    } finally {
      c.disconnect();
    }
  }, 30_000);

  let sentUnderA = '';
  let strangerId = '';
  it("under secret A: a card case moves, a card mail with no case number is answered, a stranger's card mail is quarantined", async () => {
    desk = startDesk({ ...env, LICENSEDESK_SECRET: SECRET_A });
    const mail = async (n: string, subject: string, from?: string) =>
      partnerMail(
        subject,
        [
          { name: 'transfer.pdf', bytes: await transferFormFor(n) },
          { name: 'card.pdf', bytes: await cardFormWith(n, { card_number: typed }) },
        ],
        from ? { from } : {},
      );
    const first = await mail(GOOD, `[Case ${GOOD}] license transfer`);
    // The scans below can see the card where it hides (base64, a PDF field in a compressed object stream).
    expect(first.toString('latin1')).not.toContain(DIGITS);
    expect(findNeedles('the mail as sent', await deepText(first), NEEDLES).length).toBeGreaterThan(0);
    await dovecot.append(USER, first);
    await dovecot.append(USER, await mail(GOOD, 'license transfer, forms attached')); // no case number (DSK-1)
    await dovecot.append(
      USER,
      await mail(STRANGER_CASE, `[Case ${STRANGER_CASE}] license transfer`, 'someone@elsewhere.example'),
    );
    // The same forms in a mail without a Message-ID (the desk must find its mailbox copy some other way).
    const bare = (await mail(GOOD, 'forms again')).toString('latin1').replace(/^Message-ID: .*\r?\n/im, '');
    expect(bare).not.toMatch(/^Message-ID:/im);
    await dovecot.append(USER, Buffer.from(bare, 'latin1'));
    const c = await waitForCaseState<{ state: string; card?: { last4: string } }>(
      { ...env, LICENSEDESK_SECRET: SECRET_A },
      GOOD,
      ['transferred', 'waiting-partner', 'held', 'rejected'],
      60_000,
    );
    expect(c.state).toBe('transferred');
    expect(c.card?.last4).toBe(DIGITS.slice(-4));
    const done = await smtp.waitFor(
      (m) => mailCase(m) === GOOD && mailKind(m) === 'transferred',
      30_000,
      'the transferred mail',
    );
    sentUnderA = done.parsed.messageId!;
    await until(
      'both resend-instructions answers',
      30_000,
      async () => smtp.messages().filter((m) => mailKind(m) === 'resend-instructions').length >= 2,
    );
    const q = await until("the stranger's mail in quarantine", 30_000, async () => {
      const list = await cliJson<Array<{ id: string; from: string }>>(['quarantine', 'list'], {
        ...env,
        LICENSEDESK_SECRET: SECRET_A,
      });
      return list.find((m) => m.from === 'someone@elsewhere.example');
    });
    strangerId = q.id;
    // The desk's private temp folder exists while it runs and is removed when it stops.
    const privateTmp = join(tmpdir(), `licensedesk-${process.getuid?.() ?? 'user'}`, String(desk.proc.pid));
    const whileRunning = existsSync(privateTmp) ? statSync(privateTmp).mode & 0o777 : 'missing';
    await stopDesk();
    expect(whileRunning).toBe(0o700);
    expect(existsSync(privateTmp)).toBe(false);
  }, 150_000);

  it('secret rotate re-seals every stored mail under B, prints counts, and a second run has nothing left to do', async () => {
    const rotEnv = { ...env, LICENSEDESK_SECRET: SECRET_B, LICENSEDESK_SECRET_PREVIOUS: SECRET_A };
    const first = await cliJson<{ messages: number; resealed: number; alreadyCurrent: number; unreadable: number }>(
      ['secret', 'rotate'],
      rotEnv,
    );
    expect(first.messages).toBeGreaterThanOrEqual(3);
    expect(first.resealed).toBe(first.messages);
    expect(first.unreadable).toBe(0);
    const second = await cliJson<{ messages: number; resealed: number; alreadyCurrent: number }>(
      ['secret', 'rotate'],
      rotEnv,
    );
    expect(second).toMatchObject({ messages: first.messages, resealed: 0, alreadyCurrent: first.messages });
    const text = await runCli(['secret', 'rotate'], rotEnv);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/0 re-sealed/);
    // Every sealed body now names B's key.
    const r = new Redis(redis.url);
    try {
      const ids = await r.zrange(`{${PREFIX}}:msg:all`, '0', '-1');
      const kids = await Promise.all(
        ids.map(async (id) => SecretBox.keyIdOf((await r.hgetBuffer(`{${PREFIX}}:msg:${id}`, 'raw'))!)),
      );
      expect(new Set(kids)).toEqual(new Set([new SecretBox(SECRET_B).keyId]));
    } finally {
      r.disconnect();
    }
  }, 60_000);

  it('a desk given only the new secret reads stored mail (a released quarantined mail is processed) and threads a reply to mail signed under the old one', async () => {
    const envB = { ...env, LICENSEDESK_SECRET: SECRET_B };
    // Only a desk given B runs now, whatever an earlier failure left behind.
    if (desk) {
      await desk.stop();
      desk = undefined;
    }
    desk = startDesk(envB);
    const rel = await runCli(['quarantine', 'release', strangerId, '--by', 'rep@desk.test'], envB);
    expect(rel.code, rel.stderr).toBe(0);
    const c = await waitForCaseState<{ state: string }>(
      envB,
      STRANGER_CASE,
      ['transferred', 'waiting-partner', 'held', 'rejected'],
      60_000,
    );
    expect(c.state).toBe('transferred');
    // A reply to the 'transferred' mail sent under A, its subject without the case number.
    const reply = await partnerMail('Re: thanks', [], {
      headers: { 'In-Reply-To': sentUnderA, References: sentUnderA },
    });
    const replyId = /^Message-ID: (.+)$/im.exec(reply.toString('latin1'))![1]!.trim();
    await dovecot.append(USER, reply);
    const onCase = await until('the reply on its case', 60_000, async () => {
      const doc = await cliJson<{ messages: Array<{ messageId?: string }> }>(['case', 'show', GOOD], envB);
      return doc.messages.some((m) => m.messageId === replyId) && doc;
    });
    expect(onCase).toBeTruthy();
    expect(
      smtp
        .messages()
        .filter((m) => mailKind(m) === 'resend-instructions' && String(m.parsed.inReplyTo ?? '') === replyId),
    ).toEqual([]);
  }, 150_000);

  it("DSK-5 DSK-11 once the cases are decided and their fees charged no copy of the card's digits is left: Redis (sealed values opened), every IMAP folder, /tmp, every mail", async () => {
    // DSK-11: billing may still charge a decided case's card; once it records the fees charged, the form goes.
    const envB = { ...env, LICENSEDESK_SECRET: SECRET_B };
    const due = await cliJson<Array<{ case: string }>>(['fees', 'list', '--state', 'due', '--json'], envB);
    expect(due.length).toBeGreaterThan(0);
    for (const n of new Set(due.map((f) => f.case))) {
      const r = await runCli(['fees', 'charged', n, '--ref', `T-${n}`, '--by', 'billing@desk.test'], envB);
      expect(r.code, r.stderr).toBe(0);
    }
    // The card-strip jobs and the ingester's next pass (it rescans at least every 10 s).
    const mailbox = await until('mailbox copies without the card form', 90_000, async () => {
      const all = await imapAll();
      return all.length >= 4 && all.every((m) => findNeedles(m.folder, m.deep, NEEDLES).length === 0) && all;
    });
    // Processed, and Quarantine for the released stranger's mail (it was replaced where it lay).
    const processed = mailbox.filter((m) => m.folder !== 'INBOX');
    const stripped = processed.filter((m) => /X-Licensedesk-Card-Form-Removed: card\.pdf/i.test(m.raw));
    expect(stripped.length, processed.map((m) => m.raw.slice(0, 400)).join('\n---\n')).toBeGreaterThanOrEqual(4);
    expect(stripped.filter((m) => /^Subject: forms again/im.test(m.raw))).toHaveLength(1); // the one without a Message-ID
    for (const m of stripped) {
      expect(m.raw).toMatch(/card-form-removed\.txt/);
      expect(m.raw).toMatch(/transfer\.pdf/); // the transfer form is kept
    }
    const hitsRedis = (await redisText()).flatMap((k) => findNeedles(`redis ${k.key}`, k.text, NEEDLES));
    expect(hitsRedis.map((h) => `${h.where}: …${h.context}…`)).toEqual([]);
    const skip = [dovecot.dir, redis.dir];
    const hitsTmp: string[] = [];
    for (const f of tmpFiles('/tmp', skip)) {
      let text = '';
      try {
        const bytes = readFileSync(f);
        // Files as they are, and a PDF's field values (qpdf's temporary copies would be PDFs).
        text = bytes.subarray(0, 1024).includes('%PDF-') ? await deepText(bytes) : bytes.toString('latin1');
      } catch {
        continue;
      }
      if (NEEDLES.some((n) => n.text && text.includes(n.text))) hitsTmp.push(f);
    }
    expect(hitsTmp).toEqual([]);
    const hitsMail = smtp
      .messages()
      .flatMap((m) => findNeedles(`mail ${mailKind(m)}`, `${m.raw}\n${m.parsed.text ?? ''}`, NEEDLES));
    expect(hitsMail).toEqual([]);
  }, 150_000);

  let floodIds: string[] = [];
  it(`a case flooded with ${FLOOD} mails keeps its last 50 on its record and counts them all`, async () => {
    const envB = { ...env, LICENSEDESK_SECRET: SECRET_B };
    for (let i = 0; i < FLOOD; i++) await dovecot.append(USER, await partnerMail(`[Case ${FLOODED}] note ${i}`, []));
    const doc = await until('every flood mail on the case', 150_000, async () => {
      const d = await cliJson<{ messageCount?: number; messages: Array<{ id: string; subject: string }> }>(
        ['case', 'show', FLOODED],
        envB,
      ).catch(() => undefined);
      return d?.messageCount === FLOOD && d;
    });
    expect(doc.messages).toHaveLength(50);
    expect(doc.messages.at(-1)?.subject).toMatch(/note \d+/);
    floodIds = doc.messages.map((m) => m.id);
  }, 180_000);

  it('after LICENSEDESK_RETENTION_DAYS the stored mail, its index entries, the outbox records and the IMAP copies are gone', async () => {
    await stopDesk();
    const later = new Date(Date.now() + 31 * 86_400_000).toISOString();
    const envLater = { ...env, LICENSEDESK_SECRET: SECRET_B, LICENSEDESK_FAKE_NOW: later };
    desk = startDesk(envLater);
    const r = new Redis(redis.url);
    const tag = `{${PREFIX}}`;
    try {
      expect(await r.zcard(`${tag}:msg:all`)).toBeGreaterThanOrEqual(5);
      const outboxBefore = await r.zrange(`${tag}:outbox:all`, '0', '-1');
      expect(outboxBefore.length).toBeGreaterThan(0);
      // Run the sweep now (an operator's override; its scheduler would run it within 5 minutes).
      let seen = '';
      await until('the sweep ran', 60_000, async () => {
        const jobs = await cliJson<Array<{ id: string; name: string; state: string }>>(['jobs', 'list'], envLater);
        const sweep = jobs.find((j) => j.name === 'sweep' && j.state === 'delayed');
        if (sweep) await runCli(['jobs', 'promote', sweep.id], envLater);
        const outboxLeft = (await r.zrange(`${tag}:outbox:all`, '0', '-1')).filter((id) => outboxBefore.includes(id));
        seen = `jobs ${JSON.stringify(jobs.map((j) => [j.id, j.name, j.state]))}; msg:all ${await r.zcard(`${tag}:msg:all`)}; outbox left ${outboxLeft.length}; due ${JSON.stringify(await r.zrange(`${tag}:msg:retentionDue`, '0', '-1', 'WITHSCORES'))}`;
        // Only the open case's listed mail stays (its case has not ended); the 5 dropped from its list go too.
        const kept = await r.zrange(`${tag}:msg:all`, '0', '-1');
        return kept.length === floodIds.length && kept.every((id) => floodIds.includes(id)) && outboxLeft.length === 0;
      }).catch((e: Error) => {
        throw new Error(`${e.message}\n${seen}\n${desk?.logs().slice(-3000)}`);
      });
      const left = (await r.keys(`${tag}:*`)).filter((k) => /:(msg|outbox|quarantine)(:|$)/.test(k));
      const bodies = left.filter(
        (k) =>
          (/:msg:[0-9a-f]{32}$/.test(k) && !floodIds.some((id) => k.endsWith(id))) ||
          outboxBefore.some((id) => k === `${tag}:outbox:${id}`),
      );
      expect(bodies).toEqual([]);
      // The index entries left are the open case's mail's, one each.
      expect(await r.hlen(`${tag}:msg:byMessageId`)).toBe(floodIds.length);
      expect(await r.hlen(`${tag}:msg:byUid`)).toBe(floodIds.length);
      expect(await r.zcard(`${tag}:msg:retentionDue`)).toBe(0);
      expect(await r.zcard(`${tag}:quarantine`)).toBe(0);
    } finally {
      r.disconnect();
    }
    await until(
      'the mailbox copies deleted',
      60_000,
      async () =>
        (await imapAll()).filter((m) => m.folder !== 'INBOX' && !/Subject: \[Case 410003\] note/.test(m.raw)).length ===
        0,
    );
    await stopDesk();
  }, 180_000);
});
