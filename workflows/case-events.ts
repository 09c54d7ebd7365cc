/**
 * The events of one case commit, derived from the case before and after the
 * step and the registry writes committed with it. Pure: the commit script
 * appends exactly these, in this order, in the same step as the change.
 */
import type { CaseDoc, FeeRecord } from '../domain/case-doc.js';
import type { NewDeskEvent } from '../domain/events.js';
import type { Effect } from '../domain/effects.js';

export interface CommittedWrites {
  moves?: ReadonlyArray<{ licenseKey: string; from: string; to: string }>;
  disableSystems?: readonly string[];
  forfeit?: ReadonlyArray<{ licenseKey: string; from: string }>;
  accountTransfers?: ReadonlyArray<{
    fromAccountId: string;
    toAccountId: string;
    product: string;
    quantity: number;
    kind?: string;
  }>;
}

const feeKey = (f: FeeRecord): string =>
  JSON.stringify([f.rule, f.amount, f.currency, f.licenseKey ?? '', f.description]);

/** Fees in `next` that `prev` did not have (a fee once assessed is never assessed again). */
function newFees(prev: CaseDoc | undefined, next: CaseDoc): FeeRecord[] {
  const seen = new Map<string, number>();
  for (const f of prev?.fees ?? []) seen.set(feeKey(f), (seen.get(feeKey(f)) ?? 0) + 1);
  return next.fees.filter((f) => {
    const n = seen.get(feeKey(f)) ?? 0;
    if (n === 0) return true;
    seen.set(feeKey(f), n - 1);
    return false;
  });
}

export function caseCommitEvents(
  prev: CaseDoc | undefined,
  next: CaseDoc,
  writes: CommittedWrites,
  effects: readonly Effect[],
  at: string,
): NewDeskEvent[] {
  const out: NewDeskEvent[] = [];
  const ev = (type: NewDeskEvent['type'], data: Record<string, unknown>) =>
    out.push({ type, at, case: next.number, data });
  const from = prev?.state ?? null;
  if (from !== next.state) ev('case.state-changed', { from, to: next.state, program: next.program });
  if (writes.moves?.length)
    ev('licenses.moved', { moves: writes.moves.map((m) => ({ licenseKey: m.licenseKey, from: m.from, to: m.to })) });
  for (const systemKey of writes.disableSystems ?? []) ev('system.disabled', { systemKey });
  if (writes.forfeit?.length)
    ev('licenses.forfeited', { licenses: writes.forfeit.map((f) => ({ licenseKey: f.licenseKey, from: f.from })) });
  if (writes.accountTransfers?.length) {
    ev('licenses.moved', {
      quantities: writes.accountTransfers.map((t) => ({
        from: t.fromAccountId,
        to: t.toAccountId,
        product: t.product,
        quantity: t.quantity,
        ...(t.kind ? { kind: t.kind } : {}),
      })),
    });
  }
  for (const f of newFees(prev, next)) {
    ev('fee.assessed', {
      rule: f.rule,
      amount: f.amount,
      currency: f.currency,
      description: f.description,
      partnerId: next.partnerId,
      ...(f.licenseKey ? { licenseKey: f.licenseKey } : {}),
    });
  }
  for (const e of effects) {
    if (e.type !== 'mail') continue;
    if (e.kind === 'sales-po') ev('po.raised', { moves: next.moves, partnerId: next.partnerId });
    if (e.kind === 'sales-bill') ev('bill.raised', { ...e.data, partnerId: next.partnerId });
  }
  return out;
}
