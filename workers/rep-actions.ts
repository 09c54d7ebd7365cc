/**
 * A rep's decisions on a held case (CLI and console share these), and the
 * record of a physical key's return.
 */
import type { DeskContext } from '../lib/desk-context.js';
import { errors } from '../lib/errors.js';
import type { CaseDoc } from '../store/case-doc.js';
import { afterRepApproval, afterRepRejection, type Step } from '../workflows/case-workflow.js';
import { runEffects } from './effects.js';

async function decideAsRep(ctx: DeskContext, n: string, make: (doc: CaseDoc, now: Date) => Step): Promise<CaseDoc> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const stored = await ctx.cases.mustGet(n);
    if (stored.doc.state !== 'held') {
      throw errors.E_CASE_STATE(n, stored.doc.state);
    }
    const now = ctx.clock.now();
    const step = make(stored.doc, now);
    const res = await ctx.cases.commit({
      doc: step.doc, expectedVersion: stored.version, expectedStates: ['held'],
      audit: [{ at: now.toISOString(), actor: step.doc.decision?.by ?? 'rep', action: step.action, from: 'held', to: step.doc.state, reason: step.reason }],
    });
    if (res.ok) {
      await runEffects(ctx, step.doc, step.effects);
      return step.doc;
    }
  }
  throw errors.E_CASE_CONFLICT(`case ${n}`);
}

export function approveCase(ctx: DeskContext, n: string, by: string, note?: string): Promise<CaseDoc> {
  return decideAsRep(ctx, n, (doc, now) => afterRepApproval(doc, by, note, now));
}

export function rejectCase(ctx: DeskContext, n: string, by: string, reason: string): Promise<CaseDoc> {
  return decideAsRep(ctx, n, (doc, now) => afterRepRejection(doc, by, reason, now));
}
