/**
 * The events of one case commit, derived from the case before and after the
 * step and the registry writes committed with it. Pure: the commit script
 * appends exactly these, in this order, in the same step as the change.
 */
import type { CaseDoc } from '../domain/case-doc.js';
import type { LedgerWrites } from '../domain/fee-ledger.js';
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
  /** The fee ledger's writes of the commit (workflows/fee-ledger.ts): each is announced as a `fee.*` event. */
  ledger?: LedgerWrites;
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
  for (const f of writes.ledger?.adds ?? []) {
    ev('fee.assessed', {
      id: f.id,
      rule: f.rule,
      amount: f.amount,
      currency: f.currency,
      description: f.description,
      partnerId: f.partnerId,
      state: f.state,
      card: f.card,
      ...(f.licenseKey ? { licenseKey: f.licenseKey } : {}),
    });
  }
  for (const c of writes.ledger?.changes ?? []) {
    const fee = next.fees.find((f) => f.id === c.id) ?? prev?.fees.find((f) => f.id === c.id);
    const what = {
      id: c.id,
      rule: fee?.rule,
      amount: fee?.amount,
      currency: fee?.currency,
      partnerId: next.partnerId,
      from: c.from,
      by: c.item.by,
      ...(c.item.ref ? { ref: c.item.ref } : {}),
      ...(c.item.reason ? { reason: c.item.reason } : {}),
    };
    // A fee due again (a new card after a decline) is assessed again: billing charges it anew.
    if (c.to === 'due')
      ev('fee.assessed', { ...what, state: 'due', card: c.card ?? null, description: fee?.description });
    else if (c.to === 'charged' || c.to === 'declined' || c.to === 'waived') ev(`fee.${c.to}`, what);
  }
  for (const e of effects) {
    if (e.type !== 'mail') continue;
    if (e.kind === 'sales-po') ev('po.raised', { moves: next.moves, partnerId: next.partnerId });
    if (e.kind === 'sales-bill') ev('bill.raised', { ...e.data, partnerId: next.partnerId });
  }
  return out;
}
