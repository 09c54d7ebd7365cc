/**
 * A rep's decisions on a held case (CLI and console share these), and the
 * record of a physical key's return.
 */
import type { DeskContext } from '../desk/context.js';
import { errors } from '../../lib/errors.js';
import type { CaseDoc } from '../../domain/case-doc.js';
import { afterRepApproval, afterRepRejection, type Step } from '../../workflows/case-workflow.js';
import { runCaseStep } from '../desk/case-step.js';

async function decideAsRep(ctx: DeskContext, n: string, make: (doc: CaseDoc, now: Date) => Step): Promise<CaseDoc> {
  let decided: CaseDoc | undefined;
  await runCaseStep(ctx, n, (stored, now) => {
    if (!stored) throw errors.E_CASE_NOT_FOUND(n);
    if (stored.doc.state !== 'held') {
      throw errors.E_CASE_STATE(n, stored.doc.state);
    }
    const step = make(stored.doc, now);
    decided = step.doc;
    return { step, actor: step.doc.decision?.by ?? 'rep', expectedStates: ['held'] };
  });
  return decided!;
}

export function approveCase(ctx: DeskContext, n: string, by: string, note?: string): Promise<CaseDoc> {
  return decideAsRep(ctx, n, (doc, now) => afterRepApproval(ctx.programs.get(doc.program), doc, by, note, now));
}

export function rejectCase(ctx: DeskContext, n: string, by: string, reason: string): Promise<CaseDoc> {
  return decideAsRep(ctx, n, (doc, now) => afterRepRejection(doc, by, reason, now));
}
