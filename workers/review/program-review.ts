/**
 * Runs the case's program's pure review against a registry snapshot and turns
 * it into what the workflow needs. The snapshot is read here (a worker), or
 * taken from the intake of the same pass; the rules only ever see the snapshot.
 */
import type { CaseDoc, CasePlan, FeeRecord } from '../../domain/case-doc.js';
import { hold } from '../../domain/finding.js';
import { formatMinor } from '../../lib/money.js';
import { emptyPlan, type PlannedFee, type ProgramPlan } from '../../domain/program-plan.js';
import type { ProgramReview } from '../../workflows/case-workflow.js';
import type { DeskContext } from '../desk/context.js';
import { paperFindings, underPaperHold } from '../../workflows/paper-checks.js';
import type { RegistrySnapshot } from '../../domain/registry-model.js';

const feeRecord = (f: PlannedFee): FeeRecord => ({
  rule: f.rule,
  amount: formatMinor(f.amountMinor),
  currency: f.currency,
  description: f.description,
  ...(f.licenseKey ? { licenseKey: f.licenseKey } : {}),
});

function fromPlan(plan: ProgramPlan<unknown>): ProgramReview {
  const casePlan: CasePlan = {
    moves: plan.moves.map((m) => ({ ...m })),
    disableSystems: plan.disableSystems,
    forfeit: plan.forfeit,
    accountTransfers: plan.accountTransfers,
    keyReturns: plan.keyReturns,
    extra: plan.extra,
  };
  return { findings: plan.findings, fees: plan.fees.map(feeRecord), plan: casePlan };
}

/**
 * A PDF saved in several revisions that two readers read differently: the
 * desk cannot be sure which values the partner saw, so a rep must look.
 */
function readerHolds(doc: CaseDoc): ProgramReview['findings'] {
  return (doc.readerDisagreements ?? []).map((d) =>
    hold(
      'DSK-6',
      `The PDF ${d.file} (${d.formId}) was saved in several revisions and its fields ${d.fields.includes('*') ? '' : `(${d.fields.join(', ')}) `}read differently depending on the reader; a rep must confirm what the partner filled in.`,
    ),
  );
}

/**
 * The partner's registry snapshot as the intake of the same pass read it, and the registry version then. While the
 * version is the same (every registry write bumps it, a case opened or imported too), reading it again would give
 * the same: the review takes it, and the case from it, after one GET instead of reading both again.
 */
export interface RegistryReads {
  partnerId: string;
  snapshot: RegistrySnapshot;
  version: number;
}

export async function reviewCase(
  ctx: DeskContext,
  doc: CaseDoc,
  now: Date,
  reads?: RegistryReads,
): Promise<ProgramReview> {
  const known =
    reads &&
    reads.partnerId === doc.partnerId &&
    reads.snapshot.cases.has(doc.number) &&
    (await ctx.registry.version()) === reads.version
      ? reads
      : undefined;
  const registryCase = known?.snapshot.cases.get(doc.number) ?? (await ctx.registry.getCase(doc.number));
  if (!registryCase) {
    return fromPlan(
      emptyPlan([hold('DSK-2', `Case ${doc.number} is no longer in the registry; a rep must check it.`)]),
    );
  }
  const snapshot = known?.snapshot ?? (await ctx.registry.snapshotForPartner(doc.partnerId));
  const program = ctx.programs.get(doc.program);
  const plan = program.review(
    {
      caseNumber: doc.number,
      registryCase,
      forms: doc.forms,
      formProblems: doc.formProblems,
      discardedFields: doc.discardedFields,
      sender: doc.replyTo ?? '',
      completeAt: doc.completeAt ? new Date(doc.completeAt) : now,
    },
    snapshot,
    { now: () => now },
    { warehouseAddress: ctx.config.warehouseAddress },
  );
  const review = fromPlan(plan);
  // DSK-9: values read from paper that a rep has not confirmed decide nothing yet.
  const paper = paperFindings(doc, snapshot);
  const findings = paper.length > 0 ? [...paper, ...underPaperHold(review.findings)] : review.findings;
  return { ...review, findings: [...findings, ...readerHolds(doc)] };
}
