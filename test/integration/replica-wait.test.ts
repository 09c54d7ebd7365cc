/**
 * with LICENSEDESK_REDIS_WAIT_REPLICAS the ingester moves a mail out
 * of the INBOX only once a replica holds its store. Against a real master with
 * no replica the mail stays in the INBOX (the case is still worked on: the
 * store and the intake job are in the master); once a real replica attaches,
 * the next pass takes the mail again, de-duplicated (DSK-4), and moves it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { altigenRegistry, cardForm, partnerMail, transferForm } from '../support/altigen-fixture.js';
import { mailCase, mailKind, runCli, startDesk, waitForCaseState, type DeskProcess } from '../support/desk-process.js';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { freePort, waitFor } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { deskEnv } from '../support/desk-env.js';

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess | undefined;
let replica: ChildProcess | undefined;
let replicaDir: string | undefined;

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
}, 60_000);

afterAll(async () => {
  await desk?.kill();
  if (replica && replica.exitCode === null) {
    const gone = new Promise((r) => replica!.once('exit', r));
    replica.kill('SIGKILL');
    await gone;
  }
  if (replicaDir) rmSync(replicaDir, { recursive: true, force: true });
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

it('DSK-4 with WAIT 1 and no replica a stored mail stays in the INBOX; once a replica holds it, it is moved, and decided and answered once', async () => {
  const user = 'desk-wait';
  const env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(user), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'wait',
      LICENSEDESK_DESK_ADDRESS: undefined,
      LICENSEDESK_SALES_ADDRESS: undefined,
      LICENSEDESK_REPLY_LIMIT_PER_HOUR: undefined,
      LICENSEDESK_REDIS_WAIT_REPLICAS: '1',
      LICENSEDESK_REDIS_WAIT_MS: '200',
    },
  );
  const file = join(tmpdir(), `ld-wait-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(altigenRegistry()));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  rmSync(file, { force: true });
  expect(imp.code, imp.stderr).toBe(0);
  desk = startDesk(env);

  const lt = await transferForm({
    caseNumber: '200002',
    from: 'SYS-0003',
    to: 'SYS-0004',
    chassis: 'Max1000',
    keys: ['LK-0003'],
  });
  await dovecot.append(
    user,
    await partnerMail('Case 200002', [
      { name: 't.pdf', bytes: lt },
      { name: 'c.pdf', bytes: await cardForm('200002') },
    ]),
  );

  // Stored in the master and worked on, but not confirmed on a replica: it stays.
  const c = await waitForCaseState<{ state: string }>(env, '200002', [
    'transferred',
    'rejected',
    'waiting-partner',
    'held',
  ]);
  expect(c.state).toBe('transferred');
  await waitFor(
    () => /not confirmed on enough replicas/.test(desk!.logs()),
    15_000,
    'the ingester to say the mail stays',
  );
  expect((await dovecot.list(user, 'INBOX')).length).toBe(1);
  expect((await dovecot.list(user, 'Processed')).length).toBe(0);

  // A real replica attaches; the next pass (within the 10 s rescan) moves the mail.
  const port = await freePort();
  replicaDir = mkdtempSync(join(tmpdir(), 'ld-wait-replica-'));
  replica = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      replicaDir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--protected-mode',
      'no',
      '--replicaof',
      '127.0.0.1',
      String(redis.port),
    ],
    { stdio: 'ignore' },
  );
  await waitFor(
    async () => {
      const r = new Redis(redis.port, '127.0.0.1', {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      r.on('error', () => undefined);
      try {
        await r.connect();
        return /slave0:.*state=online/.test(await r.info('replication'));
      } catch {
        return false;
      } finally {
        r.disconnect();
      }
    },
    20_000,
    'the replica to be in sync',
  );
  await waitFor(
    async () => (await dovecot.list(user, 'Processed')).length === 1,
    30_000,
    'the mail to be moved to Processed',
  );
  expect((await dovecot.list(user, 'INBOX')).length).toBe(0);

  // Taken again, but decided and answered once.
  await new Promise((r) => setTimeout(r, 2_000));
  const mails = smtp.messages().filter((m) => mailCase(m) === '200002');
  expect(mails.filter((m) => mailKind(m) === 'transferred').length).toBe(1);
  const kinds = mails.map(mailKind);
  expect(new Set(kinds).size, `mails: ${kinds.join(', ')}`).toBe(kinds.length);
  expect(desk.logs()).toMatch(/"acked":0/);
}, 120_000);
