/**
 * Sends the desk's mail: a job of one mail, or of the mails of one commit. One
 * mail per mail id, even when the job is retried: the outbox record is checked
 * first and written after the send, and the Message-ID is deterministic so a
 * receiver can tell a rare resend apart.
 */
import type { Job } from 'bullmq';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DeskContext } from '../desk/context.js';
import { retryThroughFailover } from '../../lib/through-failover.js';
import { deskMessageId } from '../../mail/message-id.js';
import { isAutoReply, MAIL_KINDS } from '../../mail/mail-kinds.js';
import { renderMail, warmTextTemplates } from '../../mail/render.js';
import { normaliseMailbox } from '../../mail/sender-address.js';
import { sendFailed } from './failure.js';
import { prepareHtmlOffLoop, renderHtmlOffLoop } from '../../mail/render-html-client.js';
import { planAttachments } from './attachments.js';
import { smtpPoolOptions, smtpTls, smtpTlsFailure } from './smtp-url.js';
import type { MailJob, MailsJob, WebhookJob } from '../desk/queues.js';
import { deliverWebhook } from './webhook-delivery.js';
import { partnerMailExtras } from './partner-mail.js';

/**
 * A pool of SMTP connections, one per mail sent at once: a connection per
 * mail cost a TCP connect, greeting, EHLO and QUIT (with smtps:// a TLS
 * handshake too) for every mail. A connection the server drops is opened
 * again by the pool; a send that fails is retried as before (workers/desk/mail-retry.ts).
 */
export function createTransport(smtpUrl: string, connections = 4, log?: DeskContext['log']): Transporter {
  // nodemailer does not say which connections stayed in plaintext, so a URL that allows it is named once, here.
  if (smtpTls(smtpUrl) === 'starttls-optional')
    log?.warn(
      'LICENSEDESK_SMTP_URL allows plaintext (?tls=optional): when the SMTP server offers no STARTTLS, its password and the mail cross the network in clear',
    );
  return nodemailer.createTransport(smtpPoolOptions(smtpUrl, connections));
}

