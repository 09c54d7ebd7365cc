/**
 * What a fired timer does, decided in pure code: the deadline warning and the
 * missed deadline (ALT-8, DSK-7), the SWP-6 key follow-up, and the sweep that
 * re-creates what a case still needs. Workers read, call these, commit and act.
 */
import type { CaseDoc } from '../domain/case-doc.js';
import { FINAL_STATES } from '../domain/case-states.js';
import type { Effect } from '../domain/effects.js';
import type { KeyReturnRules, ProgramDefinition } from '../domain/program.js';
import { formatMinor } from '../lib/money.js';
import { afterKeyNotReturned, afterKeyReturned, deadlineRule, type Step } from './case-workflow.js';

export type DeadlineTimer = { kind: 'deadline-warning' | 'deadline'; cycle: number };

/** A deadline timer of an older cycle, or of a case already moved or closed, does nothing. */
export function deadlineTimerStep(
  program: ProgramDefinition<unknown>,
  doc: CaseDoc,
  timer: DeadlineTimer,
  now: Date,
): { skip: string } | { effects: Effect[]; action: string; reason: string; result: string } {
  if (FINAL_STATES.includes(doc.state) || doc.state === 'follow-up' || doc.cycle !== timer.cycle || !doc.deadlineAt) {
    return { skip: `not due (case is ${doc.state})` };
  }
  const missed = timer.kind === 'deadline';
  const hoursLeft = Math.max(0, Math.round((Date.parse(doc.deadlineAt) - now.getTime()) / 3600_000));
  return {
    effects: [
      {
        type: 'mail',
        kind: 'rep-deadline-warning',
        to: 'reps',
        step: `${missed ? 'missed' : 'warning'}-${timer.cycle}`,
        data: { missed, hoursLeft },
      },
    ],
    action: missed ? 'deadline-missed' : 'deadline-warning',
    reason: `${deadlineRule(program)} deadline ${doc.deadlineAt}`,
    result: missed ? 'reps told: deadline missed' : 'reps warned',
  };
}

/** Whether a key follow-up fired for `fk` still has anything to do. */
export function keyFollowUpDue(doc: CaseDoc, fk: string): boolean {
  const fu = (doc.keyFollowUps ?? []).find((k) => k.fk === fk);
  return doc.state === 'follow-up' && !!fu && !fu.returnedAt && !fu.billedAt;
}

/**
 * SWP-6: seven days after the SWAP. A key whose return was recorded closes its
 * follow-up; otherwise the program bills the licenses moved off it.
 */
export function keyFollowUpStep(
  rules: KeyReturnRules,
  doc: CaseDoc,
  fk: string,
  returnedBy: string | undefined,
  bill: Omit<Parameters<KeyReturnRules['bill']>[0], 'caseNumber' | 'fk' | 'partnerId' | 'moved'>,
  now: Date,
): Step & { result: string } {
  if (returnedBy !== undefined)
    return { ...afterKeyReturned(doc, fk, returnedBy, now), result: 'returned: not billed' };
  const moved = doc.moves
    .filter((m) => m.from === fk)
    .map((m) => ({ licenseKey: m.licenseKey, sku: m.sku ?? '', quantity: m.quantity ?? 1 }));
  const b = rules.bill({ ...bill, caseNumber: doc.number, fk, partnerId: doc.partnerId, moved });
  const step = afterKeyNotReturned(doc, fk, b.mail, b.reason, now);
  step.doc.fees = [
    ...step.doc.fees,
    {
      rule: b.fee.rule,
      amount: formatMinor(b.fee.amountMinor),
      currency: b.fee.currency,
      description: b.fee.description,
      // Sales collects it with its order: the ledger shows it billed, never due on the card (DSK-11).
      billed: true,
    },
  ];
  return { ...step, result: `billed ${formatMinor(b.fee.amountMinor)} ${b.fee.currency}` };
}

/** What the sweep re-creates for one case from the store of record. */
export type SweepAction =
  'schedule-deadlines' | 'schedule-key-followups' | 'schedule-partner-timers' | 'transfer' | 'review';

export function sweepActions(doc: CaseDoc): SweepAction[] {
  const actions: SweepAction[] = [];
  if (['received', 'waiting-partner', 'held', 'approved'].includes(doc.state) && doc.completeAt)
    actions.push('schedule-deadlines');
  if (doc.state === 'follow-up') actions.push('schedule-key-followups');
  if (doc.state === 'waiting-partner') actions.push('schedule-partner-timers');
  if (doc.state === 'approved') actions.push('transfer');
  // A case whose review was never queued (a crash right after intake wrote it).
  if (doc.state === 'received') actions.push('review');
  return actions;
}
