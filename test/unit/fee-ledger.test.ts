/**
 * DSK-11: what one case commit writes to the fee ledger (workflows/fee-ledger.ts)
 * and billing's steps on a case's fees (workflows/fee-steps.ts).
 */
import { describe, expect, it } from 'vitest';
import { newCaseDoc, type CaseDoc } from '../../domain/case-doc.js';
import { ledgerWrites } from '../../workflows/fee-ledger.js';
import { afterBillingWord, newCardAfterDecline } from '../../workflows/fee-steps.js';
import { caseCommitEvents } from '../../workflows/case-events.js';
import type { Effect } from '../../domain/effects.js';

const AT = '2026-12-07T10:00:00.000Z';
const YEAR = 400 * 86_400_000;

function reviewed(): { prev: CaseDoc; next: CaseDoc } {
  const prev = newCaseDoc({
    number: '100002',
    program: 'altigen',
    partnerId: 'P-100',
    systemKey: 'S2',
    at: new Date(AT),
  });
  prev.card = { last4: '1111', token: 'tok-a' };
  const next: CaseDoc = structuredClone(prev);
  next.state = 'approved';
  next.fees = [
    { rule: 'ALT-4', amount: '300.00', currency: 'USD', description: 'transfer fee' },
    { rule: 'ALT-10', amount: '12.33', currency: 'USD', description: 'pro-rated SA', licenseKey: 'LK-1' },
  ];
  return { prev, next };
}

describe('the fee ledger of a case commit (DSK-11)', () => {
  it('DSK-11 a decision that assesses fees adds one due entry per fee, numbered per case, with the card last four', () => {
    const { prev, next } = reviewed();
    const { doc, writes } = ledgerWrites(prev, next, [], AT, YEAR);
    expect(writes.adds.map((e) => [e.id, e.rule, e.amount, e.state, e.card])).toEqual([
      ['100002-1', 'ALT-4', '300.00', 'due', { last4: '1111' }],
      ['100002-2', 'ALT-10', '12.33', 'due', { last4: '1111' }],
    ]);
    expect(doc.fees.map((f) => f.id)).toEqual(['100002-1', '100002-2']);
    expect(doc.feeSeq).toBe(2);
    expect(writes.adds[0]!.retainUntil).toBe(new Date(Date.parse(AT) + YEAR).toISOString());
    expect(JSON.stringify(writes)).not.toContain('tok-a');
  });

  it('DSK-11 fees carried over by a later step are not assessed again', () => {
    const { prev, next } = reviewed();
    const first = ledgerWrites(prev, next, [], AT, YEAR).doc;
    const later: CaseDoc = {
      ...structuredClone(first),
      state: 'transferred',
      fees: first.fees.map(({ id: _id, ...f }) => f),
    };
    const { doc, writes } = ledgerWrites(first, later, [], AT, YEAR);
    expect(writes).toEqual({ adds: [], changes: [] });
    expect(doc.fees.map((f) => f.id)).toEqual(['100002-1', '100002-2']);
  });

  it('DSK-11 charged moves every card fee from due to charged with the reference and who; the events say so', () => {
    const { prev, next } = reviewed();
    const assessed = ledgerWrites(prev, { ...next, state: 'transferred' }, [], AT, YEAR).doc;
    const step = afterBillingWord(assessed, 'charged', 'bill@example.com', { ref: 'T-99' }, new Date(AT));
    const { writes } = ledgerWrites(assessed, step.doc, step.effects, AT, YEAR);
    expect(writes.changes.map((c) => [c.id, c.from, c.to, c.item.ref, c.item.by])).toEqual([
      ['100002-1', 'due', 'charged', 'T-99', 'bill@example.com'],
      ['100002-2', 'due', 'charged', 'T-99', 'bill@example.com'],
    ]);
    const events = caseCommitEvents(assessed, step.doc, { ledger: writes }, step.effects, AT);
    expect(events.filter((e) => e.type === 'fee.charged').map((e) => e.data['id'])).toEqual(['100002-1', '100002-2']);
    expect(() => afterBillingWord(step.doc, 'charged', 'x@example.com', { ref: 'again' }, new Date(AT))).toThrow(
      /E_FEE_STATE/,
    );
  });

  it('DSK-11 declined mails the partner and a new card makes the fees due again with its last four', () => {
    const { prev, next } = reviewed();
    const assessed = ledgerWrites(prev, { ...next, state: 'transferred' }, [], AT, YEAR).doc;
    const declined = afterBillingWord(assessed, 'declined', 'bill@example.com', { reason: 'refused' }, new Date(AT));
    expect(declined.effects).toMatchObject([{ type: 'mail', kind: 'payment-declined', to: 'partner' }]);
    const withCard: CaseDoc = { ...structuredClone(declined.doc), card: { last4: '4242', token: 'tok-b' } };
    const again = newCardAfterDecline(declined.doc, withCard, 'pat@example.com', new Date(AT));
    expect(again.payment?.state).toBe('due');
    const { writes } = ledgerWrites(declined.doc, again, [], AT, YEAR);
    expect(writes.changes.map((c) => [c.from, c.to, c.card])).toEqual([
      ['declined', 'due', { last4: '4242' }],
      ['declined', 'due', { last4: '4242' }],
    ]);
  });

  it('DSK-11 a bill (SWP-6) and a no-charge purchase order (ALT-7) are entries billed from the start', () => {
    const { prev, next } = reviewed();
    next.fees = [{ rule: 'SWP-6', amount: '500.00', currency: 'EUR', description: 'bill', billed: true }];
    const po: Effect = { type: 'mail', kind: 'sales-po', to: 'sales', step: 's', data: { rule: 'ALT-7' } };
    const { writes } = ledgerWrites(prev, next, [po], AT, YEAR);
    expect(writes.adds.map((e) => [e.rule, e.amount, e.currency, e.state, e.card])).toEqual([
      ['SWP-6', '500.00', 'EUR', 'billed', null],
      ['ALT-7', '0.00', 'EUR', 'billed', null],
    ]);
  });

  it('DSK-11 a held case rejected waives the fees it no longer carries', () => {
    const { prev, next } = reviewed();
    const held = ledgerWrites(prev, { ...next, state: 'held' }, [], AT, YEAR).doc;
    const { writes } = ledgerWrites(held, { ...structuredClone(held), state: 'rejected', fees: [] }, [], AT, YEAR);
    expect(writes.changes.map((c) => [c.id, c.from, c.to])).toEqual([
      ['100002-1', 'due', 'waived'],
      ['100002-2', 'due', 'waived'],
    ]);
  });
});
