/**
 * A transfer job that dies between its commit and its effects (SIGKILL, lost
 * Redis) is retried by BullMQ, finds the case already moved, and must still
 * carry out what the move asked for: the partner's `transferred` mail, the
 * sales PO, the SWP-6 key follow-ups, cancelling the ALT-8 timers. The chaos
 * test found moved cases whose partner was never told. The effects are
 * worked out again from the moved case (the same step as the move, at the
 * moment it was recorded) and run again; their deterministic job ids make
 * an effect that did go out a no-op.
 */
import type { DeskContext } from '../lib/desk-context.js';
import type { CaseDoc } from '../store/case-doc.js';
import { afterTransfer } from '../workflows/case-workflow.js';
import { runEffects } from './effects.js';

export async function replayTransferEffects(ctx: DeskContext, doc: CaseDoc, cycle: number): Promise<boolean> {
  if (!doc.transferredAt || doc.cycle !== cycle) return false;
  const again = afterTransfer({ ...structuredClone(doc), state: 'approved' }, new Date(doc.transferredAt));
  // Only what the move itself asked for, judged against the case as it is now (a key since returned is not followed up).
  await runEffects(ctx, doc, again.effects);
  return true;
}
