/**
 * Intake: from a stored message to forms on a case. Finds the case (signed
 * thread id, else the subject), checks the sender (DSK-3), reads the PDF
 * attachments in an isolated child process, keeps the forms (card masked,
 * DSK-5) and queues the case's review. Every message ends with a recorded
 * outcome; nothing is dropped without a word.
 */
import type { Job } from 'bullmq';
import { simpleParser, type ParsedMail, type SimpleParserOptions } from 'mailparser';
import { caseNumbersInSubject } from '../domain/subject.js';
import { readPdfIsolated } from '../forms/isolated-reader.js';
import { typeForm } from '../forms/typing.js';
import type { DeskContext } from './desk-context.js';
import { MemoryBudget } from '../lib/memory-budget.js';
import { collectPdfParts } from '../mail/attachments.js';
import { headerFields, senderAuthentication } from '../mail/auth-results.js';
import { automaticReason } from '../mail/automatic.js';
import { bounceInfo } from '../mail/bounce.js';
import { caseFromDeskMessageId } from '../mail/message-id.js';
import type { StoredMessage } from '../store/message-store.js';
import { caseNotOpen, checkSender, mergeMail, programAnswer, quarantined, routeMail, type MailFacts, type Outcome, type ReadForms, type Reply } from '../workflows/intake-steps.js';
import { runCaseStep } from './case-step.js';
import { enqueueMail } from './effects.js';
import { jobIds, mailIds, QUEUES, type IntakeJob } from './queues.js';
import { blankFormsOffer } from './sender-forms.js';
import { CODES, errorText } from '../lib/errors.js';

export function intakeProcessor(ctx: DeskContext) {
  const budget = new MemoryBudget(ctx.config.parseBudgetBytes);
  return async (job: Job<IntakeJob>): Promise<string> => {
    const meta = await ctx.messages.meta(job.data.messageId);
    if (!meta) return 'missing';
    // The body is loaded and parsed only within the budget: a message never fetched costs nothing.
    return budget.run(meta.tooLarge ? 0 : meta.size, async () => {
      const msg = await ctx.messages.get(job.data.messageId);
      if (!msg) return 'missing';
      if (msg.state !== 'stored') return `already ${msg.state}`;
      return intake(ctx, msg);
    });
  };
}

async function finish(ctx: DeskContext, msg: StoredMessage, state: 'processed' | 'quarantined', outcome: string): Promise<string> {
  await ctx.messages.finish(msg.id, state, outcome, ctx.clock.now());
  await ctx.audit.append({ at: ctx.clock.now().toISOString(), actor: 'intake', action: `message-${state}`, reason: outcome, detail: { id: msg.id } });
  return outcome;
}

/** Sends what an intake step says about one message, under ids of that message (sent once however often retried). */
async function sendReplies(ctx: DeskContext, msg: StoredMessage, mail: MailFacts, replies: Reply[], parsed?: ParsedMail): Promise<void> {
  for (const r of replies) {
    const to = r.to === 'reps' ? ctx.config.repsAddresses : mail.from ? [mail.from] : [];
    // A known, authenticated partner contact gets the blank forms with the instructions (issue 13).
    const data = r.kind === 'resend-instructions' && parsed ? { ...r.data, ...(await blankFormsOffer(ctx, parsed, mail.from)) } : r.data;
    await enqueueMail(ctx, {
      mailId: mailIds.forMessage(msg.id, r.kind), kind: r.kind, to, data,
      ...(r.caseNumber ? { caseNumber: r.caseNumber } : {}), ...(r.thread ? threading(parsed) : {}),
    });
  }
}

async function conclude(ctx: DeskContext, msg: StoredMessage, mail: MailFacts, o: Outcome, parsed?: ParsedMail): Promise<string> {
  await sendReplies(ctx, msg, mail, o.replies, parsed);
  return finish(ctx, msg, o.state, o.outcome);
}

function threading(parsed?: ParsedMail): { inReplyTo?: string; references?: string[] } {
  if (!parsed?.messageId) return {};
  return { inReplyTo: parsed.messageId, references: [...referencesOf(parsed), parsed.messageId] };
}

const referencesOf = (parsed: ParsedMail): string[] =>
  Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : [];

