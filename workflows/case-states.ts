/**
 * The case's states and the transitions allowed between them, for every
 * program, in one place. Workers ask this table; they never set a state the
 * table does not allow, and the commit script re-checks the state it expects.
 */
import type { Program } from '../registry/schema.js';

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

type Table = Readonly<Record<CaseState, readonly CaseState[]>>;

const reviewed: readonly CaseState[] = ['received', 'waiting-partner', 'held', 'approved', 'rejected'];

const altigen: Table = {
  received: reviewed,
  'waiting-partner': reviewed,
  held: [...reviewed],
  approved: ['transferred', 'held'],
  transferred: ['closed'],
  'follow-up': [],
  billed: [],
  closed: [],
  rejected: [],
};

const avayaSwap: Table = {
  ...altigen,
  // SWP-2: once approved a SWAP cannot go back to the partner or be undone.
  approved: ['follow-up', 'closed', 'held'],
  'follow-up': ['billed', 'closed'],
  transferred: [],
  billed: ['closed'],
};

const TABLES: Record<Program, Table> = {
  altigen,
  'avaya-swap': avayaSwap,
  lumenvox: altigen,
  audium: altigen,
};

export function canTransition(program: Program, from: CaseState, to: CaseState): boolean {
  return TABLES[program][from].includes(to);
}

export function allowedFrom(program: Program, from: CaseState): readonly CaseState[] {
  return TABLES[program][from];
}

export const isCaseState = (s: string): s is CaseState => (CASE_STATES as readonly string[]).includes(s);
