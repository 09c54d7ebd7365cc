/**
 * From findings to what happens to a case. Program-independent: every program
 * reviews a request into findings, and this one function turns them into an
 * outcome, so the precedence is the same desk-wide.
 */
import type { Finding } from './finding.js';

export type DecisionOutcome = 'move' | 'incomplete' | 'hold' | 'reject';

export interface Decision {
  outcome: DecisionOutcome;
  /**
   * The findings that decided it:
   * - reject: every failing finding, the unfixable ones first (DSK-6: the
   *   partner is told each failing rule);
   * - incomplete: the fixable failures (what the partner must send);
   * - hold: the findings a rep must decide;
   * - move: none.
   */
  reasons: Finding[];
}

/** A fail counts as fixable only when it says so; an unmarked fail is final. */
export const isFinalFail = (f: Finding): boolean => f.outcome === 'fail' && f.fixable !== true;
export const isFixableFail = (f: Finding): boolean => f.outcome === 'fail' && f.fixable === true;

/**
 * Any non-fixable fail -> reject; else any fixable fail -> incomplete;
 * else any hold -> hold; else move.
 */
export function decide(findings: readonly Finding[]): Decision {
  const final = findings.filter(isFinalFail);
  const fixable = findings.filter(isFixableFail);
  if (final.length > 0) return { outcome: 'reject', reasons: [...final, ...fixable] };
  if (fixable.length > 0) return { outcome: 'incomplete', reasons: fixable };
  const holds = findings.filter((f) => f.outcome === 'hold');
  if (holds.length > 0) return { outcome: 'hold', reasons: holds };
  return { outcome: 'move', reasons: [] };
}
