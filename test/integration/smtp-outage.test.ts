/**
 * An SMTP outage loses no mail: partner decision mail that falls
 * due while the SMTP server is down is retried with backoff until the server
 * is back, and arrives exactly once; the hourly reply limit counts mails sent,
 * not failed attempts. Reps hear once about a mail that has kept failing for
 * an hour (the desk's clock moved on by restarting it with
 * LICENSEDESK_FAKE_NOW two hours ahead).
 */
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { mailCase, mailKind, runCli, startDesk, waitForCaseState, type DeskProcess } from '../support/desk-process.js';
import { loadCases, loadMail, loadRegistry, type LoadCase } from '../support/load-cases.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink, type ReceivedMail } from '../../embedded/smtp-sink.js';
import { waitFor } from '../../embedded/net.js';
import { deskEnv, WAREHOUSE_ADDRESS } from '../support/desk-env.js';

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess | undefined;
let env: Record<string, string>;
const USER = 'desk-outage';
const REPS = 'reps@desk.test';
const RUN = String(Date.now());
// Ten AltiGen moves and two SWAPs: twelve partner `transferred` mails.
const all = loadCases(40);
const moved = all
  .filter((c) => c.kind === 'good')
  .slice(0, 10)
  .concat(all.filter((c) => c.kind === 'swap').slice(0, 2));
const outage = all.filter((c) => c.kind === 'good').slice(10, 12);

const messageId = (m: ReceivedMail) => String(m.parsed.messageId ?? '');
const transferredTo = (c: LoadCase) =>
  smtp.messages().filter((m) => mailCase(m) === c.number && mailKind(m) === 'transferred');

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'outage',
      LICENSEDESK_REPS_ADDRESS: REPS,
      LICENSEDESK_WAREHOUSE_ADDRESS: WAREHOUSE_ADDRESS,
      // The default limit (5 an hour per partner and case): failed attempts must not use it up.
      LICENSEDESK_REPLY_LIMIT_PER_HOUR: undefined,
      LICENSEDESK_MAIL_RETRY_BASE_MS: '250',
      LICENSEDESK_MAIL_RETRY_MAX_MS: '2000',
    },
  );
  const file = join(tmpdir(), `ld-outage-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(loadRegistry([...moved, ...outage])));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  expect(imp.code, imp.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  if (desk) expect(await desk.stop()).toBe(0);
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('SMTP outage', () => {
  it('partner decision mail due while SMTP is down ~18 s arrives exactly once after it is back, none suppressed by the hourly limit', async () => {
    const stoppedAt = Date.now();
    await smtp.stop();
    desk = startDesk(env);
    for (const c of moved) await dovecot.append(USER, await loadMail(c, RUN));
    // Every case is decided and moved while no mail can go out.
    for (const c of moved) {
      const s = await waitForCaseState(
        env,
        c.number,
        ['transferred', 'follow-up', 'waiting-partner', 'held', 'rejected'],
        90_000,
      );
      expect(s.state, c.number).toBe(c.kind === 'swap' ? 'follow-up' : 'transferred');
    }
    // SMTP stays down 18 s in all, far longer than the retries' backoff (0.25 s doubling to 2 s: 8 or more attempts a
    // mail, beyond the 5 an hour the reply limit allows, so counting attempts would suppress the mail).
    await new Promise((r) => setTimeout(r, Math.max(0, 18_000 - (Date.now() - stoppedAt))));
    await smtp.start();

    await waitFor(
      () => moved.every((c) => transferredTo(c).length > 0),
      60_000,
      'every partner transferred mail after SMTP came back',
    );
    // Give a duplicate the time to show: two retry rounds at the longest backoff.
    await new Promise((r) => setTimeout(r, 4_000));
    for (const c of moved) {
      const got = transferredTo(c);
      expect(got.length, `case ${c.number} transferred mails`).toBe(1);
      expect(got[0]!.envelopeTo).toEqual([c.from]);
    }
    const ids = smtp.messages().map(messageId);
    expect(new Set(ids).size, 'no Message-ID twice').toBe(ids.length);
    expect(desk.logs()).not.toMatch(/suppressed by the hourly limit/);
    // Reps heard of every new case too, once each.
    for (const c of moved)
      expect(smtp.messages().filter((m) => mailCase(m) === c.number && mailKind(m) === 'rep-new-case').length).toBe(1);
    // Retried for minutes, not an hour: no alert yet.
    expect(smtp.messages().filter((m) => mailKind(m) === 'rep-mail-failing')).toEqual([]);
  }, 240_000);

  it('reps get one rep-mail-failing mail when a mail has kept failing for an hour, and the mail itself still arrives once', async () => {
    await smtp.stop();
    for (const c of outage) await dovecot.append(USER, await loadMail(c, RUN));
    for (const c of outage) await waitForCaseState(env, c.number, ['transferred'], 90_000);
    await waitFor(
      () => (desk!.logs().match(/mail not sent; it will be tried again/g) ?? []).length > 30,
      30_000,
      'failed attempts',
    );
    // Two hours later by the desk's clock: the same mail jobs fail again, now for over an hour.
    expect(await desk!.stop()).toBe(0);
    desk = startDesk({ ...env, LICENSEDESK_FAKE_NOW: new Date(Date.now() + 2 * 3600_000).toISOString() });
    await waitFor(
      () => /mail not sent; it will be tried again/.test(desk!.logs()),
      30_000,
      'a failed attempt after the hour',
    );
    await new Promise((r) => setTimeout(r, 5_000));
    await smtp.start();

    await waitFor(() => outage.every((c) => transferredTo(c).length > 0), 60_000, 'the delayed transferred mails');
    // Two retry rounds at the longest backoff for a duplicate to show.
    await new Promise((r) => setTimeout(r, 4_000));
    for (const c of outage) expect(transferredTo(c).length, c.number).toBe(1);
    const alerts = smtp.messages().filter((m) => mailKind(m) === 'rep-mail-failing');
    // One alert per mail that kept failing (a partner's transferred and reps' rep-new-case for each case), never two for one mail.
    const about = alerts.map((m) => m.parsed.text ?? '').map((t) => /Mail:\s+(\S+)/.exec(t)?.[1]);
    expect(new Set(about).size).toBe(alerts.length);
    for (const c of outage)
      expect(
        about.some((id) => id?.startsWith(`case.${c.number}.transferred.`)),
        JSON.stringify(about),
      ).toBe(true);
    for (const a of alerts) {
      expect(a.envelopeTo).toEqual([REPS]);
      expect(a.parsed.text).toMatch(/has failed to send since/);
    }
  }, 240_000);
});
