/**
 * AltiGen (docs/rules.md ALT-1 … ALT-10) as the desk sees it: its forms, rules,
 * states, completion and mail. Everything AltiGen-specific the spine needs
 * comes from here.
 */
import type { ProgramDefinition, TransferFacts } from '../../program.js';
import { STANDARD_STATES } from '../../case-states.js';
import { emptyPlan, type ProgramPlan } from '../../program-plan.js';
import { MOVE_WITHIN_MS } from './deadline.js';
import type { Conversion } from './request.js';
import { reviewAltigen } from './review.js';

/** What an AltiGen plan carries for the spine to keep (ALT-7). */
export interface AltigenDetails {
  softwareOnly: boolean;
  endUserId?: string;
  conversions: Array<{ licenseKey: string; sku: string; seats: number; convertsTo: string }>;
}

const conversionLine = (c: Conversion) => ({
  licenseKey: c.licenseKey,
  sku: c.fromSku,
  seats: c.seats,
  convertsTo: c.toSku,
});

function nextSteps(facts: TransferFacts, details: AltigenDetails): string[] {
  const from = facts.moves[0]?.from ?? '';
  const to = facts.moves[0]?.to ?? '';
  const steps = [
    `(ALT-9) Register the OLD system ${from} first. This removes the moved license(s) from it.`,
    `Then register the NEW system ${to} and enter the license key(s) listed above.`,
  ];
  if (details.softwareOnly)
    steps.push(
      `(ALT-7) This is a software-only upgrade: sales will issue the new SSW licenses listed above under a no-charge purchase order; enter them on ${to} when they arrive.`,
    );
  return steps;
}

export const altigen: ProgramDefinition<AltigenDetails> = {
  id: 'altigen',
  title: 'AltiGen',
  rulePrefix: 'ALT',
  words: ['AltiGen', 'Max1000', 'Max2000', 'SSW-'],
  auditRules: { forfeit: undefined, disable: undefined },
  forms: ['license-transfer/v1', 'card-authorization/v1', 'sso-migration/v1'],
  states: STANDARD_STATES,
  deadline: { hours: MOVE_WITHIN_MS / 3600_000, rule: 'ALT-8' },
  senders: () => [],
  answersMail: () => undefined,
  review(input, snapshot, clock): ProgramPlan<AltigenDetails> {
    const r = reviewAltigen(input, snapshot, clock, input.completeAt);
    const convertsTo = new Map(r.conversions.map((c) => [c.licenseKey, c.toSku]));
    const plan = emptyPlan<AltigenDetails>(r.findings, {
      softwareOnly: r.softwareOnly,
      endUserId: input.forms['license-transfer/v1']?.endUserId,
      conversions: r.conversions.map(conversionLine),
    });
    plan.fees = [...r.fees, ...r.charges];
    // ALT-7: a software-only upgrade reissues each moved key under its SSW name.
    plan.moves = r.moves.map((m) => ({
      ...m,
      ...(r.softwareOnly ? { convertsTo: convertsTo.get(m.licenseKey) } : {}),
    }));
    return plan;
  },
  complete(plan, facts) {
    const details = plan.extra;
    return {
      state: 'transferred',
      // ALT-7: sales issues the software-only licenses under a no-charge PO.
      effects: details.softwareOnly
        ? [
            {
              type: 'mail',
              kind: 'sales-po',
              to: 'sales',
              step: facts.step,
              // `rule`: the ledger's entry for the order (DSK-11) names it.
              data: { ...details, to: facts.moves[0]?.to, rule: 'ALT-7' },
            },
          ]
        : [],
    };
  },
  transferredMail(facts, details) {
    return {
      subject: 'Licenses moved',
      intro: `The licenses of case ${facts.caseNumber} have been moved from ${facts.moves[0]?.from ?? ''} to ${facts.moves[0]?.to ?? ''}:`,
      moved: facts.moves.map(
        (m) => `${m.licenseKey} (${m.sku ?? ''}${m.convertsTo ? `, to be reissued as ${m.convertsTo}` : ''})`,
      ),
      notes: [],
      nextSteps: nextSteps(facts, details),
    };
  },
  waitsForReactivation: () => undefined,
  keyReturns: undefined,
  activations: undefined,
  repQuestions: undefined,
};
