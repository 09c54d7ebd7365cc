/**
 * Intake's decisions, in pure code: which case a mail is for (DSK-1, DSK-2),
 * whether its sender may act on it (DSK-3), what its program answers
 * whatever the forms say (SWP-9), and how its forms merge into the case
 * (DSK-6). The intake worker reads the message, parses it, reads the PDFs,
 * calls these, commits and sends what they say.
 */
import { newCaseDoc, type CaseDoc, type CaseMessage, type PaperRecord } from '../domain/case-doc.js';
import { OPEN_STATES } from '../domain/case-states.js';
import { newCardAfterDecline, paymentStateOf } from './fee-steps.js';
import type { Effect } from '../domain/effects.js';
import type { ProgramDefinition } from '../domain/program.js';
import type { FieldProblem } from '../forms/types.js';
import type { CaseForms } from '../forms/typed-forms.js';
import type { MailKind } from '../mail/mail-kinds.js';
import type { RegistryCase } from '../domain/registry-model.js';
import type { Step } from './case-workflow.js';

/** What intake knows of a partner mail once parsed. */
export interface MailFacts {
  /** The From address, lower-case ('' when there is none). */
  from: string;
  subject: string;
  messageId?: string;
  /** A case named by a desk Message-ID this mail replies to (signature checked). */
  threadedCase?: string;
  /** Case numbers found in the subject. */
  numbersInSubject: string[];
}

/** A mail about one message (not yet a case's), sent under that message's id. */
export interface Reply {
  kind: MailKind;
  to: 'sender' | 'reps';
  data: Record<string, unknown>;
  caseNumber?: string;
  /** Threads under the partner's mail (In-Reply-To, References). */
  thread: boolean;
}

/** How intake ends for a message that does not reach a case. */
export interface Outcome {
  replies: Reply[];
  state: 'processed' | 'quarantined';
  outcome: string;
}

/** DSK-1: the case a mail is for; a signed desk Message-ID in the thread wins over the subject. */
export function routeMail(mail: MailFacts): { caseNumber: string } | Outcome {
  if (mail.threadedCase) return { caseNumber: mail.threadedCase };
  const numbers = mail.numbersInSubject;
  if (numbers.length === 1) return { caseNumber: numbers[0]! };
  return {
    // Never echoes the sender's text (no subject): the answer must not carry a forger's words.
    replies: [
      {
        kind: 'resend-instructions',
        to: 'sender',
        thread: true,
        data: { numbers: numbers.length > 1 ? numbers : undefined },
      },
    ],
    state: 'processed',
    outcome: numbers.length === 0 ? 'DSK-1: no case number' : `DSK-1: several case numbers (${numbers.join(', ')})`,
  };
}

/**
 * DSK-2: a case number that is not open at this desk. A registered contact of
 * a partner (or a sender a rep vouched for) is told so. Anyone else gets what a
 * stranger writing about an open case gets, word for word (DSK-3: a stranger
 * learns nothing about a case, not even whether it is open), and reps see the
 * mail.
 */
export function caseNotOpen(
  mail: MailFacts,
  caseNumber: string,
  sender: { messageId: string; knownContact: boolean },
): Outcome {
  if (!sender.knownContact)
    return strangerOnCase(
      mail,
      sender.messageId,
      `${mail.from || 'no From address'} is not a registered contact of any partner, and case ${caseNumber} is not open (DSK-2, DSK-3)`,
    );
  return {
    replies: [{ kind: 'resend-instructions', to: 'sender', thread: true, data: { caseNumber } }],
    state: 'processed',
    outcome: `DSK-2: case ${caseNumber} is not open`,
  };
}

/** Reps hear of a quarantined message; the sender hears only when it is safe to answer them. */
export function quarantined(
  mail: MailFacts,
  id: string,
  reason: string,
  detail: string,
  answerSender: boolean,
): Outcome {
  return {
    replies: [
      {
        kind: 'rep-quarantine',
        to: 'reps',
        thread: false,
        data: {
          from: mail.from || 'unknown',
          originalSubject: mail.subject,
          reason,
          detail,
          messageId: mail.messageId ?? '',
          id,
        },
      },
      ...(answerSender && mail.from
        ? [{ kind: 'quarantined' as const, to: 'sender' as const, thread: true, data: {} }]
        : []),
    ],
    state: 'quarantined',
    outcome: `${reason}: ${detail}`,
  };
}

