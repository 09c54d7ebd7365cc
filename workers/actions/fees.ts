/**
 * Billing's actions on a case's fees (DSK-11), shared by the CLI and the
 * console: each is one case step, so the case, its ledger entries, the audit
 * entry (the account that acted) and the `fee.*` events commit together, and
 * the step's effects (the `payment-declined` mail, the card form's end) follow.
 */
import type { DeskContext } from '../desk/context.js';
import { errors } from '../../lib/errors.js';
import type { CaseDoc } from '../../domain/case-doc.js';
import { afterBillingWord, type BillingWord } from '../../workflows/fee-steps.js';
import { runCaseStep } from '../desk/case-step.js';

export async function recordBillingWord(
  ctx: DeskContext,
  n: string,
  word: BillingWord,
  by: string,
  detail: { ref?: string; reason?: string },
): Promise<CaseDoc> {
  let decided: CaseDoc | undefined;
  await runCaseStep(ctx, n, (stored, now) => {
    if (!stored) throw errors.E_CASE_NOT_FOUND(n);
    const step = afterBillingWord(stored.doc, word, by, detail, now);
    decided = step.doc;
    return { step, actor: `billing:${by}` };
  });
  return decided!;
}
