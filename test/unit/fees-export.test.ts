/**
 * DSK-11: `fees export`'s CSV opens in a spreadsheet as the ledger says: a
 * header row, one row per entry, amounts as exact two-decimal text, commas and
 * quotes quoted, and no text that a spreadsheet would run as a formula.
 */
import { describe, expect, it } from 'vitest';
import { feesCsv, sinceDate } from '../../cli/fees.js';
import type { FeeEntry } from '../../domain/fee-ledger.js';

const entry = (over: Partial<FeeEntry>): FeeEntry => ({
  id: '100002-1',
  case: '100002',
  rule: 'ALT-4',
  amount: '300.00',
  currency: 'USD',
  partnerId: 'P-100',
  state: 'due',
  assessedAt: '2026-11-03T10:00:00.000Z',
  card: { last4: '1111' },
  description: 'Transfer fee',
  history: [{ at: '2026-11-03T10:00:00.000Z', state: 'due', by: 'desk' }],
  retainUntil: '2027-12-08T10:00:00.000Z',
  ...over,
});

describe('fees export CSV (DSK-11)', () => {
  it('DSK-11 writes a header row and one CRLF row per entry, quoting commas and quotes, with the settlement of each', () => {
    const csv = feesCsv([
      entry({}),
      entry({
        id: '100002-2',
        rule: 'ALT-10',
        amount: '135.62',
        description: 'SA from 2026-01-01, "pro-rated"',
        licenseKey: 'LK-1',
        state: 'charged',
        history: [
          { at: '2026-11-03T10:00:00.000Z', state: 'due', by: 'desk' },
          { at: '2026-11-04T09:00:00.000Z', state: 'charged', by: 'bill@example.com', ref: 'T-1' },
        ],
      }),
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'id,case,rule,amount,currency,partnerId,state,assessedAt,cardLast4,description,licenseKey,settledAt,settledBy,ref,reason',
    );
    expect(lines[1]).toBe('100002-1,100002,ALT-4,300.00,USD,P-100,due,2026-11-03T10:00:00.000Z,1111,Transfer fee,,,,,');
    expect(lines[2]).toBe(
      '100002-2,100002,ALT-10,135.62,USD,P-100,charged,2026-11-03T10:00:00.000Z,1111,"SA from 2026-01-01, ""pro-rated""",LK-1,2026-11-04T09:00:00.000Z,bill@example.com,T-1,',
    );
    expect(lines[3]).toBe('');
  });

  it('DSK-11 defuses text a spreadsheet would run as a formula', () => {
    const csv = feesCsv([
      entry({ state: 'waived', history: [{ at: 'x', state: 'waived', by: 'b', reason: '=HYPERLINK("x")' }] }),
    ]);
    expect(csv).not.toMatch(/,=HYPERLINK/);
    expect(csv).toContain(`'=HYPERLINK`);
  });

  it('takes --since as a day (UTC) or an ISO time, and refuses anything else with E_USAGE', () => {
    expect(sinceDate('2026-11-01')?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(sinceDate('2026-11-01T12:00:00+01:00')?.toISOString()).toBe('2026-11-01T11:00:00.000Z');
    expect(() => sinceDate('November')).toThrow(/E_USAGE/);
  });
});
