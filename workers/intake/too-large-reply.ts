/**
 * The `too-large` reply (docs/interfaces.md): it names the message it refuses (its
 * subject and date, as the partner's own mail program shows them) and carries
 * `[Case N]` when that subject named exactly one case, so the partner can tell
 * which of their mails it is about. Built from the headers alone: the body of
 * an over-size message is never fetched.
 */
import { caseNumbersInSubject } from '../../domain/subject.js';
import type { StoredMessage } from '../../store/message-store.js';
import { mailIds, type MailJob } from '../desk/queues.js';

export function tooLargeReply(msg: StoredMessage, limit: number, to: string): MailJob {
  const subject = (msg.meta.subject ?? '').slice(0, 200);
  const numbers = caseNumbersInSubject(subject);
  const caseNumber = numbers.length === 1 ? numbers[0] : undefined;
  return {
    mailId: mailIds.forMessage(msg.id, 'too-large'),
    kind: 'too-large',
    to: [to],
    data: {
      size: msg.meta.size,
      limit,
      sizeMb: (msg.meta.size / 1048576).toFixed(1),
      limitMb: (limit / 1048576).toFixed(1),
      // In the subject as `[Case N]`, but not as the mail's case: the sender is not known to be the
      // case's partner, and the hourly answer limit must stay per address, not per case a stranger names.
      subjectCase: caseNumber,
      originalSubject: subject,
      originalDate: msg.meta.date ? new Date(msg.meta.date).toUTCString() : undefined,
    },
    ...(msg.meta.messageId ? { inReplyTo: msg.meta.messageId, references: [msg.meta.messageId] } : {}),
  };
}
