/**
 * LICENSEDESK_IMAP_POLL_MS: the ingester looks at the INBOX on a short
 * interval instead of waiting with IDLE (Dovecot's IDLE notice comes 0.5 s
 * after the mail). Each mail is still taken exactly once and moved out of the
 * INBOX; the speed it buys is measured by `npm run bench`, not here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import type { RegistryDocument } from '../../domain/registry-model.js';
import { openDesk, type DeskContext } from '../../workers/desk/context.js';
import { DeskRunner } from '../../workers/desk/runner.js';
import { altigenRegistry, partnerMail, transferForm } from '../support/altigen-fixture.js';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { waitFor } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { deskEnv } from '../support/desk-env.js';

let redis: RunningRedis;
let dovecot: RunningDovecot;
let ctx: DeskContext;
let runner: DeskRunner | undefined;

beforeAll(async () => {
  [redis, dovecot] = await Promise.all([startRedis(), startDovecot()]);
  ctx = await openDesk(
    loadConfig(
      deskEnv(
        { redisUrl: redis.url, imapUrl: dovecot.imapUrl('desk-poll'), smtpUrl: 'smtp://127.0.0.1:9?tls=optional' },
        {
          LICENSEDESK_PREFIX: 'poll',
          LICENSEDESK_SALES_ADDRESS: undefined,
          LICENSEDESK_HTTP_PORT: undefined,
          LICENSEDESK_REPLY_LIMIT_PER_HOUR: undefined,
          LICENSEDESK_IMAP_POLL_MS: '100',
        },
      ),
    ),
  );
  await ctx.registry.import(altigenRegistry() as unknown as RegistryDocument);
}, 60_000);

afterAll(async () => {
  await runner?.stop();
  await ctx?.close();
  await Promise.all([dovecot?.stop(), redis?.stop()]);
});

it('DSK-4 with LICENSEDESK_IMAP_POLL_MS the ingester takes each mail once, as it arrives, and moves it out of the INBOX', async () => {
  expect(ctx.config.imapPollMs).toBe(100);
  runner = new DeskRunner(ctx, ['ingest']);
  runner.start();
  const lt = await transferForm({
    caseNumber: '200001',
    from: 'SYS-0003',
    to: 'SYS-0002',
    chassis: 'Max2000',
    keys: ['LK-0003'],
  });
  for (let i = 1; i <= 3; i++) {
    const mail = await partnerMail(`Case 200001 mail ${i}`, [{ name: 't.pdf', bytes: lt }]);
    await dovecot.append('desk-poll', mail);
    await waitFor(
      async () =>
        (await ctx.redis.zcard(ctx.keys.messages())) === i && (await dovecot.list('desk-poll', 'INBOX')).length === 0,
      10_000,
      `mail ${i} taken`,
    );
  }
  // The same mail again (a partner's client re-sending it): taken in once only (DSK-4).
  await dovecot.append(
    'desk-poll',
    await partnerMail('Case 200001 mail 1', [{ name: 't.pdf', bytes: lt }], { messageId: '<same@partner.example>' }),
  );
  await dovecot.append(
    'desk-poll',
    await partnerMail('Case 200001 mail 1', [{ name: 't.pdf', bytes: lt }], { messageId: '<same@partner.example>' }),
  );
  await waitFor(async () => (await dovecot.list('desk-poll', 'INBOX')).length === 0, 10_000, 'both copies moved out');
  expect(await ctx.redis.zcard(ctx.keys.messages())).toBe(4);
  expect((await dovecot.list('desk-poll', 'Processed')).length).toBe(5);
}, 60_000);
