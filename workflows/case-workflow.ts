/**
 * The case workflow: from a review, a transfer or a rep's word to the next
 * state of the case and the effects that follow. Pure: no Redis, no mail.
 */
import { decide, type Decision } from '../domain/decision.js';
import type { Finding } from '../domain/finding.js';
import { formatMinor, toMinor } from '../domain/money.js';
import type { CaseDoc, CasePlan, FeeRecord } from '../store/case-doc.js';
import { canTransition, type CaseState } from './case-states.js';
import type { Effect } from './effects.js';
import { replyFormsFor } from './reply-forms.js';

export const DEADLINE_MS = 24 * 3600_000;

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

export function afterReview(prev: CaseDoc, review: ProgramReview, now: Date, step: string): Step {
  const decision = decide(review.findings);
  const next = STATE_OF[decision.outcome];
  if (!canTransition(prev.program, prev.state, next)) {
    throw new Error(`workflow: ${prev.state} -> ${next} is not allowed for ${prev.program}`);
  }
  const doc: CaseDoc = structuredClone(prev);
  doc.state = next;
  doc.findings = review.findings;
  doc.fees = decision.outcome === 'move' || decision.outcome === 'hold' ? review.fees : [];
  doc.plan = review.plan;
  doc.decision = { outcome: decision.outcome, at: now.toISOString(), by: 'review' };
  doc.updatedAt = now.toISOString();
  const effects: Effect[] = [];
  const complete = decision.outcome === 'move' || decision.outcome === 'hold';
  if (complete && !prev.completeAt) {
    // ALT-8: the 24 hours run from the receipt of complete forms.
    doc.completeAt = now.toISOString();
    doc.deadlineAt = new Date(now.getTime() + DEADLINE_MS).toISOString();
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
      effects.push({ type: 'mail', kind: 'rep-held', to: 'reps', step, data: { holding: review.findings.filter((f) => f.outcome === 'hold') } });
      break;
    case 'incomplete':
      effects.push({ type: 'mail', kind: 'incomplete', to: 'partner', step, data: { failing: fails, replyForms: replyFormsFor(prev, fails) } });
      break;
    case 'reject':
      effects.push({ type: 'mail', kind: 'rejected', to: 'partner', step, data: { failing: fails.filter((f) => f.fixable === false) } });
      effects.push({ type: 'cancel-deadlines' });
      break;
  }
  const reason = decision.reasons.map((f) => `${f.rule} ${f.outcome}`).join(', ') || 'every rule passes';
  return { doc, effects, action: 'reviewed', reason };
}

/** The licenses moved (the commit script has written them). */
export function afterTransfer(prev: CaseDoc, now: Date): Step {
  const doc: CaseDoc = structuredClone(prev);
  const plan = prev.plan;
  const extra = plan?.extra ?? {};
  const followUps = (plan?.keyReturns ?? []).map((k) => ({ fk: k.fk, dueAt: new Date(now.getTime() + k.dueInDays * 86_400_000).toISOString() }));
  let next: CaseState = 'transferred';
  if (prev.program === 'avaya-swap') next = followUps.length > 0 ? 'follow-up' : 'closed';
  doc.state = next;
  doc.moves = plan?.moves ?? [];
  if (followUps.length > 0) doc.keyFollowUps = followUps;
  doc.transferredAt = now.toISOString();
  doc.updatedAt = now.toISOString();
  const total = doc.fees.reduce((sum, f) => sum + toMinor(f.amount), 0);
  const currency = doc.fees[0]?.currency ?? '';
  const step = `cycle-${doc.cycle}`;
  const effects: Effect[] = [
    { type: 'cancel-deadlines' },
    {
      type: 'mail', kind: 'transferred', to: 'partner', step,
      data: {
        moves: doc.moves, fees: doc.fees, total: `${formatMinor(total)} ${currency}`.trim(),
        from: doc.moves[0]?.from ?? (plan?.accountTransfers[0]?.fromAccountId), to: doc.moves[0]?.to ?? (plan?.accountTransfers[0]?.toAccountId),
        cardLast4: doc.card?.last4, disabled: plan?.disableSystems ?? [], forfeited: plan?.forfeit ?? [],
        accountTransfers: plan?.accountTransfers ?? [], keyFollowUps: followUps, program: doc.program, ...extra,
      },
    },
  ];
  if (extra.softwareOnly) {
    effects.push({ type: 'mail', kind: 'sales-po', to: 'sales', step, data: { ...extra, to: doc.moves[0]?.to } });
  }
  const buyers = Array.isArray(extra.buyerContacts) ? (extra.buyerContacts as string[]) : [];
  const transfers = plan?.accountTransfers ?? [];
  if (buyers.length > 0 && transfers.some((t) => t.kind !== 'linked-transfer')) {
    // LVX-3: completing a sale mails the buyer.
    effects.push({
      type: 'mail', kind: 'sold', to: { addresses: buyers }, step,
      data: { fromAccountId: transfers[0]?.fromAccountId, toAccountId: transfers[0]?.toAccountId, lines: transfers.map((t) => ({ product: t.product, quantity: t.quantity })) },
    });
  }
  if (followUps.length > 0) effects.push({ type: 'schedule-key-followups' });
  const what = doc.moves.length > 0 ? `${doc.moves.length} license(s) moved` : `${transfers.length} quantity line(s) transferred`;
  return { doc, effects, action: 'transferred', reason: what };
}

