/**
 * What intake does with a delivery report. A bounce of a mail the desk really
 * sent (mail/bounce-verify.ts) is attached to its case in the audit trail,
 * reps are told, and a hard-bounced recipient of that mail is not mailed for
 * a while. Any other report (forged, or naming addresses the mail never went
 * to) is recorded in the audit trail and ignored: it suppresses nobody and
 * mails nobody, so a stranger cannot silence reps or sales, nor flood them.
 */
import type { DeskContext } from '../desk/context.js';
import type { BounceInfo } from '../../mail/bounce.js';
import { verifyBounce } from '../../mail/bounce-verify.js';
import type { StoredMessage } from '../../store/message-store.js';
import { enqueueMail } from '../desk/effects.js';
import { mailIds } from '../desk/queues.js';

/** Records the bounce; returns the message's outcome. */
export async function recordBounce(ctx: DeskContext, msg: StoredMessage, b: BounceInfo): Promise<string> {
  const now = ctx.clock.now();
  const kind = b.hard ? 'hard' : 'soft';
  const verdict = await verifyBounce(ctx.box, ctx.outbox, b);
  if (!verdict.counted) {
    await ctx.audit.append({
      at: now.toISOString(),
      actor: 'intake',
      action: 'bounce-ignored',
      reason: `${kind} bounce ${b.status ?? ''} from ${msg.meta.from ?? 'unknown'} ignored: it ${verdict.reason}`,
      detail: { id: msg.id },
    });
    ctx.log.warn({ message: msg.id, reason: verdict.reason }, 'delivery report not of desk mail: recorded, ignored');
    return `bounce ignored: it ${verdict.reason}`;
  }
  const { caseNumber, recipients, strangers } = verdict;
  if (b.hard) {
    for (const r of recipients)
      await ctx.outbox.suppress(r, now, `hard bounce of ${verdict.mailId}`, ctx.config.bounceSuppressDays);
  }
  const ignored = strangers.length ? ` (ignored: ${strangers.join(', ')}, not recipients of that mail)` : '';
  await ctx.audit.append({
    at: now.toISOString(),
    actor: 'intake',
    action: 'bounce',
    case: caseNumber,
    reason: `${kind} bounce ${b.status ?? ''} of ${verdict.mailId} for ${recipients.join(', ')}${ignored}`,
  });
  await enqueueMail(ctx, {
    mailId: mailIds.forMessage(msg.id, 'rep-quarantine'),
    kind: 'rep-quarantine',
    to: ctx.config.repsAddresses,
    caseNumber,
    data: {
      from: msg.meta.from ?? 'mailer-daemon',
      originalSubject: msg.meta.subject ?? '',
      reason: `${kind} bounce`,
      detail: `${recipients.join(', ')} ${b.status ?? ''}${caseNumber ? ` (case ${caseNumber})` : ''}${ignored}`,
      messageId: msg.meta.messageId ?? '',
      id: msg.id,
    },
  });
  return `bounce of ${verdict.mailId}${caseNumber ? ` (case ${caseNumber})` : ''}: ${recipients.join(', ')} ${b.status ?? ''}`;
}
