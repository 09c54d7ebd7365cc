/**
 * DSK-6 A case is decided once however many reviews were asked for the same
 * state of it. Under a long queue the sweep (every LICENSEDESK_SWEEP_SECONDS)
 * found a case still `received` while intake's review waited, and asked for a
 * second review; both decided, and the partner got two `incomplete` mails
 * (found by the long chaos run). Here the review workers are held back until
 * the sweep has asked, as a long queue would.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DeskRunner } from '../../workers/desk/runner.js';
import { QUEUES } from '../../workers/desk/queues.js';
import { CONTACT, partnerMail, transferForm } from '../support/altigen-fixture.js';
import { mailCase, mailKind } from '../support/desk-process.js';
import { startInProcessDesk, type InProcessDesk } from '../support/in-process-desk.js';
import { waitFor } from '../../embedded/net.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let desk: InProcessDesk;

beforeAll(async () => {
  desk = await startInProcessDesk('once', { LICENSEDESK_SWEEP_SECONDS: '5' });
}, 60_000);

afterAll(async () => {
  await desk?.stop();
});

it("DSK-6 intake's review and the sweep's review of the same received case decide it once: one incomplete mail", async () => {
  const { ctx, dovecot, smtp, runners } = desk;
  // No card form: the case is incomplete (ALT-5), so the review asks the partner for it.
  const lt = await transferForm({
    caseNumber: '200001',
    from: 'SYS-0003',
    to: 'SYS-0002',
    chassis: 'Max2000',
    keys: ['LK-0003'],
  });
  const early = new DeskRunner(ctx, ['ingest', 'intake', 'followup']);
  runners.push(early);
  early.start();
  await dovecot.append(desk.user, await partnerMail('Case 200001', [{ name: 't.pdf', bytes: lt }]));
  await waitFor(
    async () => (await ctx.cases.get('200001'))?.doc.state === 'received',
    30_000,
    'case received, its review waiting',
  );
  // The sweep sees a case still `received` and asks for its own review: two review jobs wait for one state.
  await waitFor(
    async () => (await ctx.queues[QUEUES.review].getJobCounts('waiting', 'prioritized')).waiting! >= 2,
    15_000,
    "the sweep's review queued too",
  );
  const late = new DeskRunner(ctx, ['review', 'transfer', 'notify']);
  runners.push(late);
  late.start();
  await smtp.waitFor(
    (m) => mailCase(m) === '200001' && mailKind(m) === 'incomplete',
    30_000,
    'the partner asked for the card form',
  );
  await waitFor(
    async () => (await ctx.queues[QUEUES.review].getJobCounts('waiting', 'active')).waiting === 0,
    15_000,
    'both reviews run',
  );
  await sleep(3000);
  const asked = smtp.messages().filter((m) => mailCase(m) === '200001' && mailKind(m) === 'incomplete');
  expect(asked.map((m) => m.envelopeTo)).toEqual([[CONTACT]]);
  const decisions: string[] = [];
  for await (const e of ctx.audit.read('200001')) if (e.actor === 'review') decisions.push(e.action);
  expect(decisions).toHaveLength(1);
}, 120_000);
