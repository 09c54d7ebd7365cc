/**
 * The case as the desk keeps it (and as `case show --json` prints it). It holds
 * no card number: only the card's last four digits and a payment token.
 */
import type { Finding } from './finding.js';
import type { ProgramPlan } from './program-plan.js';
import type { FieldProblem } from '../forms/types.js';
import type { CaseForms } from '../forms/typed-forms.js';
import type { CaseState } from './case-states.js';

export interface FeeRecord {
  rule: string;
  /** Two decimals, e.g. "300.00". */
  amount: string;
  currency: string;
  description: string;
  licenseKey?: string;
  /** Its entry in the fee ledger (domain/fee-ledger.ts), given when the commit that assesses it is made. */
  id?: string;
  /** Collected by a sales order, not by the card (SWP-6): its ledger entry is `billed` from the start. */
  billed?: boolean;
}

/** Where billing is with a case's fees (DSK-11): `due` until charged, declined or waived. */
export interface CasePayment {
  state: 'due' | 'charged' | 'declined' | 'waived';
  at: string;
  /** `billing:EMAIL`, or the CLI's `--by`. */
  by: string;
  ref?: string;
  reason?: string;
}

export interface MoveRecord {
  licenseKey: string;
  from: string;
  to: string;
  sku?: string;
  quantity?: number;
  /** ALT-7: the software-only name sales issues instead (SSW-STATION-XX …). */
  convertsTo?: string;
}

/**
 * What review decided to write when the case completes (all in one atomic
 * commit): the program's plan less its findings and fees, which the case
 * keeps in their own fields.
 */
export type CasePlan<D = unknown> = Omit<ProgramPlan<D>, 'findings' | 'fees' | 'moves'> & { moves: MoveRecord[] };

/** SWP-6: a physical key whose return is awaited after a SWAP. */
export interface KeyFollowUp {
  fk: string;
  dueAt: string;
  returnedAt?: string;
  returnedBy?: string;
  billedAt?: string;
}

export interface CaseMessage {
  /** The desk's id of the stored message. */
  id: string;
  messageId?: string;
  from: string;
  subject: string;
  receivedAt: string;
  attachments: string[];
}

/** A form read from paper (DSK-9): how sure the reader was of each value, for a rep to confirm. */
export interface PaperRecord {
  file: string;
  formId: string;
  page: number;
  source: 'text' | 'image';
  /** The case number of a pre-filled form's QR code. */
  caseNumber?: string;
  /** Came through a fax gateway (LICENSEDESK_FAX_SENDERS): always held for a rep. */
  fax?: boolean;
  /** Ink in the signature box (image pages). */
  signed?: boolean;
  /** Each field read: its value as read (never card data, DSK-5) and the reader's confidence, 0..1. */
  fields: Array<{ name: string; value?: string | boolean; confidence: number }>;
  /** The rep who confirmed the values, and when. */
  confirmedBy?: string;
  confirmedAt?: string;
}

export interface CaseDoc {
  number: string;
  /** The program's id (domain/programs/index.ts). */
  program: string;
  state: CaseState;
  partnerId: string;
  /** The system key the case was opened with (DSK-2). */
  systemKey: string;
  /** First mail received on the case. */
  receivedAt: string;
  /** When the forms were last found complete (ALT-8 starts here). */
  completeAt?: string;
  deadlineAt?: string;
  transferredAt?: string;
  updatedAt: string;
  /** Bumped each time forms become complete again; names the deadline jobs. */
  cycle: number;
  forms: CaseForms;
  formProblems: FieldProblem[];
  /** Security-code-like fields found and dropped (docs/forms.md). */
  discardedFields: string[];
  /** Forms whose fields two PDF readers read differently (a rep must look). */
  readerDisagreements?: Array<{ file: string; formId: string; fields: string[] }>;
  /** Forms of the case read from paper (DSK-9). */
  paper?: PaperRecord[];
  /** Attachments that could not be read, with the reason. */
  unreadable: Array<{ file: string; code: string; message: string }>;
  findings: Finding[];
  decision?: { outcome: 'move' | 'incomplete' | 'hold' | 'reject'; at: string; by: string; note?: string };
  /** The review (its job's reason) whose decision the case holds: a review job run again after its commit decides nothing twice. */
  reviewedFor?: string;
  fees: FeeRecord[];
  /** Licenses moved (after the transfer). */
  moves: MoveRecord[];
  /** What review decided to write when the case completes, and details for the mails. */
  plan?: CasePlan;
  /** SWP-6 follow-ups of physical keys. */
  keyFollowUps?: KeyFollowUp[];
  card?: { last4: string; token: string; expiry?: string; maxAmount?: string; currency?: string };
  /** Billing's last word on the case's fees (DSK-11); absent: due. */
  payment?: CasePayment;
  /** Ledger entries the case has had (numbers their ids: `<case>-<n>`). */
  feeSeq?: number;
  /** The case keeps its last 50 messages; this counts every one (workers/retention/mail-retention.ts). */
  messages: CaseMessage[];
  messageCount?: number;
  /** The rep who said "I have this one" in the console (take / release), and since when. */
  owner?: { email: string; since: string };
  /** Where replies go: the partner contact who wrote last. */
  replyTo?: string;
  /** Message-ID of the partner's last mail, for threading replies. */
  lastPartnerMessageId?: string;
  references: string[];
}

export function newCaseDoc(init: {
  number: string;
  /** The program's id (domain/programs/index.ts). */
  program: string;
  partnerId: string;
  systemKey: string;
  at: Date;
}): CaseDoc {
  const at = init.at.toISOString();
  return {
    number: init.number,
    program: init.program,
    state: 'received',
    partnerId: init.partnerId,
    systemKey: init.systemKey,
    receivedAt: at,
    updatedAt: at,
    cycle: 0,
    forms: {},
    formProblems: [],
    discardedFields: [],
    unreadable: [],
    findings: [],
    fees: [],
    moves: [],
    messages: [],
    references: [],
  };
}
