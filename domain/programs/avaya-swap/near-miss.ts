/**
 * SWP-4: "a transposed number in the FK/SID could disable the wrong FK/SID".
 * Two identifiers are a near miss when they differ by exactly one swap of
 * two neighbouring characters or by exactly one substituted character
 * (compared without case and surrounding space).
 */
import { normalKey } from './lookup.js';

export type NearMissKind = 'transposition' | 'substitution';

/** How `a` and `b` are one typing slip apart, or undefined when they are equal or further apart. */
export function nearMissKind(a: string, b: string): NearMissKind | undefined {
  const x = [...normalKey(a)];
  const y = [...normalKey(b)];
  if (x.length !== y.length || x.length === 0) return undefined;
  const diff: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) {
      diff.push(i);
      if (diff.length > 2) return undefined;
    }
  }
  if (diff.length === 1) return 'substitution';
  const [i, j] = diff;
  if (diff.length === 2 && i !== undefined && j === i + 1 && x[i] === y[j] && x[j] === y[i]) return 'transposition';
  return undefined;
}

/**
 * The candidates (as spelled in `candidates`, first spelling kept, in order)
 * that are one adjacent transposition or one substituted character away
 * from `id`. A candidate equal to `id` is never a near miss.
 */
export function nearMisses(id: string, candidates: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    const n = normalKey(c);
    if (seen.has(n)) continue;
    if (nearMissKind(id, c) !== undefined) {
      seen.add(n);
      out.push(c);
    }
  }
  return out;
}

/** "one pair of neighbouring characters swapped" / "one character different" */
export function nearMissWords(a: string, b: string): string {
  return nearMissKind(a, b) === 'transposition' ? 'two neighbouring characters swapped' : 'one character different';
}