/** What the pure intake steps need to know of a parsed mail. */
function mailFacts(ctx: DeskContext, parsed: ParsedMail): MailFacts {
  const subject = parsed.subject ?? '';
  const refs = [parsed.inReplyTo, ...referencesOf(parsed)].filter((r): r is string => !!r);
  return {
    from: (parsed.from?.value[0]?.address ?? '').toLowerCase(),
    subject,
    messageId: parsed.messageId,
    threadedCase: refs.map((r) => caseFromDeskMessageId(ctx.box, r)).find((n) => n !== undefined),
    numbersInSubject: caseNumbersInSubject(subject),
  };
}

async function intake(ctx: DeskContext, msg: StoredMessage): Promise<string> {
  const log = ctx.log.child({ role: 'intake', message: msg.id });
  if (msg.meta.tooLarge || !msg.raw) {
    const limit = ctx.config.maxMessageBytes;
    const from = msg.meta.from?.toLowerCase();
    if (from) {
      await enqueueMail(ctx, {
        mailId: mailIds.forMessage(msg.id, 'too-large'), kind: 'too-large', to: [from],
        data: { size: msg.meta.size, limit, sizeMb: (msg.meta.size / 1048576).toFixed(1), limitMb: (limit / 1048576).toFixed(1) },
        ...(msg.meta.messageId ? { inReplyTo: msg.meta.messageId, references: [msg.meta.messageId] } : {}),
      });
    }
    const mail: MailFacts = { from: '', subject: msg.meta.subject ?? '', messageId: msg.meta.messageId, numbersInSubject: [] };
    return conclude(ctx, msg, { ...mail, from: msg.meta.from ?? '' },
      quarantined({ ...mail, from: msg.meta.from ?? '' }, msg.id, 'too large', `${msg.meta.size} bytes, over the limit of ${limit} bytes (the body was never fetched)`, false));
  }
  // keepDeliveryStatus: a bounce's delivery-status part stays an attachment (bounce.ts reads it).
  const options = { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true, keepDeliveryStatus: true } as SimpleParserOptions;
  const parsed = await simpleParser(msg.raw, options);

  const bounce = bounceInfo(parsed);
  if (bounce.isBounce) return recordBounce(ctx, msg, bounce);

  const automatic = automaticReason(parsed, ctx.config.deskAddress);
  if (automatic) {
    log.info({ automatic }, 'automatic mail: recorded, not answered');
    return finish(ctx, msg, 'processed', `automatic mail not answered (${automatic})`);
  }

  const mail = mailFacts(ctx, parsed);
  const routed = routeMail(mail); // DSK-1
  if (!('caseNumber' in routed)) return conclude(ctx, msg, mail, routed, parsed);
  const { caseNumber } = routed;
  const registryCase = await ctx.registry.getCase(caseNumber);
  if (!registryCase) return conclude(ctx, msg, mail, caseNotOpen(mail, caseNumber), parsed); // DSK-2

  const snapshot = await ctx.registry.snapshotForPartner(registryCase.partnerId);
  const program = ctx.programs.get(registryCase.program);
  const sender = checkSender({ // DSK-3
    mail, messageId: msg.id, caseNumber, registryCase, program,
    partnerContacts: snapshot.partners.get(registryCase.partnerId)?.contacts,
    programSenders: program.senders(registryCase, snapshot),
    releasedBy: msg.released,
    authentication: ctx.config.authservId && !msg.released
      ? senderAuthentication(headerFields(parsed), { authservId: ctx.config.authservId, fromAddress: mail.from })
      : undefined,
  });
  if (!('ok' in sender)) {
    log.warn({ caseNumber, outcome: sender.outcome }, 'sender refused (DSK-3)');
    return conclude(ctx, msg, mail, sender, parsed);
  }
  if (msg.released) log.info({ caseNumber, by: msg.released }, 'message released by a rep: sender accepted');

  const read = await readForms(ctx, parsed);

  // SWP-9 and the like: answered whatever the forms say; reps see it.
  const answers = programAnswer(program, mail, msg.id, caseNumber, `${mail.subject}\n${parsed.text ?? ''}`);
  if (answers.length > 0) {
    await sendReplies(ctx, msg, mail, answers, parsed);
    if (read.pdfCount === 0) return finish(ctx, msg, 'processed', `case ${caseNumber}: refund request answered (SWP-9)`);
  }

  const message = { id: msg.id, messageId: parsed.messageId, from: mail.from, subject: mail.subject, receivedAt: ctx.clock.now().toISOString(), attachments: parsed.attachments.map((a) => a.filename ?? a.contentType) };
  let outcome = '';
  const result = await runCaseStep(ctx, caseNumber, (stored, now) => {
    const merged = mergeMail(stored?.doc, registryCase, { ...message, receivedAt: now.toISOString() }, read, now);
    if ('skip' in merged) return merged;
    outcome = merged.outcome;
    return { step: merged, actor: `partner:${mail.from}` };
  });
  return finish(ctx, msg, 'processed', outcome || result);
}