/** SWP-6: a key's return was recorded; the case closes when every key is back. */
export function afterKeyReturned(prev: CaseDoc, fk: string, by: string, now: Date): Step {
  const doc: CaseDoc = structuredClone(prev);
  doc.keyFollowUps = (prev.keyFollowUps ?? []).map((k) => (k.fk === fk && !k.returnedAt ? { ...k, returnedAt: now.toISOString(), returnedBy: by } : k));
  const open = doc.keyFollowUps.filter((k) => !k.returnedAt && !k.billedAt);
  if (prev.state === 'follow-up' && open.length === 0) doc.state = doc.keyFollowUps.some((k) => k.billedAt) ? 'billed' : 'closed';
  doc.updatedAt = now.toISOString();
  return { doc, effects: [], action: 'key-returned', reason: `${fk} returned, recorded by ${by}` };
}

/** SWP-6: seven days passed and the key is not back: sales bills it. */
export function afterKeyNotReturned(prev: CaseDoc, fk: string, bill: Record<string, unknown>, now: Date): Step {
  const doc: CaseDoc = structuredClone(prev);
  doc.keyFollowUps = (prev.keyFollowUps ?? []).map((k) => (k.fk === fk ? { ...k, billedAt: now.toISOString() } : k));
  const open = doc.keyFollowUps.filter((k) => !k.returnedAt && !k.billedAt);
  if (open.length === 0) doc.state = 'billed';
  doc.updatedAt = now.toISOString();
  return {
    doc, action: 'key-billed', reason: `${fk} not returned within 7 days (SWP-6): billed ${String(bill.total)} ${String(bill.currency)}`,
    effects: [{ type: 'mail', kind: 'sales-bill', to: 'sales', step: `bill-${fk}`, data: { fk, ...bill } }],
  };
}

/** The commit script refused the move: something changed since review. */
export function afterFailedTransfer(prev: CaseDoc, why: string, now: Date): Step {
  const doc: CaseDoc = structuredClone(prev);
  doc.state = 'held';
  doc.findings = [...prev.findings, { rule: 'ALT-8', outcome: 'hold', message: `The move could not be made: ${why}. A rep must look at the registry.` }];
  doc.updatedAt = now.toISOString();
  return {
    doc, action: 'transfer-refused', reason: why,
    effects: [{ type: 'mail', kind: 'rep-held', to: 'reps', step: `refused-${doc.cycle}-${now.getTime()}`, data: { holding: doc.findings.filter((f) => f.outcome === 'hold') } }],
  };
}

export function afterRepApproval(prev: CaseDoc, by: string, note: string | undefined, now: Date): Step {
  if (!canTransition(prev.program, prev.state, 'approved') || prev.state !== 'held') {
    throw new Error(`case ${prev.number} is ${prev.state}; only a held case can be approved`);
  }
  const doc: CaseDoc = structuredClone(prev);
  doc.state = 'approved';
  doc.decision = { outcome: 'move', at: now.toISOString(), by: `rep:${by}`, note };
  doc.findings = [...prev.findings, { rule: 'DSK-7', outcome: 'info', message: `Released by ${by}${note ? `: ${note}` : ''}.` }];
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
    doc, action: 'rep-rejected', reason,
    effects: [
      { type: 'cancel-deadlines' },
      { type: 'mail', kind: 'rejected', to: 'partner', step: 'rep', data: { repReason: reason, failing: failing(prev.findings) } },
    ],
  };
}
