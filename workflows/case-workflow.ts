/**
 * The case workflow: from a review, a transfer or a rep's word to the next
 * state of the case and the effects that follow. Pure: no Redis, no mail.
 */
import { decide, type Decision } from '../domain/decision.js';
import type { ProgramDefinition, ProgramEnv, TransferFacts } from '../domain/program.js';
import type { Finding } from '../domain/finding.js';
import { formatMinor, toMinor } from '../lib/money.js';
import type { CaseDoc, CasePlan, FeeRecord } from '../domain/case-doc.js';
import { canTransition, type CaseState } from '../domain/case-states.js';
import type { Effect } from '../domain/effects.js';
import { replyFormsFor } from './reply-forms.js';

type Program = ProgramDefinition<unknown>;

/** The rule a held or late case cites for its deadline: the program's (ALT-8), else the desk's (DSK-7). */
export const deadlineRule = (program: Program): string => program.deadline.rule ?? 'DSK-7';

/** What a program's review gives the workflow. */
export interface ProgramReview {
  findings: Finding[];
  fees: FeeRecord[];
  plan: CasePlan;
}

export interface Step {
  doc: CaseDoc;
  effects: Effect[];
  action: string;
  reason: string;
}

const STATE_OF: Record<Decision['outcome'], CaseState> = {
  move: 'approved',
  incomplete: 'waiting-partner',
  hold: 'held',
  reject: 'rejected',
};

export function failing(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.outcome === 'fail');
}

export function afterReview(program: Program, prev: CaseDoc, review: ProgramReview, now: Date, step: string): Step {
  const decision = decide(review.findings);
  const next = STATE_OF[decision.outcome];
  if (!canTransition(program.states, prev.state, next)) {
    throw new Error(`workflow: ${prev.state} -> ${next} is not allowed for ${prev.program}`);
  }
  const doc: CaseDoc = structuredClone(prev);
  doc.state = next;
  doc.findings = review.findings;
  doc.fees = decision.outcome === 'move' || decision.outcome === 'hold' ? review.fees : [];
  doc.plan = review.plan;
  doc.decision = { outcome: decision.outcome, at: now.toISOString(), by: 'review' };
  doc.reviewedFor = step;
  doc.updatedAt = now.toISOString();
  const effects: Effect[] = [];
  const complete = decision.outcome === 'move' || decision.outcome === 'hold';
  if (complete && !prev.completeAt) {
    // ALT-8 (and the desk's promise for every program): the hours run from the receipt of complete forms.
    doc.completeAt = now.toISOString();
    doc.deadlineAt = new Date(now.getTime() + program.deadline.hours * 3600_000).toISOString();
    doc.cycle = prev.cycle + 1;
    effects.push({ type: 'schedule-deadlines' });
  }
  if (!complete && prev.completeAt) {
    // Forms became incomplete again (a later mail replaced a good form).
    doc.completeAt = undefined;
    doc.deadlineAt = undefined;
    effects.push({ type: 'cancel-deadlines' });
  }
  const fails = failing(review.findings);
  switch (decision.outcome) {
    case 'move':
      effects.push({ type: 'transfer' });
      break;
    case 'hold':
      effects.push({
        type: 'mail',
        // DSK-9: a case held on what was read from paper asks reps to confirm the values (rep-paper).
        kind: review.findings.some((f) => f.outcome === 'hold' && f.rule === 'DSK-9') ? 'rep-paper' : 'rep-held',
        to: 'reps',
        step,
        data: { holding: review.findings.filter((f) => f.outcome === 'hold') },
      });
      break;
    case 'incomplete':
      effects.push({
        type: 'mail',
        kind: 'incomplete',
        to: 'partner',
        step,
        data: { failing: fails, replyForms: replyFormsFor(prev, fails) },
      });
      // DSK-10: reminded, then closed, unless the partner writes first.
      effects.push({ type: 'schedule-partner-timers' });
      break;
    case 'reject':
      effects.push({
        type: 'mail',
        kind: 'rejected',
        to: 'partner',
        step,
        data: { failing: fails.filter((f) => f.fixable === false) },
      });
      effects.push({ type: 'cancel-deadlines' });
      break;
  }
  const reason = decision.reasons.map((f) => `${f.rule} ${f.outcome}`).join(', ') || 'every rule passes';
  return { doc, effects, action: 'reviewed', reason };
}

/** The licenses moved (the commit script has written them). */
export function afterTransfer(program: Program, prev: CaseDoc, now: Date, env: ProgramEnv): Step {
  const doc: CaseDoc = structuredClone(prev);
  const plan = prev.plan;
  const followUps = (plan?.keyReturns ?? []).map((k) => ({
    fk: k.fk,
    dueAt: new Date(now.getTime() + k.dueInDays * 86_400_000).toISOString(),
  }));
  const facts: TransferFacts = {
    caseNumber: prev.number,
    step: `cycle-${prev.cycle}`,
    moves: plan?.moves ?? [],
    accountTransfers: plan?.accountTransfers ?? [],
    forfeited: plan?.forfeit ?? [],
    disabled: plan?.disableSystems ?? [],
    keyFollowUps: followUps,
  };
  const completion = plan ? program.complete(plan, facts) : { state: 'transferred' as const, effects: [] };
  doc.state = completion.state;
  doc.moves = facts.moves;
  if (followUps.length > 0) doc.keyFollowUps = followUps;
  doc.transferredAt = now.toISOString();
  doc.updatedAt = now.toISOString();
  const total = doc.fees.reduce((sum, f) => sum + toMinor(f.amount), 0);
  const currency = doc.fees[0]?.currency ?? '';
  const effects: Effect[] = [
    { type: 'cancel-deadlines' },
    {
      type: 'mail',
      kind: 'transferred',
      to: 'partner',
      step: facts.step,
      data: {
        ...program.transferredMail(facts, plan?.extra, env),
        fees: doc.fees,
        total: `${formatMinor(total)} ${currency}`.trim(),
        cardLast4: doc.card?.last4,
      },
    },
    ...completion.effects,
  ];
  if (followUps.length > 0) effects.push({ type: 'schedule-key-followups' });
  const what =
    doc.moves.length > 0
      ? `${doc.moves.length} license(s) moved`
      : `${facts.accountTransfers.length} quantity line(s) transferred`;
  return { doc, effects, action: 'transferred', reason: what };
}

