/**
 * Webhooks as the vendor's systems receive them: a real HTTP receiver, each
 * delivery verified with the `standardwebhooks` reference implementation (not
 * the desk's code). The receiver answers 500 at first and then is down for a
 * while, and the desk is SIGKILLed while it delivers: every event still
 * arrives, once per webhook-id, and the receiver ends with the same moves as
 * `registry export`.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { freePort, waitFor } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { altigenRegistry, cardForm, partnerMail, transferForm } from '../support/altigen-fixture.js';
import { deskEnv } from '../support/desk-env.js';
import { webhookReceiver, type ReceivedEvent, type WebhookReceiver } from '../support/webhook-receiver.js';
import {
  cliJson,
  cliJsonLines,
  runCli,
  startDesk,
  waitForCaseState,
  type DeskProcess,
} from '../support/desk-process.js';

type Received = ReceivedEvent;

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;
let consolePort: number;
const METRICS_TOKEN = 'metrics-token-0123456789';
let hooks: WebhookReceiver;
let endpointId: string;
const USER = 'desk-hooks';
async function mailForms(n: string, keys: string[]): Promise<void> {
  const lt = await transferForm({ caseNumber: n, from: 'SYS-0001', to: 'SYS-0002', chassis: 'Max2000', keys });
  await dovecot.append(
    USER,
    await partnerMail(`Re: Case ${n} license transfer`, [
      { name: 'transfer.pdf', bytes: lt },
      { name: 'card.pdf', bytes: await cardForm(n) },
    ]),
  );
}

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  // The first three deliveries fail: the desk must try them again under the same webhook-id.
  hooks = await webhookReceiver((_e, nth) => (nth <= 3 ? 500 : 204));
  consolePort = await freePort();
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'hooks',
      LICENSEDESK_HTTP_PORT: String(consolePort),
      LICENSEDESK_METRICS_TOKEN: METRICS_TOKEN,
      // Retries at a test's pace: 200 ms, 600 ms, 1.2 s, 2.4 s, 6 s …
      LICENSEDESK_WEBHOOK_RETRY_BASE_MS: '200',
    },
  );
  const file = join(tmpdir(), `ld-hooks-registry-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ ...altigenRegistry(), cases: [] }));
  const imp = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true });
  expect(imp.code, imp.stderr).toBe(0);
  const added = await cliJson<{ id: string; url: string; secret: string }>(
    ['webhook', 'add', hooks.url, '--json'],
    env,
  );
  expect(added.secret).toMatch(/^whsec_/);
  hooks.secret = added.secret;
  endpointId = added.id;
  await hooks.start();
  desk = startDesk(env);
});

afterAll(async () => {
  await desk?.stop();
  await hooks.stop();
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('webhooks', () => {
  it('refuses a URL that is not http:// or https://', async () => {
    const r = await runCli(['webhook', 'add', 'file:///etc/passwd'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E_WEBHOOK_URL');
  });

  it('DSK-12 every event reaches the receiver once per webhook-id, through 500s, an outage and a SIGKILL of the desk', async () => {
    const first = await cliJson<{ number: string }>(['case', 'open', '--system', 'SYS-0002', '--json'], env);
    await mailForms(first.number, ['LK-0001']);
    expect(
      (
        await waitForCaseState<{ state: string }>(env, first.number, [
          'transferred',
          'held',
          'rejected',
          'waiting-partner',
        ])
      ).state,
    ).toBe('transferred');

    // The receiver goes away for a while; the desk opens and moves another case meanwhile.
    await hooks.stop();
    const second = await cliJson<{ number: string }>(['case', 'open', '--system', 'SYS-0002', '--json'], env);
    await mailForms(second.number, ['LK-0002']);
    expect(
      (
        await waitForCaseState<{ state: string }>(env, second.number, [
          'transferred',
          'held',
          'rejected',
          'waiting-partner',
        ])
      ).state,
    ).toBe('transferred');
    // Killed while its deliveries wait for the receiver, started again: nothing is lost.
    await desk.kill();
    desk = startDesk(env);
    await new Promise((r) => setTimeout(r, 3000));
    await hooks.start();

    const events = await cliJsonLines<Received>(['events', '--json'], env);
    // Every event after the endpoint was added: all but the import before it.
    const owed = events.filter((e) => !(e.type === 'registry.changed' && e.data.change === 'import'));
    await waitFor(() => owed.every((e) => hooks.received.some((d) => d.id === e.id)), 120_000, 'every event delivered');
    expect(hooks.forged).toEqual([]);
    const ids = hooks.received.map((d) => d.id);
    // A receiver keeps each webhook-id once; every event is there, and nothing that is not an event.
    expect([...new Set(ids)].sort()).toEqual(owed.map((e) => e.id).sort());
    for (const e of owed)
      expect(hooks.received.find((d) => d.id === e.id)).toMatchObject({ type: e.type, data: e.data });
    const types = new Set(hooks.received.map((d) => d.type));
    for (const t of ['case.opened', 'case.state-changed', 'licenses.moved', 'fee.assessed']) expect(types).toContain(t);

    // The receiver ends with the moves the registry export shows.
    const moved = new Map<string, string>();
    for (const d of hooks.received.filter((x) => x.type === 'licenses.moved'))
      for (const m of d.data.moves as Array<{ licenseKey: string; to: string }>) moved.set(m.licenseKey, m.to);
    const exported = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as {
      licenses: Array<{ key: string; systemKey: string }>;
    };
    for (const [key, to] of moved) expect(exported.licenses.find((l) => l.key === key)?.systemKey).toBe(to);
    expect([...moved.keys()].sort()).toEqual(['LK-0001', 'LK-0002']);

    // What the operator sees: nothing pending, the failed attempts recorded with their status.
    await waitFor(
      async () => (await cliJson<Array<{ pending: number }>>(['webhook', 'list', '--json'], env))[0]?.pending === 0,
      20_000,
      'nothing pending',
    );
    const attempts = await cliJson<Array<{ ok: boolean; status: number | null }>>(
      ['webhook', 'deliveries', endpointId, '--json'],
      env,
    );
    expect(attempts.filter((a) => !a.ok && a.status === 500)).toHaveLength(3);
    expect(attempts.some((a) => !a.ok && a.status === null)).toBe(true); // the outage: no answer at all

    const metrics = await (
      await fetch(`http://127.0.0.1:${consolePort}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(metrics).toContain(`licensedesk_webhook_pending{endpoint="${endpointId}"} 0`);
    const delivered = Number(
      new RegExp(`licensedesk_webhook_delivered\\{endpoint="${endpointId}"\\} (\\d+)`).exec(metrics)?.[1],
    );
    expect(delivered).toBeGreaterThanOrEqual(owed.length);
  });
});
