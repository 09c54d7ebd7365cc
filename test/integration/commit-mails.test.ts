/**
 * The mails of one commit go out in one notify job: a case completed by one partner mail is read, reviewed and
 * moved in one pass, and its `rep-new-case` notice and the partner's `transferred` mail leave together. Each is
 * still sent once (DSK-4): a mail the SMTP server defers is tried again alone, and the other is not sent twice.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { waitFor } from '../../embedded/net.js';
import { mailCase, mailKind, runCli, startDesk, waitForCaseState, type DeskProcess } from '../support/desk-process.js';
import { deskEnv, WAREHOUSE_ADDRESS } from '../support/desk-env.js';
import { loadCases, loadMail, loadRegistry } from '../support/load-cases.js';

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess | undefined;
let env: Record<string, string>;
const USER = 'desk-commit-mails';
const REPS = 'reps@desk.test';
const RUN = String(Date.now());
const [moved] = loadCases(20).filter((c) => c.kind === 'good');

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'commitmails',
      LICENSEDESK_REPS_ADDRESS: REPS,
      LICENSEDESK_WAREHOUSE_ADDRESS: WAREHOUSE_ADDRESS,
      LICENSEDESK_MAIL_RETRY_BASE_MS: '250',
      LICENSEDESK_MAIL_RETRY_MAX_MS: '1000',
    },
  );
  const file = join(tmpdir(), `ld-commit-mails-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(loadRegistry([moved!])));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true });
  expect(imp.code, imp.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  if (desk) expect(await desk.stop()).toBe(0);
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('the mails of one commit', () => {
  it('DSK-4 leave together, the partner’s first; a mail the SMTP server defers is sent again alone, and neither arrives twice', async () => {
    const c = moved!;
    // The reps' mailbox is busy for the first three attempts; the partner's takes mail at once.
    smtp.deferRecipient(REPS, 3);
    desk = startDesk(env);
    await dovecot.append(USER, await loadMail(c, RUN));
    expect((await waitForCaseState(env, c.number, ['transferred', 'held', 'rejected'], 90_000)).state).toBe(
      'transferred',
    );
    const ofCase = (kind: string) => smtp.messages().filter((m) => mailCase(m) === c.number && mailKind(m) === kind);
    await waitFor(() => ofCase('rep-new-case').length > 0, 60_000, 'the reps’ notice, once their mailbox takes it');
    // Two retry rounds at the longest backoff, for a duplicate to show.
    await new Promise((r) => setTimeout(r, 2_500));
    const partner = ofCase('transferred');
    const reps = ofCase('rep-new-case');
    expect(partner.map((m) => m.envelopeTo)).toEqual([[c.from]]);
    expect(reps.map((m) => m.envelopeTo)).toEqual([[REPS]]);
    expect(smtp.deferred().get(REPS)).toBe(3);
    // The partner's answer did not wait for the reps' mailbox: it arrived before the deferred notice.
    expect(partner[0]!.receivedAt).toBeLessThan(reps[0]!.receivedAt);
    const ids = smtp.messages().map((m) => String(m.parsed.messageId ?? ''));
    expect(new Set(ids).size, 'no Message-ID twice').toBe(ids.length);
  }, 180_000);
});
