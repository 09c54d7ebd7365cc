/**
 * The cases the timer sweep looks at: only those whose state can still need
 * a timer, a transfer or a review (read from the per-state indexes, so a desk
 * with many closed cases sweeps only its open ones). Numbers are read first
 * and documents in batches, so a case that changes state during the sweep is
 * not skipped and memory stays bounded.
 */
import type { CaseDoc } from '../../domain/case-doc.js';
import type { CaseStore } from '../../store/case-store.js';
import { OPEN_STATES, type CaseState } from '../../domain/case-states.js';

export const SWEPT_STATES: readonly CaseState[] = [...OPEN_STATES, 'approved', 'follow-up'];

const BATCH = 200;

export async function* casesToSweep(cases: CaseStore): AsyncGenerator<CaseDoc> {
  const numbers = await cases.numbersInStates(SWEPT_STATES);
  for (let i = 0; i < numbers.length; i += BATCH) {
    yield* await cases.getDocs(numbers.slice(i, i + BATCH));
  }
}
