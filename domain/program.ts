/**
 * What a program is to the desk. Everything one vendor's program knows lives
 * in its folder under domain/programs/ and reaches the spine (intake,
 * workflow, transfer, notify, console, CLI) only through this interface, so
 * the spine never names a program. Every member is required: leaving a part
 * out is a compile error (test/unit/program-seam.test.ts proves it).
 *
 * `D` is the program's own typed details (conversions, buyers, machines …):
 * the spine stores them with the case and hands them back, never reads them.
 */
import type { FormId } from '../forms/types.js';
import type { CODES } from '../lib/errors.js';
import type { Installation, RegistryCase, RegistrySnapshot } from './registry-model.js';
import type { CaseDoc, CasePlan, KeyFollowUp, MoveRecord } from './case-doc.js';
import type { CaseRequest } from './case-request.js';
import type { CaseState, StateTable } from './case-states.js';
import type { Clock } from './clock.js';
import type { Effect } from './effects.js';
import type { Finding } from './finding.js';
import type { PlannedAccountTransfer, ProgramPlan } from './program-plan.js';

/** What a program's review reads besides the registry snapshot. */
export interface ReviewInput extends CaseRequest {
  /** The From address of the partner's latest mail, lower-case (LVX-5: who asks). */
  sender: string;
  /** When the forms were last found complete (ALT-8's 24 hours run from here). */
  completeAt: Date;
}

/** Desk configuration a review or a mail may mention (never registry data). */
export interface ProgramEnv {
  /** Where physical keys are returned (SWP-6). */
  warehouseAddress?: string;
}

/**
 * What the partner's `transferred` mail says, as lines the templates lay out
 * in the text and the HTML part alike. A line may start with its rule IDs in
 * brackets, `(ALT-9) …`, shown as a badge in the HTML part (mail/step-markup.ts).
 */
export interface TransferredMail {
  subject: string;
  /** "The licenses of case N have been moved from A to B:" */
  intro: string;
  /** One line per license or quantity that moved. */
  moved: string[];
  /** Further facts a partner must know (forfeited licenses …), each with its rule ID. */
  notes: string[];
  /** What the partner does next, in order (ALT-9, SWP-6 …). */
  nextSteps: string[];
}

/** What a completed move leaves behind, as the commit wrote it. */
export interface TransferFacts {
  caseNumber: string;
  /** Names this completion's mails, so a retried step mails nothing twice. */
  step: string;
  moves: MoveRecord[];
  accountTransfers: PlannedAccountTransfer[];
  forfeited: Array<{ licenseKey: string; from: string }>;
  disabled: string[];
  keyFollowUps: KeyFollowUp[];
}

/** A program's answer to a mail whatever its forms say (SWP-9: a refund asked for). */
export interface MailAnswer {
  kind: 'final-sale';
  reason: string;
  detail: string;
}

/** SWP-6 style follow-ups: a physical key that did not come back is billed. */
export interface KeyReturnRules {
  /** The rule that asks for the key back, named wherever the desk shows the follow-up. */
  readonly rule: string;
  bill(input: {
    caseNumber: string;
    fk: string;
    snapshot: RegistrySnapshot;
    partnerId: string;
    moved: Array<{ licenseKey: string; sku: string; quantity: number }>;
  }): {
    fee: { rule: string; amountMinor: number; currency: string; description: string };
    mail: Record<string, unknown>;
    reason: string;
  };
}

