/**
 * A rep's own steps on a case (workflows/rep-steps.ts) and the case list's
 * filters by what a case waits for (console/case-listing.ts).
 */
import { describe, expect, it } from 'vitest';
import { newCaseDoc, type CaseDoc } from '../../domain/case-doc.js';
import type { CaseState } from '../../domain/case-states.js';
import type { ProgramDefinition } from '../../domain/program.js';
import { PROGRAMS } from '../../domain/programs/index.js';
import { repMessages, repNotes, repReleases, repTakes } from '../../workflows/rep-steps.js';
import { listCases } from '../../console/case-listing.js';
import type { DeskContext } from '../../workers/desk/context.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const program = (id: string) => PROGRAMS.find((p) => p.id === id) as unknown as ProgramDefinition<unknown>;

function doc(number: string, programId: string, state: CaseState, owner?: string): CaseDoc {
  const d = newCaseDoc({ number, program: programId, partnerId: 'P-1', systemKey: 'S-1', at: new Date(0) });
  d.state = state;
  d.replyTo = 'ops@partner.example';
  if (owner) d.owner = { email: owner, since: NOW.toISOString() };
  return d;
}

describe("a rep's steps on a case", () => {
  it('take, release and a note change no state, and say who did what', () => {
    const held = doc('100001', 'altigen', 'held', 'rep.two@desk.test');
    const taken = repTakes(held, 'rep.one@desk.test', NOW);
    expect(taken.doc.owner).toEqual({ email: 'rep.one@desk.test', since: NOW.toISOString() });
    expect(taken.doc.state).toBe('held');
    expect(taken.reason).toBe('rep.one@desk.test took the case from rep.two@desk.test');
    expect(taken.effects).toEqual([]);
    const released = repReleases(taken.doc, 'rep.one@desk.test', NOW);
    expect(released.doc.owner).toBeUndefined();
    const note = repNotes(held, 'spoke to them by phone', NOW);
    expect(note).toMatchObject({ action: 'rep-note', reason: 'spoke to them by phone', effects: [] });
    expect(note.doc.state).toBe('held');
  });

  it('DSK-6 a message mails the partner once, with the chosen forms to pre-fill; on a held case it may wait for the partner', () => {
    const held = doc('100002', 'audium', 'held');
    const m = { text: 'Please sign page 2.', forms: ['uninstall-declaration/v1' as const], waitForPartner: true };
    const step = repMessages(program('audium'), held, 'rep.one@desk.test', m, NOW, 'rep-message.1');
    expect(step.doc.state).toBe('waiting-partner');
    expect(step.action).toBe('rep-asked-partner');
    expect(step.effects).toEqual([
      expect.objectContaining({
        type: 'mail',
        kind: 'rep-message',
        to: 'partner',
        step: 'rep-message.1',
        data: expect.objectContaining({
          repText: 'Please sign page 2.',
          replyForms: [{ formId: 'uninstall-declaration/v1', failed: [] }],
        }),
      }),
    ]);
    const plain = repMessages(program('audium'), held, 'rep.one@desk.test', { ...m, waitForPartner: false }, NOW, 's');
    expect(plain.doc.state).toBe('held');
    expect(() => repMessages(program('audium'), doc('100003', 'audium', 'approved'), 'r', m, NOW, 's')).toThrow(
      /only a held case/,
    );
  });
});

describe('the case list by what a case waits for', () => {
  const docs = [
    doc('200001', 'altigen', 'held', 'rep.one@desk.test'),
    doc('200002', 'audium', 'held'),
    doc('200003', 'avaya-swap', 'follow-up'),
    doc('200004', 'altigen', 'waiting-partner', 'rep.two@desk.test'),
    doc('200005', 'altigen', 'transferred', 'rep.one@desk.test'),
  ];
  docs[2]!.keyFollowUps = [{ fk: 'FK-1', dueAt: '2026-12-09T00:00:00.000Z' }];
  docs[0]!.deadlineAt = '2026-12-08T00:00:00.000Z';
  docs[1]!.deadlineAt = '2026-12-07T18:00:00.000Z';
  const read: CaseState[][] = [];
  const desk = {
    clock: { now: () => NOW },
    programs: { get: program },
    cases: {
      listRecent: async (offset: number, limit: number) => docs.slice(offset, offset + limit),
      numbersInStates: async (states: CaseState[]) => {
        read.push(states);
        return docs.filter((d) => states.includes(d.state)).map((d) => d.number);
      },
      getDocs: async (numbers: string[]) => docs.filter((d) => numbers.includes(d.number)),
    },
  } as unknown as DeskContext;
  const numbers = async (q: Parameters<typeof listCases>[1]) => (await listCases(desk, q)).cases.map((d) => d.number);

  it('reads only the states that can wait for the filter, then filters by owner and program', async () => {
    read.length = 0;
    expect(await numbers({ waits: 'rep', page: 1, perPage: 25 })).toEqual(['200002', '200001']);
    expect(read).toEqual([['held']]);
    expect(await numbers({ waits: 'key', page: 1, perPage: 25 })).toEqual(['200003']);
    // An owner's cases are the open ones: the transferred case of the same rep is not among them.
    expect(await numbers({ owner: 'rep.one@desk.test', page: 1, perPage: 25 })).toEqual(['200001']);
    expect(await numbers({ owner: 'none', waits: 'rep', page: 1, perPage: 25 })).toEqual(['200002']);
    expect(await numbers({ program: 'altigen', waits: 'partner', page: 1, perPage: 25 })).toEqual(['200004']);
    expect(await numbers({ waits: 'rep', state: 'follow-up', page: 1, perPage: 25 })).toEqual([]);
  });

  it('SWP-6 ALT-8 sorts by time left on what each case waits for: a move deadline or a key due back', async () => {
    expect(await numbers({ sort: 'time-left', page: 1, perPage: 25 })).toEqual([
      '200002',
      '200001',
      '200003',
      '200004',
      '200005',
    ]);
  });
});
