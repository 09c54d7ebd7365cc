/**
 * A finding is one rule's verdict on one request. Everything the desk decides
 * is derived from findings, so every decision can be explained rule by rule.
 */
export type Outcome = 'pass' | 'fail' | 'hold' | 'info';

export interface Finding {
  /** Rule ID from docs/rules.md, e.g. `ALT-5`. */
  rule: string;
  outcome: Outcome;
  /** Plain words for the partner or rep. Never contains card data. */
  message: string;
  /**
   * For `fail`: true when a later mail on the same case can fix it (the case
   * waits for the partner), false when nothing the partner sends can (the
   * case is rejected). Ignored for other outcomes.
   */
  fixable?: boolean;
  /** For a fixable `fail`: what the partner should send to fix it (DSK-6). */
  fix?: string;
}

export const pass = (rule: string, message: string): Finding => ({ rule, outcome: 'pass', message });
export const info = (rule: string, message: string): Finding => ({ rule, outcome: 'info', message });
export const hold = (rule: string, message: string): Finding => ({ rule, outcome: 'hold', message });
export const fixableFail = (rule: string, message: string, fix: string): Finding => ({
  rule,
  outcome: 'fail',
  message,
  fixable: true,
  fix,
});
export const finalFail = (rule: string, message: string): Finding => ({
  rule,
  outcome: 'fail',
  message,
  fixable: false,
});
