/**
 * Billing's word on a case's fees (DSK-11), as pure steps: `charged` (with
 * the payment terminal's reference), `declined` (the partner is mailed
 * `payment-declined` with a card form to send again, and the fees wait for
 * it) or `waived` (with a reason). The ledger follows from the case's
 * `payment` (workflows/fee-ledger.ts); the card form goes once the fees are
 * settled (workers/retention). A new card form on a declined case makes its
 * fees due again (`afterNewCard`).
 */
import type { CaseDoc, CasePayment } from '../domain/case-doc.js';
import { errors } from '../lib/errors.js';
import { formatMinor, sumMinor, toMinor } from '../lib/money.js';
import type { Step } from './case-workflow.js';

export type BillingWord = 'charged' | 'declined' | 'waived';

/** From which states of the case's fees each word may be said. */
const ALLOWED_FROM: Record<BillingWord, ReadonlyArray<CasePayment['state']>> = {
  charged: ['due'],
  declined: ['due'],
  waived: ['due', 'declined'],
};

/** The fees billing collects with the card (a bill goes with a sales order). */
export const cardFees = (doc: CaseDoc) => doc.fees.filter((f) => !f.billed);

export function paymentStateOf(doc: CaseDoc): CasePayment['state'] {
  return doc.payment?.state ?? 'due';
}

/** What billing said, or why it cannot be said now (E_FEE_STATE). */
export function afterBillingWord(
  prev: CaseDoc,
  word: BillingWord,
  by: string,
  detail: { ref?: string; reason?: string },
  now: Date,
): Step {
  const fees = cardFees(prev);
  if (fees.length === 0) throw errors.E_FEE_STATE(prev.number, 'it has no fee to charge');
  const from = paymentStateOf(prev);
  if (!ALLOWED_FROM[word].includes(from))
    throw errors.E_FEE_STATE(prev.number, `its fees are ${from}; they cannot be recorded as ${word}`);
  const at = now.toISOString();
  const doc: CaseDoc = structuredClone(prev);
  doc.payment = {
    state: word,
    at,
    by,
    ...(detail.ref ? { ref: detail.ref } : {}),
    ...(detail.reason ? { reason: detail.reason } : {}),
  };
  doc.updatedAt = at;
  const total = formatMinor(sumMinor(fees.map((f) => toMinor(f.amount))));
  const currency = fees[0]?.currency ?? '';
  const what = `${fees.length} fee(s), ${total} ${currency}`;
  if (word === 'declined') {
    return {
      doc,
      action: 'fees-declined',
      reason: `${what} declined, recorded by ${by}${detail.reason ? `: ${detail.reason}` : ''}`,
      effects: [
        {
          type: 'mail',
          kind: 'payment-declined',
          to: 'partner',
          step: `declined-${now.getTime()}`,
          data: {
            fees: fees.map((f) => ({
              rule: f.rule,
              amount: f.amount,
              currency: f.currency,
              description: f.description,
            })),
            total,
            currency,
            cardLast4: prev.card?.last4,
            ...(detail.reason ? { reason: detail.reason } : {}),
          },
        },
      ],
    };
  }
  return {
    doc,
    action: `fees-${word}`,
    reason:
      word === 'charged'
        ? `${what} charged, reference ${detail.ref ?? ''}, recorded by ${by}`
        : `${what} waived by ${by}: ${detail.reason ?? ''}`,
    effects: [],
  };
}

/** A declined case received a new, valid card: its fees are due again with that card. */
export function newCardAfterDecline(prev: CaseDoc, next: CaseDoc, from: string, now: Date): CaseDoc {
  if (paymentStateOf(prev) !== 'declined' || !next.card || next.card.token === prev.card?.token) return next;
  return {
    ...next,
    payment: { state: 'due', at: now.toISOString(), by: `partner:${from}`, reason: 'a new card form came' },
  };
}
