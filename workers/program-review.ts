/**
 * Runs the case's program's pure review against a registry snapshot and turns
 * it into what the workflow needs. The snapshot is read here (a worker); the
 * rules only ever see the snapshot.
 */
import { reviewAltigen } from '../domain/programs/altigen/review.js';
import { reviewAudium } from '../domain/programs/audium/review.js';
import { reviewAvayaSwap } from '../domain/programs/avaya-swap/review.js';
import { hold } from '../domain/finding.js';
import { reviewLumenvox } from '../domain/programs/lumenvox/review.js';
import { formatMinor } from '../domain/money.js';
import { emptyPlan, type PlannedFee, type ProgramPlan } from '../domain/program-plan.js';
import type { DeskContext } from '../lib/desk-context.js';
import type { CaseDoc, CasePlan, FeeRecord } from '../store/case-doc.js';
import type { ProgramReview } from '../workflows/case-workflow.js';

const feeRecord = (f: PlannedFee): FeeRecord => ({
  rule: f.rule, amount: formatMinor(f.amountMinor), currency: f.currency, description: f.description,
  ...(f.licenseKey ? { licenseKey: f.licenseKey } : {}),
});

function fromPlan(plan: ProgramPlan, extra: Record<string, unknown> = {}): ProgramReview {
  const casePlan: CasePlan = {
    moves: plan.moves.map((m) => ({ ...m })),
    disableSystems: plan.disableSystems,
    forfeit: plan.forfeit,
    accountTransfers: plan.accountTransfers,
    keyReturns: plan.keyReturns,
    extra: { ...plan.extra, ...extra },
  };
  return { findings: plan.findings, fees: plan.fees.map(feeRecord), plan: casePlan };
}

/**
 * A PDF saved in several revisions that two readers read differently: the
 * desk cannot be sure which values the partner saw, so a rep must look.
 */
function readerHolds(doc: CaseDoc): ProgramReview['findings'] {
  return (doc.readerDisagreements ?? []).map((d) => hold('DSK-6',
    `The PDF ${d.file} (${d.formId}) was saved in several revisions and its fields ${d.fields.includes('*') ? '' : `(${d.fields.join(', ')}) `}read differently depending on the reader; a rep must confirm what the partner filled in.`));
}

export async function reviewCase(ctx: DeskContext, doc: CaseDoc, now: Date): Promise<ProgramReview> {
  const review = await reviewProgram(ctx, doc, now);
  return { ...review, findings: [...review.findings, ...readerHolds(doc)] };
}

async function reviewProgram(ctx: DeskContext, doc: CaseDoc, now: Date): Promise<ProgramReview> {
  const registryCase = await ctx.registry.getCase(doc.number);
  const snapshot = await ctx.registry.snapshotForPartner(doc.partnerId);
  const clock = { now: () => now };
  if (!registryCase) {
    return fromPlan(emptyPlan([hold('DSK-2', `Case ${doc.number} is no longer in the registry; a rep must check it.`)]));
  }
  const base = { caseNumber: doc.number, registryCase, forms: doc.forms, formProblems: doc.formProblems, discardedFields: doc.discardedFields };
  const sender = doc.replyTo ?? '';
  switch (doc.program) {
    case 'altigen': {
      const r = reviewAltigen(base, snapshot, clock, doc.completeAt ? new Date(doc.completeAt) : now);
      const conversions = new Map(r.conversions.map((c) => [c.licenseKey, c]));
      const lt = doc.forms['license-transfer/v1'];
      const plan: ProgramPlan = {
        ...emptyPlan(r.findings),
        fees: [...r.fees, ...r.charges],
        moves: r.moves.map((m) => ({ ...m })),
      };
      const review = fromPlan(plan, {
        softwareOnly: r.softwareOnly,
        endUserId: lt?.endUserId,
        conversions: r.conversions.map((c) => ({ licenseKey: c.licenseKey, sku: c.fromSku, seats: c.seats, convertsTo: c.toSku })),
      });
      if (r.softwareOnly) {
        review.plan.moves = review.plan.moves.map((m) => ({ ...m, convertsTo: conversions.get(m.licenseKey)?.toSku }));
      }
      return review;
    }
    case 'avaya-swap':
      return fromPlan(reviewAvayaSwap(base, snapshot, clock, { warehouseAddress: ctx.config.warehouseAddress }), { warehouseAddress: ctx.config.warehouseAddress });
    case 'lumenvox':
      return fromPlan(reviewLumenvox({ ...base, sender }, snapshot, clock));
    case 'audium':
      return fromPlan(reviewAudium({ ...base, sender }, snapshot, clock));
  }
}