/** Session pools and reactivations (AUD-2, AUD-3, AUD-4), driven by `licensedesk activation …`. */
export interface ActivationRules {
  /** The rules named in the audit trail: a claim of sessions, a reactivation, and the one a move waits on. */
  readonly rules: { readonly claim: string; readonly reactivate: string; readonly awaited: string };
  claim(
    snap: RegistrySnapshot,
    input: { machineId: string; poolId: string; sessions: number; now: Date },
  ):
    | { ok: true; installation: Installation; claimDelta: number; sessionsLeft: number; findings: Finding[] }
    | {
        ok: false;
        code: typeof CODES.E_POOL_EXHAUSTED | typeof CODES.E_POOL_UNKNOWN | typeof CODES.E_USAGE;
        message: string;
      };
  reactivate(
    snap: RegistrySnapshot,
    input: { machineId: string; now: Date },
  ):
    | { ok: true; installation?: Installation; findings: Finding[] }
    | { ok: false; code: typeof CODES.E_MACHINE_UNKNOWN | typeof CODES.E_USAGE; message: string };
}

/**
 * A question a rep answers on a held case by picking one of the values shown
 * (SWP-4: which of two FK/SIDs one typing slip apart was meant).
 */
export interface RepQuestion {
  /** Names the form field of the answer (`choice_<id>`). */
  id: string;
  rule: string;
  /** "FROM FK/SID" */
  label: string;
  /** What the partner's form says; the first option. */
  typed: string;
  options: string[];
}

/** Held-case questions and what the rep's answers decide (the console asks, the program decides). */
export interface RepQuestionRules {
  ask(doc: CaseDoc, snapshot: RegistrySnapshot): RepQuestion[];
  /** `answers` holds one option per question id; the case is approved or rejected with these words. */
  decide(questions: RepQuestion[], answers: Record<string, string>): { decision: 'approve' | 'reject'; words: string };
}

export interface ProgramDefinition<D> {
  /** The registry's `program` value (docs/registry-file.md). */
  readonly id: string;
  /** The vendor's name for people. */
  readonly title: string;
  /** The prefix of this program's rule IDs (`ALT` for ALT-1 …). Code outside the program's folder names none of them. */
  readonly rulePrefix: string;
  /** Words that are this program's own (its products, its terms). Code outside its folder uses none of them. */
  readonly words: readonly string[];
  /** The rules the desk names in the audit trail when it carries out this program's plan (undefined: none). */
  readonly auditRules: {
    /** A license forfeited by the move. */
    readonly forfeit: string | undefined;
    /** A system disabled by the move. */
    readonly disable: string | undefined;
  };
  /** The forms a case of this program reads (docs/forms.md ids). */
  readonly forms: readonly FormId[];
  /** The states a case may go to from each state (the one table for this program). */
  readonly states: StateTable;
  /** The move deadline and the rule that sets it (undefined: the desk's own 24-hour promise). */
  readonly deadline: { readonly hours: number; readonly rule: string | undefined };
  /** DSK-3: who may write for a case, beyond nobody (lower-case addresses). */
  senders(registryCase: RegistryCase, snapshot: RegistrySnapshot): string[];
  /** A mail the program answers whatever its forms say (SWP-9), or undefined. */
  answersMail(text: string): MailAnswer | undefined;
  /** The program's rules: pure, from (request, snapshot, clock) to findings and a plan. */
  review(input: ReviewInput, snapshot: RegistrySnapshot, clock: Clock, env: ProgramEnv): ProgramPlan<D>;
  /** After the commit moved the licenses: the case's next state and the mails beyond the partner's. */
  complete(plan: CasePlan<D>, facts: TransferFacts): { state: CaseState; effects: Effect[] };
  /** The partner's `transferred` mail. */
  transferredMail(facts: TransferFacts, details: D, env: ProgramEnv): TransferredMail;
  /** AUD-2: the machine whose reactivation an approved move waits for, if any. */
  waitsForReactivation(details: D): string | undefined;
  /** Present when the program follows up physical keys (SWP-6). */
  readonly keyReturns: KeyReturnRules | undefined;
  /** Present when the program has session pools and reactivations (AUD-3, AUD-4). */
  readonly activations: ActivationRules | undefined;
  /** Present when a held case asks its rep to pick a value (SWP-4). */
  readonly repQuestions: RepQuestionRules | undefined;
}

/** The spine holds programs whose details it never reads. */
export type AnyProgram = ProgramDefinition<never>;
