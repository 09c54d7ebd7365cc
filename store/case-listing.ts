/**
 * Case lists as the CLI and the console show them: oldest receipt first (the
 * order of the `cases` set, ties by number), read through the indexes in
 * pages so no list needs every case document at once from Redis.
 */
import type { CaseState } from '../domain/case-states.js';
import type { CaseDoc } from '../domain/case-doc.js';
import type { CaseStore } from './case-store.js';

const PAGE = 500;

const receivedMs = (d: CaseDoc): number => Date.parse(d.receivedAt);

/** Oldest receipt first, ties by case number: the `cases` set's own order. */
export function oldestFirst(docs: readonly CaseDoc[]): CaseDoc[] {
  return [...docs].sort(
    (a, b) => receivedMs(a) - receivedMs(b) || (a.number < b.number ? -1 : a.number > b.number ? 1 : 0),
  );
}

/** The newest `limit` cases (of one state, or all), shown oldest first. */
export async function recentCases(cases: CaseStore, state: CaseState | undefined, limit: number): Promise<CaseDoc[]> {
  const docs = state ? await cases.listByState(state, 0, limit) : await cases.listRecent(0, limit);
  return oldestFirst(docs.filter((d) => !state || d.state === state));
}

/** Every case (of one state, or all), oldest first. */
export async function allCases(cases: CaseStore, state?: CaseState): Promise<CaseDoc[]> {
  if (state) {
    const numbers = await cases.numbersInStates([state]);
    const docs: CaseDoc[] = [];
    for (let i = 0; i < numbers.length; i += PAGE) docs.push(...(await cases.getDocs(numbers.slice(i, i + PAGE))));
    return oldestFirst(docs.filter((d) => d.state === state));
  }
  const docs: CaseDoc[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await cases.listRecent(offset, PAGE);
    docs.push(...page);
    if (page.length < PAGE) break;
  }
  // A case created while paging shifts the pages by one: drop a repeat.
  const seen = new Set<string>();
  return oldestFirst(docs.filter((d) => !seen.has(d.number) && seen.add(d.number)));
}