export function notifyProcessor(ctx: DeskContext, transport: Transporter) {
  // The shared HTML layout is compiled once, as the worker starts, in the HTML thread (a failure is retried by the first
  // mail); the text templates on this loop, one kind per turn (the loop never blocks over 100 ms).
  prepareHtmlOffLoop().catch((e: unknown) =>
    ctx.log.error({ err: e instanceof Error ? e.message : String(e) }, 'mail layout did not compile'),
  );
  warmTextTemplates(Object.keys(MAIL_KINDS) as Array<keyof typeof MAIL_KINDS>).catch((e: unknown) =>
    ctx.log.error({ err: e instanceof Error ? e.message : String(e) }, 'mail text templates did not compile'),
  );
  const send = sendOne(ctx, transport);
  return async (job: Job<MailJob | MailsJob | WebhookJob>): Promise<string> => {
    // Webhook deliveries share the notify queue: telling other systems is notifying them too.
    if (job.name === 'webhook') return deliverWebhook(ctx, job as Job<WebhookJob>);
    if (job.name !== 'mails') return send(job.data as MailJob);
    // The mails of one commit, all at once (each on a connection of the SMTP pool), as separate jobs went: the
    // partner's is started first. A mail that fails does not keep the others from going; the job is then tried
    // again, and the outbox skips those already sent.
    const settled = await Promise.allSettled((job.data as MailsJob).mails.map((m) => send(m)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((r) => (r.status === 'fulfilled' ? r.value : 'failed')).join(' ');
  };
}

/** Sends one mail, once: its outbox record is checked first and written after the send. */
function sendOne(ctx: DeskContext, transport: Transporter) {
  return async (m: MailJob): Promise<string> => {
    if (await ctx.outbox.get(m.mailId)) return 'already-sent';
    const now = ctx.clock.now();
    const messageId = deskMessageId(ctx.box, m.mailId, ctx.config.deskAddress);
    // Which forms go with the mail is known now (the text names them); their PDFs are made only once it is sure to go out.
    const attachments = await planAttachments(ctx, m);
    // A partner's mail is written in its language and carries its recipient's status link.
    const firstTo = m.to.find(Boolean);
    const extras = await partnerMailExtras(
      ctx,
      m,
      firstTo ? (isAutoReply(m.kind) ? normaliseMailbox(firstTo) : firstTo) : undefined,
    );
    // A mail about no case may still name one (`resend-instructions`: case N is not open here).
    const data = {
      ...m.data,
      ...attachments.data,
      ...(m.caseNumber ? { caseNumber: m.caseNumber } : {}),
      ...extras,
      // Reps' mail links to the console page of what it is about, not to a CLI command.
      ...(MAIL_KINDS[m.kind] === 'reps' ? { consoleOrigin: consoleOriginOf(ctx.config) } : {}),
    };
    const { subject, text } = renderMail(m.kind, data, m.caseNumber);
    const base = {
      mailId: m.mailId,
      kind: m.kind,
      to: m.to,
      subject,
      messageId,
      caseNumber: m.caseNumber,
      at: now.toISOString(),
      text,
    };
    const auto = isAutoReply(m.kind);
    const to: string[] = [];
    for (const given of m.to.filter(Boolean)) {
      // An automatic answer goes to one mailbox, keyed and mailed as normalised: nodemailer would split an address
      // holding a comma into two recipients, and a spelling of its own would get an hourly limit of its own.
      const address = auto ? normaliseMailbox(given) : given;
      if (!address) ctx.log.warn({ mailId: m.mailId }, 'address not mailed: it is not one well-formed mailbox');
      else if (await ctx.outbox.suppressedReason(address))
        ctx.log.warn({ mailId: m.mailId }, 'address not mailed: it hard-bounced recently');
      else to.push(address);
    }
    if (to.length === 0) {
      await ctx.outbox.record({
        ...base,
        status: 'suppressed',
        reason: m.to.length
          ? 'no address could be mailed (hard-bounced recently, or not one well-formed mailbox)'
          : `no ${MAIL_KINDS[m.kind]} address configured`,
      });
      return 'no-recipient';
    }
    const held: string[] = [];
    if (auto) {
      for (const address of to) {
        // Loops come from unknown or automatic mail, so the hourly cap is per sender
        // there; mail about a verified case is capped per (sender, case), since a
        // busy partner rightly gets answers on many cases an hour.
        const slot = m.caseNumber ? `${address}|case-${m.caseNumber}` : address;
        if (!(await ctx.outbox.holdReplySlot(slot, m.mailId, now, ctx.config.replyLimitPerHour))) {
          for (const h of held) await ctx.outbox.releaseReplySlot(h, m.mailId, now);
          await ctx.outbox.record({
            ...base,
            status: 'suppressed',
            reason: `reply limit of ${ctx.config.replyLimitPerHour} an hour reached for ${address}`,
          });
          ctx.log.warn({ mailId: m.mailId, kind: m.kind }, 'automatic answer suppressed by the hourly limit');
          return 'rate-limited';
        }
        held.push(slot);
      }
    }
    const headers: Record<string, string> = {
      'X-Licensedesk-Kind': m.kind,
      // RFC 3834: our mail is automatic, so well-behaved responders don't answer it.
      'Auto-Submitted': auto ? 'auto-replied' : 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-Loop': ctx.config.deskAddress,
    };
    if (m.caseNumber) headers['X-Licensedesk-Case'] = m.caseNumber;
    if (extras.statusUrl) headers['X-Licensedesk-Status-Url'] = extras.statusUrl;
    if (extras.locale) headers['Content-Language'] = extras.locale.language;
    const html = await renderHtmlOffLoop(m.kind, data, subject, m.caseNumber);
    const files = await attachments.build();
    try {
      await transport.sendMail({
        from: ctx.config.deskAddress,
        to,
        subject,
        text,
        html,
        ...(files.length > 0 ? { attachments: files } : {}),
        messageId,
        inReplyTo: m.inReplyTo,
        references: m.references && m.references.length > 0 ? m.references : undefined,
        headers,
      });
    } catch (err) {
      // Not sent, so it does not count against the hourly limit.
      for (const h of held) await ctx.outbox.releaseReplySlot(h, m.mailId, now);
      return sendFailed(ctx, m, base, ctx.config.smtpUrl ? smtpTlsFailure(err, ctx.config.smtpUrl) : err);
    }
    // The mail is out: its record must land even across a failover, or a retry would send it again.
    await retryThroughFailover(() => ctx.outbox.record({ ...base, status: 'sent' }), {
      forMs: 12_000,
      onError: (e) => ctx.outage.report('outbox record', e),
    });
    return 'sent';
  };
}

/** The console's public origin (LICENSEDESK_CONSOLE_ORIGIN), else its loopback address. */
function consoleOriginOf(c: { consoleOrigin?: string; httpPort: number }): string {
  return c.consoleOrigin ?? `http://127.0.0.1:${c.httpPort}`;
}