/** Every PDF of the mail read in an isolated child (card masked inside, DSK-5); what could not be read, and why. */
async function readForms(ctx: DeskContext, parsed: ParsedMail): Promise<ReadForms & { pdfCount: number }> {
  const now = ctx.clock.now();
  const collected = await collectPdfParts(parsed);
  const read: ReadForms = { forms: {}, problems: [], discarded: [], unreadable: [], disagreements: [] };
  for (const name of collected.winmail) {
    read.unreadable.push({ file: name, code: CODES.E_MAIL_WINMAIL, message: errorText(CODES.E_MAIL_WINMAIL) });
  }
  for (const a of collected.pdfs) {
    const file = a.filename || 'attachment.pdf';
    const pdf = await readPdfIsolated(new Uint8Array(a.content));
    if (!pdf.ok) {
      read.unreadable.push({ file, code: pdf.error.code, message: pdf.error.message });
      continue;
    }
    read.discarded.push(...pdf.form.discarded);
    const disagree = (pdf.form as { disagreements?: string[] }).disagreements;
    if (disagree && disagree.length > 0) read.disagreements.push({ file, formId: pdf.form.formId, fields: disagree });
    const typed = typeForm(pdf.form, { now, tokenize: (digits) => `tok_${ctx.box.sign(`card:${digits}`, 24)}` });
    if ('unknownFormId' in typed) {
      read.unreadable.push({ file, code: CODES.E_PDF_UNKNOWN_FORM, message: `the form "${typed.unknownFormId}" is not one this desk reads; send the desk's own blank forms, filled` });
      continue;
    }
    (read.forms as Record<string, unknown>)[typed.form.formId] = typed.form;
    read.problems.push(...typed.problems);
  }
  return { ...read, pdfCount: collected.pdfs.length };
}

/**
 * A bounce of the desk's own mail: attached to its case (the original's
 * signed Message-ID names it), reps told, and a hard-bounced address is not
 * mailed again for a while.
 */
async function recordBounce(ctx: DeskContext, msg: StoredMessage, b: ReturnType<typeof bounceInfo>): Promise<string> {
  const caseNumber = b.originalMessageId ? caseFromDeskMessageId(ctx.box, b.originalMessageId) : undefined;
  const now = ctx.clock.now();
  if (b.hard) {
    for (const r of b.recipients) await ctx.outbox.suppress(r, now, 'hard bounce', ctx.config.bounceSuppressDays);
  }
  await ctx.audit.append({ at: now.toISOString(), actor: 'intake', action: 'bounce', case: caseNumber, reason: `${b.hard ? 'hard' : 'soft'} bounce ${b.status ?? ''} for ${b.recipients.join(', ')}` });
  await enqueueMail(ctx, {
    mailId: mailIds.forMessage(msg.id, 'rep-quarantine'), kind: 'rep-quarantine', to: ctx.config.repsAddresses, caseNumber,
    data: { from: msg.meta.from ?? 'mailer-daemon', originalSubject: msg.meta.subject ?? '', reason: `${b.hard ? 'hard' : 'soft'} bounce`, detail: `${b.recipients.join(', ')} ${b.status ?? ''}${caseNumber ? ` (case ${caseNumber})` : ''}`, messageId: msg.meta.messageId ?? '', id: msg.id },
  });
  return finish(ctx, msg, 'processed', `bounce${caseNumber ? ` of case ${caseNumber}` : ''}: ${b.recipients.join(', ')} ${b.status ?? ''}`);
}

