/**
 * The case workflow and the timers in pure code, table driven, without Redis:
 * what a review, a transfer, a rep and a fired timer do to a case, per
 * program (each program's state table and completion step).
 */
import { describe, expect, it } from 'vitest';
import { newCaseDoc, type CaseDoc } from '../../domain/case-doc.js';
import type { Finding } from '../../domain/finding.js';
import { PROGRAMS } from '../../domain/programs/index.js';
import {
  afterFailedTransfer,
  afterRepApproval,
  afterReview,
  afterTransfer,
  type ProgramReview,
} from '../../workflows/case-workflow.js';
import { deadlineTimerStep, keyFollowUpDue, keyFollowUpStep, sweepActions } from '../../workflows/timer-steps.js';

const program = (id: string) => PROGRAMS.find((p) => p.id === id)!;
const now = new Date('2026-11-30T10:00:00Z');
const caseOf = (id: string, over: Partial<CaseDoc> = {}): CaseDoc => ({
  ...newCaseDoc({ number: '100001', program: id, partnerId: 'P-1', systemKey: 'SYS-2', at: now }),
  ...over,
});
const review = (
  findings: Finding[],
  over: Partial<ProgramReview['plan']> = {},
  extra: unknown = {},
): ProgramReview => ({
  findings,
  fees: [],
  plan: { moves: [], disableSystems: [], forfeit: [], accountTransfers: [], keyReturns: [], extra, ...over },
});
const pass: Finding = { rule: 'X-1', outcome: 'pass', message: 'ok' };
const fixable: Finding = { rule: 'X-2', outcome: 'fail', message: 'missing', fixable: true, fix: 'send it' };
const final: Finding = { rule: 'X-3', outcome: 'fail', message: 'never', fixable: false };
const held: Finding = { rule: 'X-4', outcome: 'hold', message: 'a rep looks' };
const kinds = (effects: Array<{ type: string; kind?: string }>) => effects.map((e) => e.kind ?? e.type);

describe('after review (DSK-6, DSK-7, ALT-8)', () => {
  it.each([
    ['every rule passes', [pass], 'approved', ['schedule-deadlines', 'transfer']],
    ['a fixable failure', [pass, fixable], 'waiting-partner', ['incomplete', 'schedule-partner-timers']],
    ['a failure no mail can fix', [fixable, final], 'rejected', ['rejected', 'cancel-deadlines']],
    ['a rep must decide', [pass, held], 'held', ['schedule-deadlines', 'rep-held']],
  ])('DSK-6 %s → %s', (_what, findings, state, effects) => {
    for (const p of PROGRAMS) {
      const step = afterReview(p, caseOf(p.id), review(findings as Finding[]), now, 'm1');
      expect(step.doc.state, p.id).toBe(state);
      expect(kinds(step.effects), p.id).toEqual(effects);
    }
  });

  it("ALT-8 complete forms start the deadline: 24 hours for AltiGen, the desk's own 24 hours for the others", () => {
    for (const p of PROGRAMS) {
      const step = afterReview(p, caseOf(p.id), review([pass]), now, 'm1');
      expect(step.doc.deadlineAt).toBe('2026-12-01T10:00:00.000Z');
      expect(step.doc.cycle).toBe(1);
    }
  });

  it('DSK-4 a review records which job decided it, so that job run again decides nothing twice', () => {
    const step = afterReview(program('altigen'), caseOf('altigen'), review([fixable]), now, 'msg-7');
    expect(step.doc.reviewedFor).toBe('msg-7');
  });

  it('DSK-6 forms that become incomplete again cancel the deadline', () => {
    const p = program('altigen');
    const complete = afterReview(p, caseOf('altigen'), review([held]), now, 'm1').doc;
    const again = afterReview(p, complete, review([fixable]), now, 'm2');
    expect(again.doc.deadlineAt).toBeUndefined();
    expect(kinds(again.effects)).toEqual(['cancel-deadlines', 'incomplete', 'schedule-partner-timers']);
  });
});

