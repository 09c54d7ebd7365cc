/**
 * The one way a worker changes a case: read it, decide through a pure
 * workflow step, commit with the version it read (and the registry writes the
 * step makes, all in one checked Lua commit), then carry out the step's
 * effects. A commit that finds the case changed meanwhile decides again from
 * a fresh read; that retry policy lives here and nowhere else.
 */
import type { CaseDoc } from '../../domain/case-doc.js';
import type { CaseState } from '../../domain/case-states.js';
import type { Effect } from '../../domain/effects.js';
import { errors } from '../../lib/errors.js';
import type { AuditEntry } from '../../store/audit-log.js';
import type { CommitRequest, StoredCase } from '../../store/case-store.js';
import { caseCommitEvents } from '../../workflows/case-events.js';
import { ledgerWrites } from '../../workflows/fee-ledger.js';
import type { Step } from '../../workflows/case-workflow.js';
import type { DeskContext } from './context.js';
import { runEffects } from './effects.js';

/** How often a step is decided again when the case keeps changing under it, before the job is retried later. */
export const CASE_STEP_ATTEMPTS = 20;

export type RegistryWrites = Pick<CommitRequest, 'moves' | 'disableSystems' | 'forfeit' | 'accountTransfers'>;

/** What deciding on a read case gives: nothing to do, or a step to commit. */
export type CaseDecision =
  /** Nothing to commit; the effects (if any) finish work an interrupted attempt committed. */
  | { skip: string; doc?: CaseDoc; effects?: Effect[] }
  | {
      step: Step;
      /** Who acts, for the audit trail: a worker role, `rep:…`, `partner:…`. */
      actor: string;
      /** The commit is refused unless the case is still in one of these states. */
      expectedStates?: readonly CaseState[];
      /** Registry writes made in the same atomic commit. */
      writes?: RegistryWrites;
      /** Audit entries before the step's own (license movements …). */
      records?: AuditEntry[];
      /** What the worker returns once committed (default: the new state). */
      result?: string;
      /** The commit's checks refused the registry writes: what to commit instead. */
      onRefused?: (reason: string) => CaseDecision;
      /** Work to do after the effects (queue a review …). */
      after?: (doc: CaseDoc) => Promise<void>;
    };

type Decide = (stored: StoredCase | undefined, now: Date) => CaseDecision | Promise<CaseDecision>;

type Decided = Extract<CaseDecision, { step: Step }> & { ledger?: CommitRequest['ledger'] };

/**
 * The decision with its fee ledger writes (DSK-11): its case document gains the ids of the fees it assesses, so
 * the effects run on what was committed.
 */
function withLedger(ctx: DeskContext, stored: StoredCase | undefined, d: Decided, now: Date): Decided {
  const { doc, writes } = ledgerWrites(
    stored?.doc,
    d.step.doc,
    d.step.effects,
    now.toISOString(),
    ctx.config.feeRetentionDays * 86_400_000,
  );
  return { ...d, step: { ...d.step, doc }, ledger: writes };
}

function commitRequest(stored: StoredCase | undefined, d: Decided, now: Date): CommitRequest {
  const { step } = d;
  return {
    doc: step.doc,
    expectedVersion: stored?.version ?? 0,
    expectedStates: d.expectedStates,
    ...d.writes,
    ledger: d.ledger,
    // What other systems hear of this change, committed with it (an event never outlives a refused commit).
    events: caseCommitEvents(stored?.doc, step.doc, { ...d.writes, ledger: d.ledger }, step.effects, now.toISOString()),
    audit: [
      ...(d.records ?? []),
      {
        at: now.toISOString(),
        actor: d.actor,
        action: step.action,
        from: stored?.doc.state,
        to: step.doc.state,
        reason: step.reason,
      },
    ],
  };
}

async function skipped(ctx: DeskContext, d: Extract<CaseDecision, { skip: string }>): Promise<string> {
  if (d.doc && d.effects) await runEffects(ctx, d.doc, d.effects);
  return d.skip;
}

/** Read → decide → commit → effects on case `caseNumber`, deciding again while the case changes underneath. */
export async function runCaseStep(ctx: DeskContext, caseNumber: string, decide: Decide): Promise<string> {
  for (let attempt = 0; attempt < CASE_STEP_ATTEMPTS; attempt++) {
    const stored = await ctx.cases.get(caseNumber);
    const now = ctx.clock.now();
    const first = await decide(stored, now);
    if ('skip' in first) return skipped(ctx, first);
    let d = withLedger(ctx, stored, first, now);
    let res = await ctx.cases.commit(commitRequest(stored, d, now));
    if (!res.ok && !res.conflict && d.onRefused) {
      // The registry changed since review: nothing was written; commit what the workflow says instead.
      const instead = d.onRefused(res.reason);
      if ('skip' in instead) return skipped(ctx, instead);
      d = withLedger(ctx, stored, instead, now);
      res = await ctx.cases.commit(commitRequest(stored, d, now));
    }
    if (!res.ok) {
      if (res.conflict) continue;
      throw new Error(`case ${caseNumber}: commit refused: ${res.reason}`);
    }
    await runEffects(ctx, d.step.doc, d.step.effects);
    await d.after?.(d.step.doc);
    return d.result ?? d.step.doc.state;
  }
  throw errors.E_CASE_CONFLICT(`case ${caseNumber}`);
}
