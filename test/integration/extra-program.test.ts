/**
 * A fifth program plugged in from a test fixture (test/fixtures/programs/
 * tinyvox: one folder) by one more entry in the program list, driven end to
 * end on real Redis, Dovecot and SMTP: partner mail in, the move in the
 * registry, the partner's mail out with the program's own words.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { ProgramCatalog } from '../../domain/program-catalog.js';
import { PROGRAMS } from '../../domain/programs/index.js';
import { fillForm } from '../../forms/form-filler.js';
import { openDesk, type DeskContext } from '../../workers/desk/context.js';
import { DeskRunner, ROLES } from '../../workers/desk/runner.js';
import { tinyvox } from '../fixtures/programs/tinyvox/program.js';
import { mailCase, mailKind } from '../support/desk-process.js';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { waitFor } from '../../embedded/net.js';
import { mail } from '../support/programs-fixture.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { deskEnv } from '../support/desk-env.js';

const CONTACT = 'it@tinyvox-partner.example';
let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let ctx: DeskContext;
let runner: DeskRunner;

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  const config = loadConfig(
    deskEnv(
      { redisUrl: redis.url, imapUrl: dovecot.imapUrl('desk-tiny'), smtpUrl: smtp.url },
      {
        LICENSEDESK_PREFIX: 'tiny',
        LICENSEDESK_SALES_ADDRESS: undefined,
        LICENSEDESK_HTTP_PORT: undefined,
        LICENSEDESK_REPLY_LIMIT_PER_HOUR: undefined,
      },
    ),
  );
  ctx = await openDesk(config, { programs: new ProgramCatalog([...PROGRAMS, tinyvox]) });
  await ctx.registry.import({
    catalog: [{ sku: 'TV-PORT', kind: 'port', count: 1, lifecycle: 'orderable', listPrice: { USD: 10 } }],
    partners: [{ id: 'P-TV', name: 'TinyVox Partner', currency: 'USD', contacts: [CONTACT], standardDiscountPct: 0 }],
    endUsers: [{ id: 'EU-TV', name: 'Tiny End User', partnerId: 'P-TV' }],
    systems: [
      { key: 'TV-OLD', endUserId: 'EU-TV', program: 'tinyvox', registered: true },
      { key: 'TV-NEW', endUserId: 'EU-TV', program: 'tinyvox', registered: true },
    ],
    licenses: [{ key: 'TVL-1', systemKey: 'TV-OLD', sku: 'TV-PORT', quantity: 4 }],
    cases: [
      {
        number: '700001',
        partnerId: 'P-TV',
        systemKey: 'TV-NEW',
        program: 'tinyvox',
        openedAt: new Date().toISOString(),
      },
    ],
  });
  runner = new DeskRunner(ctx, [...ROLES]);
  runner.start();
});

afterAll(async () => {
  await runner?.stop();
  await ctx?.close();
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

it('a program added by one folder and one line in the list moves its case end to end (TVX-1 from the fixture)', async () => {
  const form = await fillForm('license-transfer/v1', {
    form_id: 'license-transfer/v1',
    case_number: '700001',
    partner_id: 'P-TV',
    partner_name: 'TinyVox Partner',
    contact_email: CONTACT,
    end_user_id: 'EU-TV',
    end_user_name: 'Tiny End User',
    from_system_key: 'TV-OLD',
    to_system_key: 'TV-NEW',
    to_chassis_model: 'Other',
    license_keys: 'TVL-1',
    software_only_upgrade: false,
    signer_name: 'Tia Tiny',
    signed_on: new Date().toISOString().slice(0, 10),
  });
  await dovecot.append(
    'desk-tiny',
    await mail(CONTACT, 'Case 700001 transfer', [{ name: 'transfer.pdf', bytes: form }]),
  );
  const told = await smtp.waitFor(
    (m) => mailCase(m) === '700001' && mailKind(m) === 'transferred',
    60_000,
    'the partner told of the move',
  );
  expect(told.envelopeTo).toEqual([CONTACT]);
  expect(told.parsed.subject).toContain('TinyVox licenses moved');
  expect(told.parsed.text).toContain('(TVX-1) Restart the TinyVox server');
  await waitFor(async () => (await ctx.cases.get('700001'))?.doc.state === 'transferred', 10_000, 'case transferred');
  const exported = await ctx.registry.export();
  expect(exported.licenses.find((l) => l.key === 'TVL-1')?.systemKey).toBe('TV-NEW');
  // Reps heard of the new case (DSK-7), in the spine's words with the program's id.
  const rep = smtp.messages().find((m) => mailCase(m) === '700001' && mailKind(m) === 'rep-new-case');
  expect(rep?.parsed.text).toContain('tinyvox');
});
