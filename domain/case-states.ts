/**
 * The case's states, and the transitions of the desk's usual flow; each
 * program names its table (domain/program.ts `states`). Workers ask this table; they never set a state the
 * table does not allow, and the commit script re-checks the state it expects.
 */
export const CASE_STATES = [
  'received', // mail taken in, review pending
  'waiting-partner', // incomplete: forms or fields missing (DSK-6)
  'held', // waiting for a rep
  'approved', // decided to move; transfer queued (ALT-8 clock running)
  'transferred', // licenses moved
  'follow-up', // waiting for a physical key's return (SWP-6)
  'billed', // unreturned key billed
  'closed', // nothing more to do
  'rejected', // a rule no later mail can fix failed, or a rep rejected
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States in which a new partner mail is reviewed again. */
export const OPEN_STATES: readonly CaseState[] = ['received', 'waiting-partner', 'held'];
/** States after which nothing changes the licenses again. */
export const FINAL_STATES: readonly CaseState[] = ['transferred', 'billed', 'closed', 'rejected'];

/** For each state, the states a case may go to next. */
export type StateTable = Readonly<Record<CaseState, readonly CaseState[]>>;

const reviewed: readonly CaseState[] = ['received', 'waiting-partner', 'held', 'approved', 'rejected'];

/**
 * The desk's usual flow: reviewed until decided, approved, moved, closed. A
 * program with another flow (a follow-up after the move …) builds its table
 * from this one in its own folder.
 */
export const STANDARD_STATES: StateTable = {
  received: reviewed,
  // DSK-10: a case left unanswered is closed.
  'waiting-partner': [...reviewed, 'closed'],
  held: reviewed,
  approved: ['transferred', 'held'],
  transferred: ['closed'],
  'follow-up': [],
  billed: [],
  closed: [],
  rejected: [],
};

export function canTransition(table: StateTable, from: CaseState, to: CaseState): boolean {
  return table[from].includes(to);
}

export const isCaseState = (s: string): s is CaseState => (CASE_STATES as readonly string[]).includes(s);
