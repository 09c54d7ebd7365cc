/**
 * Review: the case's forms against the program's rules and a registry
 * snapshot, then the workflow's next state, committed with compare-and-set.
 */
import type { Job } from 'bullmq';
import type { DeskContext } from '../lib/desk-context.js';
import { afterReview } from '../workflows/case-workflow.js';
import { OPEN_STATES } from '../workflows/case-states.js';
import { runEffects } from './effects.js';
import { reviewCase } from './program-review.js';
import type { ReviewJob } from './queues.js';

export function reviewProcessor(ctx: DeskContext) {
  return async (job: Job<ReviewJob>): Promise<string> => {
    const { caseNumber, reason } = job.data;
    for (let attempt = 0; attempt < 20; attempt++) {
      const stored = await ctx.cases.get(caseNumber);
      if (!stored) return 'no such case';
      if (!OPEN_STATES.includes(stored.doc.state)) return `case is ${stored.doc.state}; nothing to review`;
      const now = ctx.clock.now();
      const review = await reviewCase(ctx, stored.doc, now);
      const step = afterReview(stored.doc, review, now, reason);
      const res = await ctx.cases.commit({
        doc: step.doc, expectedVersion: stored.version, expectedStates: OPEN_STATES,
        audit: [{ at: now.toISOString(), actor: 'review', action: step.action, from: stored.doc.state, to: step.doc.state, reason: step.reason }],
      });
      if (!res.ok) continue; // someone changed the case meanwhile: review again
      await runEffects(ctx, step.doc, step.effects);
      return step.doc.state;
    }
    throw new Error(`case ${caseNumber} kept changing during review; will retry`);
  };
}
