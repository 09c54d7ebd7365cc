/**
 * What the notify worker does when the SMTP server did not take a mail: a
 * temporary failure is thrown back to BullMQ, which tries again with the
 * capped backoff of workers/desk/mail-retry.ts (the mail is never dropped); a permanent
 * refusal (5xx) is recorded and not tried again. Either way, reps get one
 * `rep-mail-failing` mail (deterministic id) once a mail has kept failing for
 * an hour, or at once when it was refused for good.
 */
import type { DeskContext } from '../desk/context.js';
import type { OutboxRecord } from '../../store/outbox.js';
import { enqueueMail } from '../desk/effects.js';
import { isPermanentSmtpError, MAIL_FAILING_ALERT_MS } from '../desk/mail-retry.js';
import type { MailJob } from '../desk/queues.js';

export const FAILING_KIND = 'rep-mail-failing';

/** The alert's own mail id: one alert per failing mail, however many attempts fail. */
export const failingAlertId = (mailId: string): string => `alert.${mailId}.${FAILING_KIND}`;

export async function sendFailed(
  ctx: DeskContext,
  m: MailJob,
  base: Omit<OutboxRecord, 'status'>,
  err: unknown,
): Promise<string> {
  const now = ctx.clock.now();
  const message = err instanceof Error ? err.message : String(err);
  const permanent = isPermanentSmtpError(err);
  const since = await ctx.outbox.firstFailure(m.mailId, now);
  const failingMs = now.getTime() - since.getTime();
  // An alert about an alert would only fail the same way.
  if (m.kind !== FAILING_KIND && (permanent || failingMs >= MAIL_FAILING_ALERT_MS)) {
    await enqueueMail(ctx, {
      mailId: failingAlertId(m.mailId),
      kind: FAILING_KIND,
      to: ctx.config.repsAddresses,
      ...(m.caseNumber ? { caseNumber: m.caseNumber } : {}),
      data: {
        failedMailId: m.mailId,
        failedKind: m.kind,
        failedTo: m.to.join(', '),
        since: since.toISOString(),
        minutes: Math.floor(failingMs / 60_000),
        error: message.slice(0, 300),
        permanent,
      },
    });
  }
  if (permanent) {
    await ctx.outbox.record({
      ...base,
      status: 'suppressed',
      reason: `refused by the SMTP server: ${message.slice(0, 300)}`,
    });
    ctx.log.error(
      { mailId: m.mailId, kind: m.kind, err: message },
      'mail refused by the SMTP server for good; reps told',
    );
    return 'refused';
  }
  ctx.log.warn(
    { mailId: m.mailId, kind: m.kind, err: message, failingSince: since.toISOString() },
    'mail not sent; it will be tried again',
  );
  throw err instanceof Error ? err : new Error(message);
}
