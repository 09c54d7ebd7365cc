/**
 * Runs the case's program's pure review against a registry snapshot and turns
 * it into what the workflow needs. The snapshot is read here (a worker); the
 * rules only ever see the snapshot.
 */
import { reviewAltigen } from '../domain/altigen/review.js';
import { hold } from '../domain/finding.js';
import { formatMinor } from '../domain/money.js';
import type { DeskContext } from '../lib/desk-context.js';
import type { CaseDoc, FeeRecord } from '../store/case-doc.js';
import type { ProgramReview } from '../workflows/case-workflow.js';

export async function reviewCase(ctx: DeskContext, doc: CaseDoc, now: Date): Promise<ProgramReview> {
  const registryCase = await ctx.registry.getCase(doc.number);
  const snapshot = await ctx.registry.snapshotForPartner(doc.partnerId);
  const clock = { now: () => now };
  if (!registryCase) {
    return { findings: [hold('DSK-2', `Case ${doc.number} is no longer in the registry; a rep must check it.`)], fees: [], moves: [], extra: {} };
  }
  switch (doc.program) {
    case 'altigen': {
      const r = reviewAltigen(
        { caseNumber: doc.number, registryCase, forms: doc.forms, formProblems: doc.formProblems, discardedFields: doc.discardedFields },
        snapshot, clock, doc.completeAt ? new Date(doc.completeAt) : now,
      );
      const conversions = new Map(r.conversions.map((c) => [c.licenseKey, c]));
      const fees: FeeRecord[] = [
        ...r.fees.map((f) => ({ rule: f.rule, amount: formatMinor(f.amountMinor), currency: f.currency, description: f.description })),
        ...r.charges.map((c) => ({ rule: c.rule, amount: formatMinor(c.amountMinor), currency: c.currency, description: c.description, licenseKey: c.licenseKey })),
      ];
      const lt = doc.forms['license-transfer/v1'];
      return {
        findings: r.findings,
        fees,
        moves: r.moves.map((m) => ({ ...m, convertsTo: r.softwareOnly ? conversions.get(m.licenseKey)?.toSku : undefined })),
        extra: {
          softwareOnly: r.softwareOnly,
          endUserId: lt?.endUserId,
          conversions: r.conversions.map((c) => ({ licenseKey: c.licenseKey, sku: c.fromSku, seats: c.seats, convertsTo: c.toSku })),
        },
      };
    }
    default:
      // Programs not automated by this version wait for a rep, with the reason.
      return {
        findings: [hold('DSK-7', `Program ${doc.program} is not automated by this desk version; a rep must handle case ${doc.number}.`)],
        fees: [], moves: [], extra: {},
      };
  }
}
