/**
 * The console's case list (console/case-listing.ts): held cases first, then
 * those at risk of missing their ALT-8 deadline, then by deadline, newest
 * first; search by number, partner, end user or system/FK key, never by card
 * data; pages of a fixed size. The store is a stand-in answering the index
 * readers with case documents.
 */
import { describe, expect, it } from 'vitest';
import { newCaseDoc, type CaseDoc } from '../../domain/case-doc.js';
import type { CaseState } from '../../domain/case-states.js';
import { listCases } from '../../console/case-listing.js';
import type { DeskContext } from '../../workers/desk/context.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const h = (hours: number) => new Date(NOW.getTime() + hours * 3600_000).toISOString();

function doc(
  number: string,
  state: CaseState,
  opts: { deadlineIn?: number; receivedHoursAgo?: number; partnerId?: string; systemKey?: string } = {},
): CaseDoc {
  const d = newCaseDoc({
    number,
    program: 'p',
    partnerId: opts.partnerId ?? 'P-100',
    systemKey: opts.systemKey ?? 'SYS-0002',
    at: new Date(NOW.getTime() - (opts.receivedHoursAgo ?? 1) * 3600_000),
  });
  d.state = state;
  if (opts.deadlineIn !== undefined) d.deadlineAt = h(opts.deadlineIn);
  return d;
}

function deskWith(docs: CaseDoc[]): DeskContext {
  return {
    clock: { now: () => NOW },
    // The store's index readers (store/case-listing.ts pages through these).
    cases: {
      listRecent: async (offset: number, limit: number) => docs.slice(offset, offset + limit),
      numbersInStates: async (states: CaseState[]) => docs.filter((d) => states.includes(d.state)).map((d) => d.number),
      getDocs: async (numbers: string[]) => docs.filter((d) => numbers.includes(d.number)),
    },
  } as unknown as DeskContext;
}

describe('the console case list', () => {
  it('puts held cases first, then cases under 6 h from their deadline (overdue ones first), then the rest newest first', async () => {
    const docs = [
      doc('100001', 'transferred', { receivedHoursAgo: 1 }),
      doc('100002', 'approved', { deadlineIn: 20 }),
      doc('100003', 'approved', { deadlineIn: 2 }),
      doc('100004', 'held', { deadlineIn: 23 }),
      doc('100005', 'approved', { deadlineIn: -1 }),
      doc('100006', 'rejected', { receivedHoursAgo: 5, deadlineIn: -30 }),
    ];
    const page = await listCases(deskWith(docs), { page: 1, perPage: 25 });
    expect(page.cases.map((d) => d.number)).toEqual(['100004', '100005', '100003', '100002', '100001', '100006']);
    expect(page.total).toBe(6);
  });

  it('finds a case by number, partner, end user and FK key, but never by card data', async () => {
    const a = doc('200001', 'held', { partnerId: 'P-400', systemKey: 'FK-9000-0001' });
    a.forms['swap-request/v1'] = {
      formId: 'swap-request/v1',
      endUserName: 'Fabrikam',
      fromFkSid: 'FK-1234-5678',
      ackIrrevocable: true,
      ackEosForfeit: false,
    } as never;
    a.forms['card-authorization/v1'] = {
      formId: 'card-authorization/v1',
      cardLast4: '1111',
      cardholderName: 'Pat Card',
      cardNumberValid: true,
    } as never;
    const b = doc('200002', 'held');
    const desk = deskWith([a, b]);
    for (const q of ['200001', 'p-400', 'fabrikam', 'FK-1234', 'fk-9000-0001']) {
      expect(
        (await listCases(desk, { search: q, page: 1, perPage: 25 })).cases.map((d) => d.number),
        q,
      ).toEqual(['200001']);
    }
    for (const q of ['1111', 'Pat Card'])
      expect((await listCases(desk, { search: q, page: 1, perPage: 25 })).total, q).toBe(0);
  });

  it('pages: a fixed size, the last page holds the rest, a page past the end shows the last', async () => {
    const docs = Array.from({ length: 53 }, (_, i) => doc(String(300000 + i), 'transferred', { receivedHoursAgo: i }));
    const desk = deskWith(docs);
    const first = await listCases(desk, { page: 1, perPage: 25 });
    expect([first.cases.length, first.pages, first.cases[0]!.number]).toEqual([25, 3, '300000']);
    const last = await listCases(desk, { page: 3, perPage: 25 });
    expect([last.cases.length, last.page]).toEqual([3, 3]);
    expect((await listCases(desk, { page: 99, perPage: 25 })).page).toBe(3);
    expect((await listCases(desk, { state: 'held', page: 1, perPage: 25 })).total).toBe(0);
  });
});
