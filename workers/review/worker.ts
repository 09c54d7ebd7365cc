/**
 * Review: the case's forms against the program's rules and a registry
 * snapshot, then the workflow's next state, committed with compare-and-set.
 */
import type { Job } from 'bullmq';
import { OPEN_STATES } from '../../domain/case-states.js';
import { afterReview } from '../../workflows/case-workflow.js';
import { runCaseStep } from '../desk/case-step.js';
import type { DeskContext } from '../desk/context.js';
import { reviewCase } from './program-review.js';
import type { ReviewJob } from '../desk/queues.js';

export function reviewProcessor(ctx: DeskContext) {
  return (job: Job<ReviewJob>): Promise<string> => {
    const { caseNumber, reason } = job.data;
    return runCaseStep(ctx, caseNumber, async (stored, now) => {
      if (!stored) return { skip: 'no such case' };
      if (!OPEN_STATES.includes(stored.doc.state)) return { skip: `case is ${stored.doc.state}; nothing to review` };
      // Asked for a state the case has left (and not the review that moved it): the change asked for its own
      // review if one was due. Without this, intake's review and the sweep's for the same `received` case,
      // both waiting in a long queue, would each decide it and mail the partner twice.
      if (job.data.asOf !== undefined && stored.doc.updatedAt !== job.data.asOf && stored.doc.reviewedFor !== reason) {
        return { skip: `case changed since this review was asked for (${reason})` };
      }
      const review = await reviewCase(ctx, stored.doc, now);
      const step = afterReview(ctx.programs.get(stored.doc.program), stored.doc, review, now, reason);
      // A job that died after its commit and runs again (a stalled job) finds its decision made: it commits
      // nothing and only finishes the effects (their ids are deterministic, so a mail already queued is not sent twice).
      if (stored.doc.reviewedFor === reason)
        return { skip: `already reviewed (${reason})`, doc: stored.doc, effects: step.effects };
      return { step, actor: 'review', expectedStates: OPEN_STATES };
    });
  };
}