export interface SenderCheck {
  mail: MailFacts;
  messageId: string;
  caseNumber: string;
  registryCase: RegistryCase;
  /** The partner's registered contacts (undefined: the partner is not in the registry). */
  partnerContacts: string[] | undefined;
  program: ProgramDefinition<unknown>;
  /** The program's extra senders (LVX-5: accounts' contacts). */
  programSenders: string[];
  /** A rep vouched for this message (`quarantine release`). */
  releasedBy?: string;
  /** With LICENSEDESK_AUTHSERV_ID: the trusted host's verdict on the From. */
  authentication?: { ok: boolean; reason: string };
}

/**
 * DSK-3: only the case's partner's contacts act on it; Reply-To never decides.
 * A From the trusted host did not pass gets no reply at all: answering would
 * write to a forged address.
 */
export function checkSender(c: SenderCheck): { ok: true } | Outcome {
  if (c.releasedBy) return { ok: true };
  const from = c.mail.from;
  if (c.authentication && !c.authentication.ok) {
    return quarantined(
      c.mail,
      c.messageId,
      'sender not authenticated',
      `${from || 'no From address'}: ${c.authentication.reason} (DSK-3)`,
      false,
    );
  }
  const allowed = new Set([...(c.partnerContacts ?? []), ...c.programSenders].map((a) => a.toLowerCase()));
  if (!c.partnerContacts || !from || !allowed.has(from)) {
    return strangerOnCase(
      c.mail,
      c.messageId,
      `${from || 'no From address'} is not a registered contact of the partner of case ${c.caseNumber} (DSK-3)`,
    );
  }
  return { ok: true };
}

/** A stranger's mail naming a case, open or not: held for reps, and the sender told only that it is being reviewed. */
function strangerOnCase(mail: MailFacts, messageId: string, detail: string): Outcome {
  return quarantined(mail, messageId, 'unknown sender', detail, true);
}

/** SWP-9 and the like: what the program answers whatever the forms say; reps see it too. */
export function programAnswer(
  program: ProgramDefinition<unknown>,
  mail: MailFacts,
  messageId: string,
  caseNumber: string,
  text: string,
): Reply[] {
  const answer = program.answersMail(text);
  if (!answer) return [];
  return [
    { kind: answer.kind, to: 'sender', thread: true, caseNumber, data: {} },
    {
      kind: 'rep-quarantine',
      to: 'reps',
      thread: false,
      caseNumber,
      data: {
        from: mail.from,
        originalSubject: mail.subject,
        reason: answer.reason,
        detail: answer.detail,
        messageId: mail.messageId ?? '',
        id: messageId,
      },
    },
  ];
}

/** The forms one mail carried, as read (card already masked, DSK-5). */
export interface ReadForms {
  forms: CaseForms;
  problems: FieldProblem[];
  discarded: string[];
  unreadable: CaseDoc['unreadable'];
  disagreements: NonNullable<CaseDoc['readerDisagreements']>;
  /** Forms read from paper (DSK-9). */
  paper?: PaperRecord[];
  /** A fax gateway's mail (DSK-9): replies go to this partner contact, never to the gateway. */
  faxReplyTo?: string;
}

export interface MergeStep extends Step {
  created: boolean;
  open: boolean;
  /** What intake records for the message. */
  outcome: string;
}

/** A case keeps at most this many messages in its list; older ones are counted, not listed. */
export const CASE_MESSAGES_KEPT = 50;

/**
 * DSK-6: a later mail on an open case replaces the forms it carries, so a case
 * can be completed by mail. A closed case records the mail but not its forms.
 * The message already on the case (a retried intake after a crash) commits
 * nothing and only finishes the work that followed the commit.
 */
/** The card of a valid Credit Card Authorization in `read` becomes the case's card (last four and token only). */
function takeCard(doc: CaseDoc, read: ReadForms): void {
  const card = read.forms['card-authorization/v1'];
  if (card?.cardLast4 && card.cardToken) {
    doc.card = {
      last4: card.cardLast4,
      token: card.cardToken,
      expiry: card.cardExpiry,
      currency: card.currency,
      maxAmount: card.maxAmountMinor !== undefined ? (card.maxAmountMinor / 100).toFixed(2) : undefined,
    };
  }
}

