/**
 * The counts beside the case list's filters. What each state waits for is
 * counted from the per-state indexes (ZCARD, no documents read), except
 * approved cases, which wait for a reactivation or for the move: those,
 * and the owners of open cases ("mine", "nobody"), are counted from the open
 * states' documents only, never from every case.
 */
import type { DeskContext } from '../workers/desk/context.js';
import type { CaseState } from '../domain/case-states.js';
import { allCases } from '../store/case-listing.js';
import { OPEN_FOR_REPS, STATES_OF, WAITS, waitsFor, type Waits } from './waits-for.js';

export interface ListCounts {
  waits: Record<Waits, number>;
  mine: number;
  unowned: number;
}

export async function listCounts(ctx: DeskContext, rep: string): Promise<ListCounts> {
  const byState = await ctx.cases.countByState();
  const sum = (states: readonly CaseState[]) => states.reduce((a, s) => a + byState[s], 0);
  const waits = Object.fromEntries(WAITS.map((w) => [w, sum(STATES_OF[w].filter((s) => s !== 'approved'))])) as Record<
    Waits,
    number
  >;
  let mine = 0;
  let unowned = 0;
  for (const s of OPEN_FOR_REPS) {
    for (const d of await allCases(ctx.cases, s)) {
      if (d.owner?.email === rep) mine++;
      else if (!d.owner) unowned++;
      if (s === 'approved') waits[waitsFor(ctx.programs.get(d.program), d).waits]++;
    }
  }
  return { waits, mine, unowned };
}
