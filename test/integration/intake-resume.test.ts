/**
 * DSK-6 Every partner mail the desk took in is decided, even when its intake
 * job is lost after the mail left the INBOX (a Redis failover that promoted a
 * replica without the job, or a job that failed every attempt while Redis
 * kept going away): the ingester will not see that mail again, so the sweep
 * (every LICENSEDESK_SWEEP_SECONDS) finds the stored message still awaiting
 * intake and queues it once more. Here an ingest-only desk takes the mail in,
 * its intake job is deleted as the failover would lose it, and a whole desk
 * then starts: the partner must still get the desk's answer.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DeskRunner } from '../../workers/desk/runner.js';
import { QUEUES } from '../../workers/desk/queues.js';
import { CONTACT, partnerMail, transferForm } from '../support/altigen-fixture.js';
import { mailCase, mailKind } from '../support/desk-process.js';
import { startInProcessDesk, type InProcessDesk } from '../support/in-process-desk.js';
import { waitFor } from '../../embedded/net.js';

let desk: InProcessDesk;

beforeAll(async () => {
  desk = await startInProcessDesk('resume', { LICENSEDESK_SWEEP_SECONDS: '5' });
}, 60_000);

afterAll(async () => {
  await desk?.stop();
});

/** Takes one mail in with an ingest-only desk, then deletes its intake job; returns the stored message's id. */
async function ingestAndLoseTheJob(subject: string, caseNumber: string): Promise<string> {
  const { ctx, dovecot } = desk;
  const lt = await transferForm({
    caseNumber,
    from: 'SYS-0003',
    to: 'SYS-0002',
    chassis: 'Max2000',
    keys: ['LK-0003'],
  });
  const ingest = new DeskRunner(ctx, ['ingest']);
  ingest.start();
  await dovecot.append(desk.user, await partnerMail(subject, [{ name: 't.pdf', bytes: lt }]));
  const intake = ctx.queues[QUEUES.intake];
  let id = '';
  await waitFor(
    async () => {
      const [job] = await intake.getJobs(['waiting', 'prioritized']);
      id = job?.data.messageId ?? '';
      return id !== '' && (await dovecot.list(desk.user, 'INBOX')).length === 0;
    },
    30_000,
    'the mail stored, its intake job queued, and the mail out of the INBOX',
  );
  await ingest.stop();
  const job = await intake.getJob(`intake.${id}`);
  await job!.remove(); // what a failover to a replica without the job leaves
  expect(await intake.getJobCounts('waiting', 'prioritized', 'active', 'delayed')).toEqual({
    waiting: 0,
    prioritized: 0,
    active: 0,
    delayed: 0,
  });
  return id;
}

it('DSK-6 a stored mail whose intake job was lost after it left the INBOX is still decided: the sweep queues its intake again, and the partner is answered once', async () => {
  const { ctx, smtp } = desk;
  const id = await ingestAndLoseTheJob('Case 200001', '200001');
  const all = new DeskRunner(ctx, ['ingest', 'intake', 'review', 'transfer', 'followup', 'notify']);
  desk.runners.push(all);
  all.start();
  // No card form: the case is incomplete (ALT-5), and the partner is asked for it.
  await smtp.waitFor(
    (m) => mailCase(m) === '200001' && mailKind(m) === 'incomplete',
    60_000,
    'the partner asked for the card form',
  );
  const asked = smtp.messages().filter((m) => mailCase(m) === '200001' && mailKind(m) === 'incomplete');
  expect(asked.map((m) => m.envelopeTo)).toEqual([[CONTACT]]);
  const resumed: unknown[] = [];
  for await (const e of ctx.audit.read()) if (e.action === 'message-intake-resumed') resumed.push(e.detail);
  expect(resumed).toEqual([expect.objectContaining({ id })]);
  expect((await ctx.messages.get(id))?.state).toBe('processed');
  await all.stop();
}, 150_000);

it('DSK-6 a stored mail whose intake never finishes is not retried for ever: after five resumes it waits in the quarantine with E_INTAKE_UNFINISHED, and reps hear of it', async () => {
  const { ctx, smtp } = desk;
  const id = await ingestAndLoseTheJob('Case 200002', '200002');
  // As if five resumed jobs had each failed every attempt.
  await ctx.redis.hset(ctx.keys.message(id), 'intakeResumes', '5');
  const sweep = new DeskRunner(ctx, ['followup', 'notify']);
  desk.runners.push(sweep);
  sweep.start();
  await waitFor(
    async () => (await ctx.messages.quarantined()).some((m) => m.id === id),
    60_000,
    'the message quarantined',
  );
  const q = (await ctx.messages.quarantined()).find((m) => m.id === id)!;
  expect(q.outcome).toMatch(/^E_INTAKE_UNFINISHED: intake did not finish after 6 tries/);
  const digest = await smtp.waitFor(
    (m) =>
      m.envelopeTo.includes('reps@desk.test') &&
      mailKind(m) === 'rep-quarantine' &&
      m.parsed.text?.includes('Case 200002') === true,
    60_000,
    'reps told of the quarantined mail',
  );
  expect(digest.parsed.text).toContain('E_INTAKE_UNFINISHED');
  expect(smtp.messages().filter((m) => mailCase(m) === '200002' && m.envelopeTo.includes(CONTACT))).toEqual([]);
}, 150_000);