describe('after the move, per program', () => {
  const moved = { moves: [{ licenseKey: 'LK-1', from: 'SYS-1', to: 'SYS-2', sku: 'ALTI-STATION-10', quantity: 1 }] };
  it.each([
    ['altigen', {}, { softwareOnly: false, conversions: [] }, 'transferred', ['cancel-deadlines', 'transferred']],
    [
      'altigen',
      {},
      { softwareOnly: true, conversions: [] },
      'transferred',
      ['cancel-deadlines', 'transferred', 'sales-po'],
    ],
    ['avaya-swap', { disableSystems: ['SYS-1'] }, {}, 'closed', ['cancel-deadlines', 'transferred']],
    [
      'avaya-swap',
      { disableSystems: ['SYS-1'], keyReturns: [{ fk: 'SYS-1', dueInDays: 7 }] },
      {},
      'follow-up',
      ['cancel-deadlines', 'transferred', 'schedule-key-followups'],
    ],
    [
      'lumenvox',
      {
        accountTransfers: [{ kind: 'sale' as const, fromAccountId: 'A', toAccountId: 'B', product: 'P', quantity: 2 }],
      },
      { buyerContacts: ['it@eu.example'] },
      'transferred',
      ['cancel-deadlines', 'transferred', 'sold'],
    ],
    [
      'lumenvox',
      {
        accountTransfers: [
          { kind: 'linked-transfer' as const, fromAccountId: 'A', toAccountId: 'B', product: 'P', quantity: 2 },
        ],
      },
      { buyerContacts: ['it@eu.example'] },
      'transferred',
      ['cancel-deadlines', 'transferred'],
    ],
    ['audium', {}, { requiresReactivationOf: 'M-1' }, 'transferred', ['cancel-deadlines', 'transferred']],
  ])('ALT-7 ALT-9 LVX-3 SWP-3 SWP-6 %s %j → %s', (id, plan, extra, state, effects) => {
    const prev = caseOf(id, { state: 'approved', cycle: 1, plan: { ...review([]).plan, ...moved, ...plan, extra } });
    const step = afterTransfer(program(id), prev, now, { warehouseAddress: 'returns@warehouse.example' });
    expect(step.doc.state).toBe(state);
    expect(kinds(step.effects)).toEqual(effects);
    const mail = step.effects.find((e) => e.type === 'mail' && e.kind === 'transferred');
    expect(mail && mail.type === 'mail' && (mail.data.nextSteps as string[]).length).toBeGreaterThan(0);
  });

  it('ALT-9 AltiGen tells the partner to register the old system first, then the new one, in order', () => {
    const prev = caseOf('altigen', {
      state: 'approved',
      cycle: 1,
      plan: { ...review([]).plan, ...moved, extra: { softwareOnly: false, conversions: [] } },
    });
    const mail = afterTransfer(program('altigen'), prev, now, {}).effects.find((e) => e.type === 'mail');
    expect(mail?.type === 'mail' && mail.data.nextSteps).toEqual([
      '(ALT-9) Register the OLD system SYS-1 first. This removes the moved license(s) from it.',
      'Then register the NEW system SYS-2 and enter the license key(s) listed above.',
    ]);
  });

  it('DSK-7 a refused move holds the case for a rep; only AltiGen cites ALT-8 for it', () => {
    expect(
      afterFailedTransfer(
        program('altigen'),
        caseOf('altigen', { state: 'approved' }),
        'LK-1 moved',
        now,
      ).doc.findings.at(-1)?.rule,
    ).toBe('ALT-8');
    expect(
      afterFailedTransfer(
        program('audium'),
        caseOf('audium', { state: 'approved' }),
        'LK-1 moved',
        now,
      ).doc.findings.at(-1)?.rule,
    ).toBe('DSK-7');
  });

  it('DSK-7 only a held case can be approved by a rep', () => {
    expect(
      afterRepApproval(program('audium'), caseOf('audium', { state: 'held' }), 'rep@desk', 'ok', now).doc.state,
    ).toBe('approved');
    expect(() =>
      afterRepApproval(program('audium'), caseOf('audium', { state: 'waiting-partner' }), 'rep@desk', 'ok', now),
    ).toThrow(/only a held case/);
  });
});

describe('timers', () => {
  const due = caseOf('altigen', {
    state: 'held',
    cycle: 2,
    completeAt: now.toISOString(),
    deadlineAt: new Date(now.getTime() + 6 * 3600_000).toISOString(),
  });
  it.each([
    ['a warning of the current cycle', due, { kind: 'deadline-warning' as const, cycle: 2 }, 'reps warned'],
    [
      'a missed deadline of the current cycle',
      due,
      { kind: 'deadline' as const, cycle: 2 },
      'reps told: deadline missed',
    ],
    ['a timer of an older cycle', due, { kind: 'deadline' as const, cycle: 1 }, 'not due (case is held)'],
    [
      'a case already moved',
      { ...due, state: 'transferred' as const },
      { kind: 'deadline' as const, cycle: 2 },
      'not due (case is transferred)',
    ],
  ])('ALT-8 DSK-7 %s', (_what, doc, timer, want) => {
    const r = deadlineTimerStep(program(doc.program), doc, timer, now);
    expect('skip' in r ? r.skip : r.result).toBe(want);
  });

  it("SWP-6 a key not returned is billed at the program's price; a returned key closes the case unbilled", () => {
    const swap = program('avaya-swap');
    const doc = caseOf('avaya-swap', {
      state: 'follow-up',
      keyFollowUps: [{ fk: 'FK-1', dueAt: now.toISOString() }],
      moves: [{ licenseKey: 'LS-1', from: 'FK-1', to: 'FK-2', sku: 'IPO', quantity: 2 }],
    });
    expect(keyFollowUpDue(doc, 'FK-1')).toBe(true);
    expect(keyFollowUpDue(doc, 'FK-9')).toBe(false);
    const snapshot = {
      partners: new Map([
        ['P-1', { id: 'P-1', name: 'Comms', currency: 'GBP', contacts: [], standardDiscountPct: 20 }],
      ]),
      catalog: new Map([
        ['IPO', { sku: 'IPO', kind: 'edition', count: 1, lifecycle: 'orderable' as const, listPrice: { GBP: 100 } }],
      ]),
    } as never;
    const billed = keyFollowUpStep(swap.keyReturns!, doc, 'FK-1', undefined, { snapshot }, now);
    expect(billed.doc.state).toBe('billed');
    expect(billed.result).toBe('billed 160.00 GBP');
    expect(kinds(billed.effects)).toEqual(['sales-bill']);
    const returned = keyFollowUpStep(swap.keyReturns!, doc, 'FK-1', 'warehouse@desk', { snapshot }, now);
    expect(returned.doc.state).toBe('closed');
    expect(returned.effects).toEqual([]);
  });

  it.each([
    ['received', { completeAt: undefined }, ['review']],
    ['waiting-partner', { completeAt: undefined }, ['schedule-partner-timers']],
    ['held', { completeAt: now.toISOString() }, ['schedule-deadlines']],
    ['approved', { completeAt: now.toISOString() }, ['schedule-deadlines', 'transfer']],
    ['follow-up', {}, ['schedule-key-followups']],
    ['closed', {}, []],
  ])('the sweep re-creates what a %s case still needs', (state, over, want) => {
    expect(sweepActions(caseOf('altigen', { state: state as CaseDoc['state'], ...over }))).toEqual(want);
  });
});
