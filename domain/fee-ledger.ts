/**
 * The fee ledger (DSK-11): one entry per fee the desk assessed (ALT-4,
 * ALT-10, SWP-1 …), per bill (SWP-6) and per no-charge purchase order
 * (ALT-7), with its state and how it got there. Money is exact: the amount is
 * the case's own two-decimal string, never a float. The card is only ever its
 * last four digits here.
 */
export const FEE_STATES = ['due', 'charged', 'declined', 'waived', 'billed'] as const;
export type FeeState = (typeof FEE_STATES)[number];

/** States that settle a fee: once every fee of a case is in one of these, its card form has served. */
export const SETTLED_FEE_STATES: readonly FeeState[] = ['charged', 'waived', 'billed'];

export interface FeeHistoryItem {
  at: string;
  state: FeeState;
  /** `desk`, `review`, `billing:EMAIL` … */
  by: string;
  /** The payment terminal's reference (charged). */
  ref?: string;
  reason?: string;
}

/** One ledger entry as `fees list --json` prints it. */
export interface FeeListItem {
  id: string;
  case: string;
  rule: string;
  amount: string;
  currency: string;
  partnerId: string;
  state: FeeState;
  assessedAt: string;
  card: { last4: string } | null;
}

/** One ledger entry as the desk keeps it. */
export interface FeeEntry extends FeeListItem {
  description: string;
  licenseKey?: string;
  history: FeeHistoryItem[];
  /** When the entry leaves the ledger (LICENSEDESK_FEE_RETENTION_DAYS after it was assessed). */
  retainUntil: string;
}

export const isFeeState = (s: string): s is FeeState => (FEE_STATES as readonly string[]).includes(s);

/** The shape `fees list --json` and `GET /api/v1/fees` answer: exactly the contract's fields. */
export function feeListItem(e: FeeEntry): FeeListItem {
  return {
    id: e.id,
    case: e.case,
    rule: e.rule,
    amount: e.amount,
    currency: e.currency,
    partnerId: e.partnerId,
    state: e.state,
    assessedAt: e.assessedAt,
    card: e.card ? { last4: e.card.last4 } : null,
  };
}

/** A state change of an entry already in the ledger. */
export interface LedgerChange {
  id: string;
  /** The state the entry must be in for the commit to go ahead. */
  from: FeeState;
  to: FeeState;
  item: FeeHistoryItem;
  /** A new card (its last four) for the entry, when the case's card changed. */
  card?: { last4: string } | null;
}

/** What one case commit writes to the ledger (workflows/fee-ledger.ts). */
export interface LedgerWrites {
  adds: FeeEntry[];
  changes: LedgerChange[];
}
