/**
 * Whether a delivery report may silence anyone. Anyone can mail the desk a
 * report "your mail to reps@… failed for good"; believed, it would stop the
 * reps' and sales' mail for days. So a bounce counts only when it quotes a
 * Message-ID the desk signed (mail/message-id.ts) of a mail the outbox says
 * was sent, and it suppresses only recipients of that very mail. Anything
 * else is recorded and ignored.
 */
import type { SecretBox } from '../lib/secret-box.js';
import type { BounceInfo } from './bounce.js';
import { mailIdFromDeskMessageId } from './message-id.js';

export type BounceVerdict =
  | {
      counted: true;
      mailId: string;
      caseNumber?: string;
      /** Recipients of that desk mail the report says failed. */
      recipients: string[];
      /** Failed recipients the report names that the desk mail did not go to: not believed. */
      strangers: string[];
    }
  | { counted: false; reason: string };

/** What the outbox recorded of a desk mail (store/outbox.ts's record; mail sits below the store, so it is named here). */
export interface SentMailLookup {
  get(mailId: string): Promise<{ status: string; to: string[]; caseNumber?: string } | undefined>;
}

export async function verifyBounce(box: SecretBox, outbox: SentMailLookup, b: BounceInfo): Promise<BounceVerdict> {
  if (!b.originalMessageId) return { counted: false, reason: 'quotes no Message-ID of the desk' };
  const mailId = mailIdFromDeskMessageId(box, b.originalMessageId);
  if (!mailId) return { counted: false, reason: `quotes ${b.originalMessageId}, which the desk did not sign` };
  const sent = await outbox.get(mailId);
  if (!sent || sent.status !== 'sent')
    return { counted: false, reason: `quotes desk mail ${mailId}, which was not sent` };
  const to = new Set(sent.to.map((a) => a.toLowerCase()));
  const recipients = b.recipients.filter((r) => to.has(r));
  const strangers = b.recipients.filter((r) => !to.has(r));
  if (recipients.length === 0)
    return {
      counted: false,
      reason: `names ${b.recipients.join(', ') || 'no recipient'}, none of whom desk mail ${mailId} went to`,
    };
  return { counted: true, mailId, ...(sent.caseNumber ? { caseNumber: sent.caseNumber } : {}), recipients, strangers };
}
