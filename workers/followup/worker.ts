/**
 * Fired timers. A timer re-reads the case and acts only when still due
 * (workflows/timer-steps.ts decides): a case moved before its deadline makes
 * the deadline job a no-op.
 */
import type { Job } from 'bullmq';
import { keyFollowUpDue, keyFollowUpStep, deadlineTimerStep, sweepActions } from '../../workflows/timer-steps.js';
import { runCaseStep } from '../desk/case-step.js';
import type { DeskContext } from '../desk/context.js';
import { queueReview, runEffects, scheduleDeadlines, scheduleKeyFollowUps } from '../desk/effects.js';
import {
  caseRetention,
  stripCaseCardForms,
  stripImapCopy,
  stripMessageCardForms,
  sweepRetention,
} from '../retention/index.js';
import type { TimerJob } from '../desk/queues.js';
import { sendQuarantineDigest } from '../notify/index.js';
import { casesToSweep } from './sweep-cases.js';
import { partnerAbandon, partnerReminder } from './partner-timers.js';
import { resumeLostIntakes } from '../intake/index.js';

export function followupProcessor(ctx: DeskContext) {
  return async (job: Job<TimerJob>): Promise<string> => {
    const t = job.data;
    if (t.kind === 'deadline-warning' || t.kind === 'deadline') {
      const stored = await ctx.cases.get(t.caseNumber);
      if (!stored) return 'no such case';
      const doc = stored.doc;
      const step = deadlineTimerStep(
        ctx.programs.get(doc.program),
        doc,
        { kind: t.kind, cycle: t.cycle },
        ctx.clock.now(),
      );
      if ('skip' in step) return step.skip;
      await runEffects(ctx, doc, step.effects);
      await ctx.audit.append({
        at: ctx.clock.now().toISOString(),
        actor: 'timers',
        action: step.action,
        case: doc.number,
        reason: step.reason,
      });
      return step.result;
    }
    if (t.kind === 'key-followup') return keyFollowUp(ctx, t.caseNumber, t.fk);
    if (t.kind === 'partner-reminder') return partnerReminder(ctx, t.caseNumber, t.round);
    if (t.kind === 'partner-abandon') return partnerAbandon(ctx, t.caseNumber, t.round);
    if (t.kind === 'quarantine-digest') return sendQuarantineDigest(ctx, t.digest, t.due);
    if (t.kind === 'card-strip') return stripCaseCardForms(ctx, t.caseNumber);
    if (t.kind === 'card-strip-message') return stripMessageCardForms(ctx, t.messageId);
    if (t.kind === 'card-strip-imap') return stripImapCopy(ctx, t.messageId);
    return sweep(ctx);
  };
}

/**
 * SWP-6: fired seven days after a SWAP (or promoted by an operator). Bills
 * every license moved off the key at the partner's standard price, unless the
 * key's return was recorded.
 */
function keyFollowUp(ctx: DeskContext, caseNumber: string, fk: string): Promise<string> {
  return runCaseStep(ctx, caseNumber, async (stored, now) => {
    if (!stored) return { skip: 'no such case' };
    const doc = stored.doc;
    const rules = ctx.programs.get(doc.program).keyReturns;
    if (!rules || !keyFollowUpDue(doc, fk)) return { skip: `not due (case is ${doc.state})` };
    const returned = await ctx.redis.hget(ctx.keys.keyReturns(), fk);
    const snapshot = await ctx.registry.snapshotForPartner(doc.partnerId);
    const step = keyFollowUpStep(
      rules,
      doc,
      fk,
      returned ? (JSON.parse(returned) as { by: string }).by : undefined,
      { snapshot },
      now,
    );
    return { step, actor: 'timers', expectedStates: ['follow-up'], result: step.result };
  });
}

/**
 * Delayed jobs have been seen to fire late or not at all after reconnects, so
 * the store of record is swept: every timer a case still needs is added again
 * (an existing job id makes that a no-op).
 */
async function sweep(ctx: DeskContext): Promise<string> {
  let n = 0;
  for await (const doc of casesToSweep(ctx.cases)) {
    for (const action of sweepActions(doc)) {
      switch (action) {
        case 'schedule-deadlines':
          await scheduleDeadlines(ctx, doc);
          n++;
          break;
        case 'schedule-key-followups':
          await scheduleKeyFollowUps(ctx, doc);
          n++;
          break;
        case 'schedule-partner-timers':
          await runEffects(ctx, doc, [{ type: 'schedule-partner-timers' }]);
          n++;
          break;
        case 'transfer':
          await runEffects(ctx, doc, [{ type: 'transfer' }]);
          break;
        case 'review':
          await queueReview(ctx, doc.number, `sweep-${Date.parse(doc.updatedAt)}`, doc.updatedAt);
          break;
      }
    }
    // An approved or follow-up case whose card-strip job was never queued (a crash between commit and effects).
    await caseRetention(ctx, doc);
  }
  // A stored mail whose intake job was lost (a failover) or failed every attempt: nothing else would decide it.
  return `swept ${n} case(s); ${await resumeLostIntakes(ctx)}; ${await sweepRetention(ctx)}`;
}
