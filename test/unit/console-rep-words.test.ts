/**
 * The console in a rep's words (console/rep-words.ts, console/waits-for.ts):
 * printed labels instead of field names, money, the card's last four digits,
 * times in the rep's zone and relative, and each program's own deadline.
 */
import { describe, expect, it } from 'vitest';
import { newCaseDoc } from '../../domain/case-doc.js';
import { PROGRAMS } from '../../domain/programs/index.js';
import type { ProgramDefinition } from '../../domain/program.js';
import { fieldLabel, formRows, localiseText, relative, timeIn } from '../../console/rep-words.js';
import { waitsFor } from '../../console/waits-for.js';

const program = (id: string) => PROGRAMS.find((p) => p.id === id) as unknown as ProgramDefinition<unknown>;

describe("the console's words for a rep", () => {
  it('labels kept fields as the printed form does, never by their internal names', () => {
    expect(fieldLabel('license-transfer/v1', 'toChassisModel')).toBe('Chassis model of the system the licenses go to');
    expect(fieldLabel('card-authorization/v1', 'cardLast4')).toBe('Card number (spaces and dashes allowed)');
    expect(fieldLabel('card-authorization/v1', 'maxAmountMinor')).toBe(
      'The most you authorise for this case (e.g. 300.00)',
    );
    expect(fieldLabel('uninstall-declaration/v1', 'old_machine_id')).toBe('Machine the software was uninstalled from');
  });

  it('DSK-11 shows the card as its last four digits and the authorised amount as money, and no token or check', () => {
    const rows = formRows('card-authorization/v1', {
      formId: 'card-authorization/v1',
      caseNumber: '100002',
      cardLast4: '1111',
      cardNumberValid: true,
      cardToken: 'tok_secret',
      maxAmountMinor: 200000,
      currency: 'USD',
    });
    const text = rows.map((r) => `${r.label}=${r.value}`).join('\n');
    expect(text).toContain('Card number (spaces and dashes allowed)=•••• 1111');
    expect(text).toContain('=2000.00 USD');
    expect(text).not.toMatch(/tok_secret|cardToken|cardNumberValid|maxAmountMinor|cardLast4|formId/);
  });

  it("puts times in the rep's zone, fixed offsets included, and says how far off they are", () => {
    const at = '2026-12-07T13:20:00.000Z';
    expect(timeIn(at, 'UTC')).toBe('Mon 7 Dec 2026, 13:20 UTC');
    expect(timeIn(at, 'Europe/Berlin')).toBe('Mon 7 Dec 2026, 14:20 CET');
    expect(timeIn(at, '+05:30')).toBe('Mon 7 Dec 2026, 18:50 UTC+05:30');
    const now = new Date('2026-12-07T08:08:00.000Z');
    expect(relative(at, now)).toBe('in 5 h 12 min');
    expect(relative('2026-12-05T08:00:00.000Z', now)).toBe('2 days ago');
    expect(localiseText('moved by 2026-11-30T05:11:55.924Z (within 24 hours)', 'UTC')).toBe(
      'moved by Mon 30 Nov 2026, 05:11 UTC (within 24 hours)',
    );
  });

  it("ALT-8 SWP-6 AUD-2 each program's case shows its own deadline, never another program's rule", () => {
    const doc = (programId: string, state: 'held' | 'follow-up' | 'approved') => {
      const d = newCaseDoc({ number: '100001', program: programId, partnerId: 'P', systemKey: 'S', at: new Date(0) });
      d.state = state;
      d.deadlineAt = '2026-12-08T00:00:00.000Z';
      return d;
    };
    expect(waitsFor(program('altigen'), doc('altigen', 'held')).dueLabel).toBe('Deadline (ALT-8)');
    expect(waitsFor(program('audium'), doc('audium', 'held')).dueLabel).toBe('Deadline (DSK-7)');
    const swap = doc('avaya-swap', 'follow-up');
    swap.keyFollowUps = [{ fk: 'FK-1', dueAt: '2026-12-14T00:00:00.000Z' }];
    const w = waitsFor(program('avaya-swap'), swap);
    expect(w).toMatchObject({ waits: 'key', dueAt: '2026-12-14T00:00:00.000Z', dueLabel: 'Key due back (SWP-6)' });
    expect(w.words).toContain('FK-1');
  });
});
