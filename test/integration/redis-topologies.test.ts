/**
 * The desk on a real Redis Cluster (every key of a desk carries one hash tag,
 * so its Lua scripts and BullMQ queues live in one slot and work unchanged),
 * and through a real Sentinel.
 */
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { altigenRegistry, cardForm, partnerMail, transferForm } from '../support/altigen-fixture.js';
import { mailCase, mailKind, runCli, startDesk, waitForCaseState, type DeskProcess } from '../support/desk-process.js';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { startRedisCluster, type RunningCluster } from '../support/redis-cluster.js';
import { startRedisWithSentinel } from '../support/redis-sentinel.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { deskEnv } from '../support/desk-env.js';

let cluster: RunningCluster;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;

beforeAll(async () => {
  [cluster, dovecot, smtp] = await Promise.all([startRedisCluster(), startDovecot(), startSmtpSink()]);
  env = deskEnv(
    { redisUrl: cluster.url, imapUrl: dovecot.imapUrl('desk-cluster'), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'clus',
      LICENSEDESK_DESK_ADDRESS: undefined,
      LICENSEDESK_SALES_ADDRESS: undefined,
      LICENSEDESK_REPLY_LIMIT_PER_HOUR: undefined,
    },
  );
  const file = join(tmpdir(), `ld-cluster-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(altigenRegistry()));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  expect(imp.code, imp.stderr).toBe(0);
  desk = startDesk(env);
}, 90_000);

afterAll(async () => {
  await desk?.stop();
  await Promise.all([smtp?.stop(), dovecot?.stop(), cluster?.stop()]);
});

it('ALT-4 a partner mail moves licenses end to end on a three-node Redis Cluster', async () => {
  const lt = await transferForm({
    caseNumber: '200001',
    from: 'SYS-0001',
    to: 'SYS-0002',
    chassis: 'Max2000',
    keys: ['LK-0001', 'LK-0002'],
  });
  await dovecot.append(
    'desk-cluster',
    await partnerMail('Case 200001', [
      { name: 't.pdf', bytes: lt },
      { name: 'c.pdf', bytes: await cardForm('200001') },
    ]),
  );
  const c = await waitForCaseState<{ state: string; fees: Array<{ rule: string; amount: string }> }>(env, '200001', [
    'transferred',
    'rejected',
    'waiting-partner',
    'held',
  ]);
  expect(c.state).toBe('transferred');
  expect(c.fees.find((f) => f.rule === 'ALT-4')?.amount).toBe('300.00');
  await smtp.waitFor((m) => mailCase(m) === '200001' && mailKind(m) === 'transferred', 15_000, 'transferred mail');
  const exported = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as {
    licenses: Array<{ key: string; systemKey: string }>;
  };
  expect(exported.licenses.find((l) => l.key === 'LK-0001')?.systemKey).toBe('SYS-0002');
  expect(desk.logs()).not.toMatch(/CROSSSLOT|MOVED|ASK /);
});

it('ALT-4 the desk finds its Redis through Sentinel and moves licenses', async () => {
  const sentinel = await startRedisWithSentinel();
  const sEnv = {
    ...env,
    LICENSEDESK_REDIS_URL: sentinel.url,
    LICENSEDESK_PREFIX: 'sent',
    LICENSEDESK_IMAP_URL: dovecot.imapUrl('desk-sentinel'),
  };
  const sDesk = startDesk(sEnv);
  try {
    const file = join(tmpdir(), `ld-sentinel-registry-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(altigenRegistry()));
    const imp = await runCli(['registry', 'import', file], sEnv);
    rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
    expect(imp.code, imp.stderr).toBe(0);
    const lt = await transferForm({
      caseNumber: '200002',
      from: 'SYS-0003',
      to: 'SYS-0004',
      chassis: 'Max1000',
      keys: ['LK-0003'],
    });
    await dovecot.append(
      'desk-sentinel',
      await partnerMail('Case 200002', [
        { name: 't.pdf', bytes: lt },
        { name: 'c.pdf', bytes: await cardForm('200002') },
      ]),
    );
    const c = await waitForCaseState<{ state: string }>(sEnv, '200002', [
      'transferred',
      'rejected',
      'waiting-partner',
      'held',
    ]);
    expect(c.state).toBe('transferred');
  } finally {
    await sDesk.stop();
    await sentinel.stop();
  }
}, 60_000);
