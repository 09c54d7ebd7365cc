/**
 * A message the MIME child could not parse within its budget (time, memory)
 * or at all: the sender is told what to send instead, and intake quarantines
 * it with the reason, so reps see it in `quarantine list`. The reply is built
 * from what ingest recorded (envelope From, Subject, Message-ID), since the
 * message itself was never read.
 */
import type { DeskContext } from '../desk/context.js';
import type { MailParseResult } from '../../mail/mail-lite.js';
import type { StoredMessage } from '../../store/message-store.js';
import { enqueueMail } from '../desk/effects.js';
import { mailIds } from '../desk/queues.js';

export type MailParseFailure = Extract<MailParseResult, { ok: false }>['error'];

/** Queues the `unreadable-mail` answer to the sender (when ingest knew one); returns the quarantine detail. */
export async function answerUnreadableMail(
  ctx: DeskContext,
  msg: StoredMessage,
  error: MailParseFailure,
): Promise<string> {
  const from = msg.meta.from?.toLowerCase();
  if (from) {
    await enqueueMail(ctx, {
      mailId: mailIds.forMessage(msg.id, 'unreadable-mail'),
      kind: 'unreadable-mail',
      to: [from],
      // The sender's text is not echoed: the sender is not known to be a partner yet.
      data: { code: error.code, message: error.message },
      ...(msg.meta.messageId ? { inReplyTo: msg.meta.messageId, references: [msg.meta.messageId] } : {}),
    });
  }
  return `${error.code}: ${error.message}`;
}
