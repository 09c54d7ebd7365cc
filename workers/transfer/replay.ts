/**
 * A transfer job that dies between its commit and its effects (SIGKILL, lost
 * Redis) is retried by BullMQ, finds the case already moved, and must still
 * carry out what the move asked for: the partner's `transferred` mail, the
 * sales PO, the SWP-6 key follow-ups, cancelling the ALT-8 timers. The chaos
 * test found moved cases whose partner was never told. The effects are
 * worked out again from the moved case (the same step as the move, at the
 * moment it was recorded); their deterministic job ids make an effect that
 * did go out a no-op.
 */
import type { CaseDoc } from '../../domain/case-doc.js';
import type { Effect } from '../../domain/effects.js';
import type { ProgramDefinition, ProgramEnv } from '../../domain/program.js';
import { afterTransfer } from '../../workflows/case-workflow.js';

export function transferEffectsAgain(
  program: ProgramDefinition<unknown>,
  doc: CaseDoc,
  cycle: number,
  env: ProgramEnv,
): Effect[] | undefined {
  if (!doc.transferredAt || doc.cycle !== cycle) return undefined;
  // Only what the move itself asked for, judged against the case as it is now (a key since returned is not followed up).
  return afterTransfer(program, { ...structuredClone(doc), state: 'approved' }, new Date(doc.transferredAt), env)
    .effects;
}
