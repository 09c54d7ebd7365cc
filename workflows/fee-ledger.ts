/**
 * What one case commit writes to the fee ledger (DSK-11), derived from the
 * case before and after the step and the step's effects. Pure: the commit
 * script writes exactly these in the same atomic step as the case, so a fee
 * is in the ledger exactly when the decision that assessed it committed.
 *
 * - A fee the case did not have before is a new entry (`due`; `billed` for a
 *   bill collected by a sales order, SWP-6), numbered `<case>-<n>`.
 * - A no-charge purchase order sent to sales (ALT-7) is an entry `billed` at 0.00.
 * - A fee the case no longer carries (a held case rejected) is `waived` by the desk.
 * - Billing's word on the case (`payment`) moves every fee of the case that is
 *   not a bill to that state; a new card after a decline makes them `due` again.
 */
import type { CaseDoc, FeeRecord } from '../domain/case-doc.js';
import type { Effect } from '../domain/effects.js';
import type { FeeEntry, FeeState, LedgerWrites, LedgerChange } from '../domain/fee-ledger.js';

export type { LedgerWrites, LedgerChange };

const feeKey = (f: FeeRecord): string =>
  JSON.stringify([f.rule, f.amount, f.currency, f.licenseKey ?? '', f.description]);

const paymentState = (doc: CaseDoc | undefined): FeeState => doc?.payment?.state ?? 'due';

/**
 * The ledger writes of the step from `prev` to `next`, and `next` with the ids of its fees (new fees get theirs
 * here, fees carried over keep theirs).
 */
export function ledgerWrites(
  prev: CaseDoc | undefined,
  next: CaseDoc,
  effects: readonly Effect[],
  at: string,
  retentionMs: number,
): { doc: CaseDoc; writes: LedgerWrites } {
  const doc: CaseDoc = { ...next, fees: next.fees.map((f) => ({ ...f })) };
  const adds: FeeEntry[] = [];
  const changes: LedgerChange[] = [];
  let seq = Math.max(prev?.feeSeq ?? 0, next.feeSeq ?? 0);
  const retainUntil = new Date(Date.parse(at) + retentionMs).toISOString();
  const card = next.card ? { last4: next.card.last4 } : null;
  const entry = (
    f: Omit<FeeEntry, 'id' | 'case' | 'partnerId' | 'assessedAt' | 'card' | 'retainUntil' | 'history'>,
  ) => {
    seq += 1;
    const e: FeeEntry = {
      id: `${next.number}-${seq}`,
      case: next.number,
      rule: f.rule,
      amount: f.amount,
      currency: f.currency,
      partnerId: next.partnerId,
      state: f.state,
      assessedAt: at,
      card: f.state === 'billed' ? null : card,
      description: f.description,
      ...(f.licenseKey ? { licenseKey: f.licenseKey } : {}),
      history: [{ at, state: f.state, by: 'desk' }],
      retainUntil,
    };
    adds.push(e);
    return e;
  };

  // Fees carried over keep their entry (matched by what they are, one for one).
  const before = new Map<string, FeeRecord[]>();
  for (const f of prev?.fees ?? []) {
    if (!f.id) continue;
    before.set(feeKey(f), [...(before.get(feeKey(f)) ?? []), f]);
  }
  const kept = new Set<string>();
  for (const f of doc.fees) {
    const same = before.get(feeKey(f))?.shift();
    if (same?.id) {
      f.id = same.id;
      kept.add(same.id);
      continue;
    }
    if (f.id) {
      kept.add(f.id);
      continue;
    }
    const state: FeeState = f.billed ? 'billed' : 'due';
    f.id = entry({ ...f, state }).id;
  }
  for (const f of prev?.fees ?? []) {
    if (!f.id || kept.has(f.id) || f.billed) continue;
    const from = paymentState(prev);
    if (from === 'waived' || from === 'charged') continue;
    changes.push({
      id: f.id,
      from,
      to: 'waived',
      item: { at, state: 'waived', by: 'desk', reason: `no longer charged: the case is ${next.state}` },
    });
  }

  // Billing's word on the case.
  const was = paymentState(prev);
  const now = paymentState(next);
  const newCard = (prev?.card?.token ?? '') !== (next.card?.token ?? '');
  if (was !== now) {
    const p = next.payment;
    for (const f of doc.fees) {
      if (!f.id || f.billed || adds.some((a) => a.id === f.id)) continue;
      changes.push({
        id: f.id,
        from: was,
        to: now,
        item: {
          at,
          state: now,
          by: p?.by ?? 'desk',
          ...(p?.ref ? { ref: p.ref } : {}),
          ...(p?.reason ? { reason: p.reason } : {}),
        },
        ...(newCard ? { card } : {}),
      });
    }
  }

  // ALT-7 (and any program's no-charge order): sales issues it; the ledger shows it billed at nothing.
  for (const e of effects) {
    if (e.type !== 'mail' || e.kind !== 'sales-po') continue;
    const rule = typeof e.data['rule'] === 'string' ? e.data['rule'] : '';
    const currency = typeof e.data['currency'] === 'string' ? e.data['currency'] : (doc.fees[0]?.currency ?? '');
    entry({ rule, amount: '0.00', currency, state: 'billed', description: 'no-charge purchase order sent to sales' });
  }

  if (seq !== (next.feeSeq ?? 0)) doc.feeSeq = seq;
  return { doc, writes: { adds, changes } };
}
