/**
 * Queue names, job payloads and deterministic job ids. Payloads carry ids
 * only, never form data, so no card number can reach a job (DSK-5).
 * BullMQ job ids may not contain ':', hence the dots.
 */
import { createHash } from 'node:crypto';
import type { MailKind } from '../../mail/mail-kinds.js';

export const QUEUES = {
  intake: 'intake',
  review: 'review',
  transfer: 'transfer',
  followup: 'followup',
  notify: 'notify',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface IntakeJob {
  messageId: string;
}
/**
 * `asOf`: the case's updatedAt when the review was asked for. A case changed since then is not reviewed by this
 * job: whatever changed it asked for its own review if one was needed (and the sweep asks again for a case left
 * `received`), so a review queued twice for one state (intake's and the sweep's) decides once.
 */
export interface ReviewJob {
  caseNumber: string;
  reason: string;
  asOf?: string;
}
export interface TransferJob {
  caseNumber: string;
  cycle: number;
}
export type TimerJob =
  | { kind: 'deadline-warning'; caseNumber: string; cycle: number }
  | { kind: 'deadline'; caseNumber: string; cycle: number }
  | { kind: 'key-followup'; caseNumber: string; fk: string }
  | { kind: 'quarantine-digest'; digest: string; due: string }
  | { kind: 'card-strip'; caseNumber: string }
  | { kind: 'card-strip-message'; messageId: string }
  | { kind: 'partner-reminder'; caseNumber: string; round: number }
  | { kind: 'partner-abandon'; caseNumber: string; round: number }
  /** DSK-11: the mailbox copy of a mail intake took in, without its card form. */
  | { kind: 'card-strip-imap'; messageId: string }
  | { kind: 'sweep' };

/** One event owed to one webhook endpoint (workers/notify/webhook-delivery.ts). */
export interface WebhookJob {
  endpointId: string;
  eventId: string;
}

export interface MailJob {
  /** Deterministic: one mail per (case, kind, step). */
  mailId: string;
  kind: MailKind;
  to: string[];
  caseNumber?: string;
  data: Record<string, unknown>;
  inReplyTo?: string;
  references?: string[];
}

/**
 * The mails one commit sends, in one notify job: each is still sent once (the outbox is checked per mail), and a
 * mail that fails makes the job try again for it alone. Their case, when they share one.
 */
export interface MailsJob {
  caseNumber?: string;
  mails: MailJob[];
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

export const jobIds = {
  intake: (messageId: string) => `intake.${messageId}`,
  review: (caseNumber: string, reason: string) => `review.${caseNumber}.${safe(reason)}`,
  transfer: (caseNumber: string, cycle: number) => `transfer.${caseNumber}.${cycle}`,
  deadlineWarning: (caseNumber: string, cycle: number) => `deadline-warning.${caseNumber}.${cycle}`,
  deadline: (caseNumber: string, cycle: number) => `deadline.${caseNumber}.${cycle}`,
  keyFollowup: (caseNumber: string, fk: string) => `key-followup.${caseNumber}.${safe(fk)}`,
  /** DSK-10: one reminder and one closing per (case, round of waiting for the partner). */
  partnerReminder: (caseNumber: string, round: number) => `reminder.${caseNumber}.${round}`,
  partnerAbandon: (caseNumber: string, round: number) => `abandon.${caseNumber}.${round}`,
  mail: (mailId: string) => `mail.${safe(mailId)}`,
  /** Deterministic for the same mails: the effects of a commit run again queue nothing twice. */
  mails: (mailIds: string[]) => `mails.${createHash('sha256').update(mailIds.join('\n')).digest('hex').slice(0, 32)}`,
  /** Deterministic: one delivery job per (endpoint, event), however often the event is fanned out. */
  webhook: (endpointId: string, eventId: string) => `webhook.${safe(endpointId)}.${safe(eventId)}`,
};

/**
 * Mail ids: `case.<n>.<kind>.<step>` for case mail, `msg.<id>.<kind>` for mail
 * about a message, `account.<digest>.<kind>.<step>` for mail to a console
 * account (its address as a digest: an id shows in logs and the queue dashboard).
 */
export const mailIds = {
  forCase: (caseNumber: string, kind: MailKind, step: string | number) =>
    `case.${caseNumber}.${kind}.${safe(String(step))}`,
  forMessage: (messageId: string, kind: MailKind) => `msg.${messageId}.${kind}`,
  forAccount: (email: string, kind: MailKind, step: string | number) =>
    `account.${createHash('sha256').update(email).digest('hex').slice(0, 16)}.${kind}.${safe(String(step))}`,
};
