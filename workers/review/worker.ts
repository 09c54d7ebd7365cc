/**
 * Review: the case's forms against the program's rules and a registry
 * snapshot, then the workflow's next state, committed with compare-and-set.
 * An approval is moved in the same pass and commit (workflows/one-pass.ts).
 */
import type { Job } from 'bullmq';
import { OPEN_STATES } from '../../domain/case-states.js';
import { afterReview } from '../../workflows/case-workflow.js';
import { runCaseStep, type NextStep, type PassRoles } from '../desk/case-step.js';
import type { DeskContext } from '../desk/context.js';
import { reviewCase, type RegistryReads } from './program-review.js';
import type { ReviewJob } from '../desk/queues.js';
import { moveInPass, transferEffectsAgain, transferEnv } from '../transfer/index.js';

/** `pass.transfer`: this process runs transfers too, so an approval is moved in the review's own pass and commit. */
export function reviewProcessor(ctx: DeskContext, pass: Pick<PassRoles, 'transfer'> = { transfer: true }) {
  const next = pass.transfer ? moveInPass : undefined;
  return (job: Job<ReviewJob>): Promise<string> => {
    const { caseNumber, reason } = job.data;
    return runCaseStep(ctx, caseNumber, async (stored, now) => {
      if (!stored) return { skip: 'no such case' };
      const program = ctx.programs.get(stored.doc.program);
      // This review approved and moved the case in one pass, and died before its effects (a stalled job, or an
      // intake retried after its commit): what the move asked for is finished, each effect once.
      if (stored.doc.reviewedFor === reason && stored.doc.transferredAt && !OPEN_STATES.includes(stored.doc.state)) {
        const effects = transferEffectsAgain(program, stored.doc, stored.doc.cycle, transferEnv(ctx));
        return { skip: `already reviewed and moved (${reason})`, ...(effects ? { doc: stored.doc, effects } : {}) };
      }
      if (!OPEN_STATES.includes(stored.doc.state)) return { skip: `case is ${stored.doc.state}; nothing to review` };
      // Asked for a state the case has left (and not the review that moved it): the change asked for its own
      // review if one was due. Without this, intake's review and the sweep's for the same `received` case,
      // both waiting in a long queue, would each decide it and mail the partner twice.
      if (job.data.asOf !== undefined && stored.doc.updatedAt !== job.data.asOf && stored.doc.reviewedFor !== reason) {
        return { skip: `case changed since this review was asked for (${reason})` };
      }
      const review = await reviewCase(ctx, stored.doc, now);
      const step = afterReview(program, stored.doc, review, now, reason);
      // A job that died after its commit and runs again (a stalled job) finds its decision made: it commits
      // nothing and only finishes the effects (their ids are deterministic, so a mail already queued is not sent twice).
      if (stored.doc.reviewedFor === reason)
        return { skip: `already reviewed (${reason})`, doc: stored.doc, effects: step.effects };
      return { step, actor: 'review', expectedStates: OPEN_STATES, next };
    });
  };
}

/**
 * The review of a mail's case in the same pass as its intake: the mail that completes a case is read, reviewed
 * and moved in one job and one commit. A review that cannot be decided now (the registry unreadable) is left to
 * the review job the intake queues instead. `reads`: what the intake read of the registry for this mail, so the
 * pass reads the registry once.
 */
export const reviewInPass =
  (move: boolean, reads?: RegistryReads): NextStep =>
  async (ctx, doc, effects, now) => {
    const asked = effects.find((e) => e.type === 'review');
    if (!asked || asked.asOf !== undefined || !OPEN_STATES.includes(doc.state)) return undefined;
    try {
      const review = await reviewCase(ctx, doc, now, reads);
      const step = afterReview(ctx.programs.get(doc.program), doc, review, now, asked.reason);
      return { step, actor: 'review', replaces: 'review', ...(move ? { next: moveInPass } : {}) };
    } catch (err) {
      ctx.log.warn({ caseNumber: doc.number, err: (err as Error).message }, 'review left to its own job');
      return undefined;
    }
  };