/** SWP-6: a key's return was recorded; the case closes when every key is back. */
export function afterKeyReturned(prev: CaseDoc, fk: string, by: string, now: Date): Step {
  const doc: CaseDoc = structuredClone(prev);
  doc.keyFollowUps = (prev.keyFollowUps ?? []).map((k) =>
    k.fk === fk && !k.returnedAt ? { ...k, returnedAt: now.toISOString(), returnedBy: by } : k,
  );
  const open = doc.keyFollowUps.filter((k) => !k.returnedAt && !k.billedAt);
  if (prev.state === 'follow-up' && open.length === 0)
    doc.state = doc.keyFollowUps.some((k) => k.billedAt) ? 'billed' : 'closed';
  doc.updatedAt = now.toISOString();
  return { doc, effects: [], action: 'key-returned', reason: `${fk} returned, recorded by ${by}` };
}

/** SWP-6: seven days passed and the key is not back: sales bills it. */
export function afterKeyNotReturned(
  prev: CaseDoc,
  fk: string,
  bill: Record<string, unknown>,
  reason: string,
  now: Date,
): Step {
  const doc: CaseDoc = structuredClone(prev);
  doc.keyFollowUps = (prev.keyFollowUps ?? []).map((k) => (k.fk === fk ? { ...k, billedAt: now.toISOString() } : k));
  const open = doc.keyFollowUps.filter((k) => !k.returnedAt && !k.billedAt);
  if (open.length === 0) doc.state = 'billed';
  doc.updatedAt = now.toISOString();
  return {
    doc,
    action: 'key-billed',
    reason,
    effects: [{ type: 'mail', kind: 'sales-bill', to: 'sales', step: `bill-${fk}`, data: { fk, ...bill } }],
  };
}

/** The commit script refused the move: something changed since review. */
export function afterFailedTransfer(program: Program, prev: CaseDoc, why: string, now: Date): Step {
  const doc: CaseDoc = structuredClone(prev);
  doc.state = 'held';
  doc.findings = [
    ...prev.findings,
    {
      rule: deadlineRule(program),
      outcome: 'hold',
      message: `The move could not be made: ${why}. A rep must look at the registry.`,
    },
  ];
  doc.updatedAt = now.toISOString();
  return {
    doc,
    action: 'transfer-refused',
    reason: why,
    effects: [
      {
        type: 'mail',
        kind: 'rep-held',
        to: 'reps',
        step: `refused-${doc.cycle}-${now.getTime()}`,
        data: { holding: doc.findings.filter((f) => f.outcome === 'hold') },
      },
    ],
  };
}

export function afterRepApproval(
  program: Program,
  prev: CaseDoc,
  by: string,
  note: string | undefined,
  now: Date,
): Step {
  if (!canTransition(program.states, prev.state, 'approved') || prev.state !== 'held') {
    throw new Error(`case ${prev.number} is ${prev.state}; only a held case can be approved`);
  }
  const doc: CaseDoc = structuredClone(prev);
  doc.state = 'approved';
  doc.decision = { outcome: 'move', at: now.toISOString(), by: `rep:${by}`, note };
  doc.findings = [
    ...prev.findings,
    { rule: 'DSK-7', outcome: 'info', message: `Released by ${by}${note ? `: ${note}` : ''}.` },
  ];
  doc.updatedAt = now.toISOString();
  return { doc, effects: [{ type: 'transfer' }], action: 'rep-approved', reason: note ?? `approved by ${by}` };
}

export function afterRepRejection(prev: CaseDoc, by: string, reason: string, now: Date): Step {
  if (prev.state !== 'held') throw new Error(`case ${prev.number} is ${prev.state}; only a held case can be rejected`);
  const doc: CaseDoc = structuredClone(prev);
  doc.state = 'rejected';
  doc.decision = { outcome: 'reject', at: now.toISOString(), by: `rep:${by}`, note: reason };
  doc.findings = [...prev.findings, { rule: 'DSK-7', outcome: 'info', message: `Rejected by ${by}: ${reason}` }];
  doc.fees = [];
  doc.updatedAt = now.toISOString();
  return {
    doc,
    action: 'rep-rejected',
    reason,
    effects: [
      { type: 'cancel-deadlines' },
      {
        type: 'mail',
        kind: 'rejected',
        to: 'partner',
        step: 'rep',
        data: { repReason: reason, failing: failing(prev.findings) },
      },
    ],
  };
}