export function mergeMail(
  prev: CaseDoc | undefined,
  registryCase: RegistryCase,
  message: CaseMessage,
  read: ReadForms,
  now: Date,
): { skip: string; doc: CaseDoc; effects: Effect[] } | MergeStep {
  const created = !prev;
  const base =
    prev ??
    newCaseDoc({
      number: registryCase.number,
      program: registryCase.program,
      partnerId: registryCase.partnerId,
      systemKey: registryCase.systemKey,
      at: now,
    });
  const open = OPEN_STATES.includes(base.state);
  const announce: Effect = {
    type: 'mail',
    kind: 'rep-new-case',
    to: 'reps',
    step: 'opened',
    data: {
      program: base.program,
      partnerId: base.partnerId,
      receivedAt: base.receivedAt,
      from: message.from,
      originalSubject: message.subject,
      attachments: base.messages[0]?.attachments ?? message.attachments,
    },
  };
  const merged = base.messages.find((m) => m.id === message.id);
  if (merged) {
    const effects: Effect[] = [];
    if (base.messages[0]?.id === message.id) effects.push(announce);
    // Its review as of the merge (the case's updatedAt then was the message's receivedAt), not as of now: when
    // the intake died between its commit and its effects, the sweep may have reviewed the case meanwhile, and a
    // review asked as of now would decide it a second time (two `incomplete` mails).
    // A case this message's own pass decided and moved (one pass, workflows/one-pass.ts) is no longer open: its
    // review job finishes what the move asked for.
    if (open || base.reviewedFor === message.id)
      effects.push({ type: 'review', reason: message.id, asOf: merged.receivedAt });
    return { skip: `already on case ${base.number}`, doc: base, effects };
  }
  const doc: CaseDoc = structuredClone(base);
  doc.messageCount = (base.messageCount ?? base.messages.length) + 1;
  doc.messages = [...doc.messages, message].slice(-CASE_MESSAGES_KEPT);
  if (!read.faxReplyTo) doc.replyTo = message.from;
  else doc.replyTo ??= read.faxReplyTo;
  if (message.messageId) {
    doc.lastPartnerMessageId = message.messageId;
    doc.references = [...doc.references, message.messageId].slice(-20);
  }
  if (open) {
    const { forms } = read;
    const replaced = Object.keys(forms);
    doc.forms = { ...doc.forms, ...forms };
    doc.formProblems = [...doc.formProblems.filter((p) => !replaced.includes(p.formId)), ...read.problems];
    doc.discardedFields = [...new Set([...doc.discardedFields, ...read.discarded])];
    doc.unreadable = read.unreadable;
    doc.paper = [...(doc.paper ?? []).filter((p) => !replaced.includes(p.formId)), ...(read.paper ?? [])];
    if (doc.paper.length === 0) delete doc.paper;
    doc.readerDisagreements = [
      ...(doc.readerDisagreements ?? []).filter((d) => !replaced.includes(d.formId)),
      ...read.disagreements,
    ];
    takeCard(doc, read);
  }
  // DSK-11: billing recorded the card as declined; a new card form on the case makes its fees due again.
  let newCard = false;
  if (!open && paymentStateOf(base) === 'declined') {
    takeCard(doc, read);
    const paid = newCardAfterDecline(base, doc, message.from, now);
    newCard = paid !== doc;
    if (newCard) Object.assign(doc, paid);
  }
  doc.updatedAt = now.toISOString();
  const effects: Effect[] = [];
  if (created) effects.push({ ...announce, data: { ...announce.data, attachments: message.attachments } });
  // DSK-10: the partner wrote, so the reminder and closing it was waiting under go (a new round starts if still incomplete).
  if (open) effects.push({ type: 'cancel-partner-timers' }, { type: 'review', reason: message.id });
  const n = Object.keys(read.forms).length;
  return {
    doc,
    effects,
    created,
    open,
    action: created ? 'case-opened' : newCard ? 'card-received' : 'mail-received',
    reason: `message ${message.id}: ${Object.keys(read.forms).join(', ') || 'no readable forms'}`,
    outcome: `case ${doc.number}: ${n} form(s), ${read.unreadable.length} unreadable${open ? '' : ` (case is ${doc.state}: forms not used)`}`,
  };
}
