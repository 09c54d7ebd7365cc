/**
 * What a case waits for next, in the program's own terms: a rep, the
 * partner, the move within the program's deadline (its rule, or the desk's
 * own promise), a physical key's return (the program's key-return rule) or
 * a machine's reactivation (the program's activation rule). The case page
 * and the list show it; the list filters by it. Pure.
 */
import type { ProgramDefinition } from '../domain/program.js';

type Program = ProgramDefinition<unknown>;
import type { CaseDoc } from '../domain/case-doc.js';
import { FINAL_STATES, type CaseState } from '../domain/case-states.js';
import { deadlineRule } from '../workflows/case-workflow.js';

export const WAITS = ['rep', 'partner', 'key', 'reactivation', 'move', 'nothing'] as const;
export type Waits = (typeof WAITS)[number];

/** The words of each filter on the case list. */
export const WAITS_WORDS: Record<Waits, string> = {
  rep: 'a rep',
  partner: 'the partner',
  key: "a key's return",
  reactivation: 'a reactivation',
  move: 'the move',
  nothing: 'nothing (done)',
};

/** The states a case waiting for `w` can be in: the list reads only these states' indexes. */
export const STATES_OF: Record<Waits, readonly CaseState[]> = {
  rep: ['held'],
  partner: ['waiting-partner'],
  key: ['follow-up'],
  reactivation: ['approved'],
  move: ['received', 'approved'],
  nothing: FINAL_STATES,
};

export interface WaitView {
  waits: Waits;
  /** "Waits for a rep to decide, by the program's deadline (ALT-8)". */
  words: string;
  /** The rule that sets when, if any. */
  rule?: string;
  /** When it is due (ISO), if the program sets a time. */
  dueAt?: string;
  /** What the due time is called on the page ("Deadline (ALT-8)", "Key due back (SWP-6)"). */
  dueLabel?: string;
}

/** States a rep can still act on: "mine" and "nobody has taken" list and count these. */
export const OPEN_FOR_REPS: readonly CaseState[] = ['received', 'waiting-partner', 'held', 'approved', 'follow-up'];

/** The move's own deadline runs only while the move is still to be made. */
const MOVE_PENDING: readonly CaseState[] = ['received', 'waiting-partner', 'held', 'approved'];

export function waitsFor(program: Program, doc: CaseDoc): WaitView {
  const rule = deadlineRule(program);
  const moveDue =
    doc.deadlineAt && MOVE_PENDING.includes(doc.state)
      ? { dueAt: doc.deadlineAt, dueLabel: `Deadline (${rule})`, rule }
      : {};
  switch (doc.state) {
    case 'held':
      return { waits: 'rep', words: `Waits for a rep to decide (the move is due by ${rule}).`, ...moveDue };
    case 'waiting-partner':
      return { waits: 'partner', words: 'Waits for the partner to send what is missing or wrong.', ...moveDue };
    case 'received':
      return { waits: 'move', words: 'Waits for the desk to read the forms.', ...moveDue };
    case 'approved': {
      const machine = program.waitsForReactivation(doc.plan?.extra);
      if (typeof machine === 'string') {
        const r = program.activations?.rules.awaited;
        return {
          waits: 'reactivation',
          words: `Waits for the reactivation of ${machine}${r ? ` (${r})` : ''}: the partner reactivates it, then the move completes.`,
          rule: r,
        };
      }
      return { waits: 'move', words: 'Waits for the desk to move the licenses.', ...moveDue };
    }
    case 'follow-up': {
      const open = (doc.keyFollowUps ?? []).filter((k) => !k.returnedAt && !k.billedAt);
      const next = open.map((k) => k.dueAt).sort()[0];
      const r = program.keyReturns?.rule;
      return {
        waits: 'key',
        words: `Waits for the return of ${open.map((k) => k.fk).join(', ') || 'a key'}${r ? ` (${r})` : ''}.`,
        ...(next ? { dueAt: next, dueLabel: `Key due back${r ? ` (${r})` : ''}`, rule: r } : {}),
      };
    }
    default:
      return { waits: 'nothing', words: 'Nothing more to do.' };
  }
}

export const isFinal = (s: CaseState): boolean => (FINAL_STATES as readonly string[]).includes(s);
