/**
 * Intake: from a stored message to forms on a case. Finds the case (signed
 * thread id, else the subject), checks the sender (DSK-3), reads the PDF
 * attachments in an isolated child process, keeps the forms (card masked,
 * DSK-5) and queues the case's review. Every message ends with a recorded
 * outcome; nothing is dropped without a word.
 */
import type { Job } from 'bullmq';
import { caseNumbersInSubject } from '../../domain/subject.js';
import { withoutCardNumbers } from '../../lib/card-number.js';
import { typeForm } from '../../forms/typing.js';
import type { DeskContext } from '../desk/context.js';
import { MemoryBudget } from '../../lib/isolation/memory-budget.js';
import { setParseChildMemoryMb } from '../../lib/isolation/memory-limit.js';
import { headerFields, senderAuthentication } from '../../mail/auth-results.js';
import { mayAnswer, mayAnswerHeaders, type AnswerVerdict } from '../../mail/answer-policy.js';
import { automaticReason } from '../../mail/automatic.js';
import { bounceInfo } from '../../mail/bounce.js';
import { caseFromDeskMessageId } from '../../mail/message-id.js';
import { parseMailIsolated, prewarmMimePool, type ParsedMailLite } from '../../mail/mime-parse-client.js';
import { envelopeSender, senderMailbox } from '../../mail/sender-address.js';
import { caseFromSentMessageId } from './sent-message-ids.js';
import type { StoredMessage } from '../../store/message-store.js';
import {
  caseNotOpen,
  checkSender,
  mergeMail,
  programAnswer,
  quarantined,
  routeMail,
  type MailFacts,
  type Outcome,
  type ReadForms,
  type Reply,
} from '../../workflows/intake-steps.js';
import { recordBounce } from './bounce-record.js';
import { runCaseStep, type NextStep, type PassRoles } from '../desk/case-step.js';
import { reviewInPass, type RegistryReads } from '../review/index.js';
import { enqueueMail } from '../desk/effects.js';
import { MessageParseBudget } from './parse-budget.js';
import { noteQuarantine } from '../notify/index.js';
import { tooLargeReply } from './too-large-reply.js';
import { messageJoinedCase, retireMessages } from '../retention/index.js';
import { finishMessage } from './message-finish.js';
import { mailIds, type IntakeJob } from '../desk/queues.js';
import { CODES, errorText } from '../../lib/errors.js';
import { answerUnreadableMail } from './unreadable-mail.js';
import { noteCardPdfVerdicts, pdfDigest, verdictOf, type CardPdfVerdict } from '../retention/index.js';
import { blankFormsOffer } from './sender-forms.js';
import { partnersOfContact } from '../../registry/partner-contacts.js';
import { PAGE_OVERTIME_MESSAGE, UNPLACED_MESSAGE } from '../../forms/paper/paper-result.js';
import { paperRecord, routeFax } from './paper-intake.js';
import { PaperCrops } from '../../store/paper-crops.js';

/**
 * `pass`: the steps this process also runs (its roles) and may so take in the same pass as the intake: the mail
 * that completes a case is then read, reviewed and moved in one job and one commit. A process without the review
 * role leaves the review to its queue, where a process that has it takes it.
 */
export function intakeProcessor(ctx: DeskContext, pass: PassRoles = { review: true, transfer: true }) {
  const next: PassNext | undefined = pass.review ? (reads) => reviewInPass(pass.transfer, reads) : undefined;
  const budget = new MemoryBudget(ctx.config.parseBudgetBytes);
  setParseChildMemoryMb(ctx.config.parseChildMemoryMb);
  prewarmMimePool();
  return async (job: Job<IntakeJob>): Promise<string> => {
    const meta = await ctx.messages.meta(job.data.messageId);
    if (!meta) return 'missing';
    // The body is loaded and parsed only within the budget: a message never fetched costs nothing.
    return budget.run(meta.tooLarge ? 0 : meta.size, async () => {
      const msg = await ctx.messages.get(job.data.messageId);
      if (!msg) return 'missing';
      if (msg.state !== 'stored') return `already ${msg.state}`;
      return intake(ctx, msg, next);
    });
  };
}

function finish(
  ctx: DeskContext,
  msg: StoredMessage,
  state: 'processed' | 'quarantined',
  outcome: string,
  onCase = false,
): Promise<string> {
  return finishMessage(ctx, msg.id, state, outcome, { actor: 'intake', onCase, raw: msg.raw });
}

/** Sends what an intake step says about one message, under ids of that message (sent once however often retried). */
async function sendReplies(
  ctx: DeskContext,
  msg: StoredMessage,
  mail: MailFacts,
  replies: Reply[],
  parsed?: ParsedMailLite,
): Promise<void> {
  for (const r of replies) {
    const to = r.to === 'reps' ? ctx.config.repsAddresses : mail.from ? [mail.from] : [];
    await enqueueMail(ctx, {
      mailId: mailIds.forMessage(msg.id, r.kind),
      kind: r.kind,
      to,
      data: r.data,
      ...(r.caseNumber ? { caseNumber: r.caseNumber } : {}),
      ...(r.thread ? threading(parsed) : {}),
    });
  }
}

/**
 * Ends a message that reaches no case. A quarantine's notice to reps joins
 * their digest of its kind (at most one mail per 10 minutes), so strangers
 * cannot flood them; nothing is answered to a sender the trusted host did
 * not pass (backscatter).
 */
async function conclude(
  ctx: DeskContext,
  msg: StoredMessage,
  mail: MailFacts,
  o: Outcome,
  parsed: ParsedMailLite | undefined,
  answer: AnswerVerdict,
): Promise<string> {
  const replies: Reply[] = [];
  for (const r of o.replies) {
    if (o.state === 'quarantined' && r.kind === 'rep-quarantine') {
      const d = r.data as {
        from: string;
        originalSubject: string;
        reason: string;
        detail: string;
        messageId: string;
        id: string;
      };
      await noteQuarantine(ctx, { ...d, at: ctx.clock.now().toISOString() });
    } else if (r.to === 'reps' || answer.ok) {
      replies.push(r);
    }
  }
  for (const r of replies) {
    // A known partner contact asking without a usable case number also gets the blank forms (never a stranger).
    if (r.kind === 'resend-instructions' && parsed)
      r.data = { ...r.data, ...(await blankFormsOffer(ctx, parsed, mail.from)) };
  }
  await sendReplies(ctx, msg, mail, replies, parsed);
  return finish(ctx, msg, o.state, answer.ok ? o.outcome : `${o.outcome}; not answered: ${answer.reason}`);
}

/**
 * Whether a mail known by its envelope alone (never fetched, or not parsed) may be answered, and to which
 * address: one well-formed mailbox that, with LICENSEDESK_AUTHSERV_ID, the trusted host passed.
 */
function answerEnvelopeSender(
  ctx: DeskContext,
  msg: StoredMessage,
): { ok: true; address: string } | { ok: false; reason: string } {
  const sender = envelopeSender(msg.meta.from);
  if (!sender.ok) return sender;
  const verdict = mayAnswerHeaders(ctx.config.authservId, msg.meta.authResults, sender.address);
  return verdict.ok ? sender : verdict;
}

function threading(parsed?: ParsedMailLite): { inReplyTo?: string; references?: string[] } {
  if (!parsed?.messageId) return {};
  return { inReplyTo: parsed.messageId, references: [...referencesOf(parsed), parsed.messageId] };
}

const referencesOf = (parsed: ParsedMailLite): string[] =>
  Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : [];

/** What the pure intake steps need to know of a parsed mail; `from` is its one sender, normalised. */
async function mailFacts(ctx: DeskContext, parsed: ParsedMailLite, from: string): Promise<MailFacts> {
  const subject = parsed.subject ?? '';
  const refs = [parsed.inReplyTo, ...referencesOf(parsed)].filter((r): r is string => !!r);
  return {
    from,
    // What the desk keeps or quotes of the subject never holds a card number (DSK-5).
    subject: withoutCardNumbers(subject),
    messageId: parsed.messageId,
    threadedCase:
      refs.map((r) => caseFromDeskMessageId(ctx.box, r)).find((n) => n !== undefined) ??
      (await caseFromSentMessageId(ctx, refs)), // signed under a secret rotated away: the outbox knows it
    numbersInSubject: caseNumbersInSubject(subject),
  };
}

/** The review that may follow the intake in its pass, given what the intake read of the registry. */
type PassNext = (reads: RegistryReads) => NextStep;

async function intake(ctx: DeskContext, msg: StoredMessage, next: PassNext | undefined): Promise<string> {
  const log = ctx.log.child({ role: 'intake', message: msg.id });
  if (msg.meta.tooLarge || !msg.raw) {
    const limit = ctx.config.maxMessageBytes;
    // Never to a forged sender (with LICENSEDESK_AUTHSERV_ID, only one the trusted host passed), nor to a From that
    // is not one mailbox.
    const answer = answerEnvelopeSender(ctx, msg);
    if (answer.ok) await enqueueMail(ctx, tooLargeReply(msg, limit, answer.address));
    const mail: MailFacts = {
      from: '',
      subject: msg.meta.subject ?? '',
      messageId: msg.meta.messageId,
      numbersInSubject: [],
    };
    return conclude(
      ctx,
      msg,
      { ...mail, from: msg.meta.from ?? '' },
      quarantined(
        { ...mail, from: msg.meta.from ?? '' },
        msg.id,
        'too large',
        `${msg.meta.size} bytes, over the limit of ${limit} bytes (the body was never fetched)`,
        false,
      ),
      undefined,
      answer,
    );
  }
  // Parsed in a MIME child within the message's time budget, never on this event loop (mail/mime-parse-client.ts).
  const parseBudget = new MessageParseBudget(ctx.config.parseMessageSeconds);
  const parsedMail = await parseMailIsolated(msg.raw, { timeoutMs: parseBudget.remainingMs() });
  if (!parsedMail.ok) {
    log.warn({ code: parsedMail.error.code }, 'message could not be parsed: quarantined, sender answered');
    const answer = answerEnvelopeSender(ctx, msg);
    const facts: MailFacts = {
      from: answer.ok ? answer.address : (msg.meta.from ?? ''),
      subject: msg.meta.subject ?? '',
      messageId: msg.meta.messageId,
      numbersInSubject: [],
    };
    const detail = answer.ok
      ? await answerUnreadableMail(ctx, msg, parsedMail.error)
      : `${parsedMail.error.code}: ${parsedMail.error.message}`;
    return conclude(ctx, msg, facts, quarantined(facts, msg.id, 'unreadable mail', detail, false), undefined, answer);
  }
  const parsed = parsedMail.mail;

  const bounce = bounceInfo(parsed);
  if (bounce.isBounce) return finish(ctx, msg, 'processed', await recordBounce(ctx, msg, bounce));

  const automatic = automaticReason(parsed, ctx.config.deskAddress);
  if (automatic) {
    log.info({ automatic }, 'automatic mail: recorded, not answered');
    return finish(ctx, msg, 'processed', `automatic mail not answered (${automatic})`);
  }

  const sender = senderMailbox(parsed);
  if (!sender.ok) {
    // Recorded for reps, never answered: an answer would go to whatever the From's parts name.
    const raw = (parsed.from?.text ?? '').slice(0, 200);
    const facts: MailFacts = {
      from: raw,
      subject: withoutCardNumbers(parsed.subject ?? ''),
      messageId: parsed.messageId,
      numbersInSubject: [],
    };
    log.warn({ reason: sender.reason }, 'From is not one mailbox: quarantined, not answered (DSK-3)');
    const detail = `${raw || 'no From address'}: ${sender.reason} (DSK-3)`;
    const o = quarantined(facts, msg.id, 'malformed sender', detail, false);
    return conclude(ctx, msg, facts, o, parsed, { ok: false, reason: sender.reason });
  }
  const mail = await mailFacts(ctx, parsed, sender.address);
  // Backscatter: with LICENSEDESK_AUTHSERV_ID, no automatic answer to a sender the trusted host did not pass.
  const answer: AnswerVerdict = msg.released ? { ok: true } : mayAnswer(ctx.config.authservId, parsed, mail.from);
  // DSK-9: a fax gateway's mail has no case number in its subject and an unverifiable sender: filed by the
  // case number its forms carry, never answered to the gateway, always held for a rep.
  const fax = ctx.config.faxSenders.includes(mail.from);
  const faxRead = fax ? await readForms(ctx, parsed, parseBudget, true) : undefined;
  const routed = faxRead ? routeFax(mail, msg.id, faxRead) : routeMail(mail); // DSK-1
  if (!('caseNumber' in routed))
    return conclude(
      ctx,
      msg,
      mail,
      routed,
      parsed,
      fax ? { ok: false, reason: 'a fax gateway is never answered (DSK-9)' } : answer,
    );
  const { caseNumber } = routed;
  const registryCase = await ctx.registry.getCase(caseNumber);
  if (!registryCase && fax) {
    const o = quarantined(
      mail,
      msg.id,
      'fax for no open case',
      `${mail.from}: case ${caseNumber} is not open (DSK-9)`,
      false,
    );
    return conclude(ctx, msg, mail, o, parsed, { ok: false, reason: 'a fax gateway is never answered (DSK-9)' });
  }
  if (!registryCase) {
    // DSK-2, and DSK-3 for a stranger: told no more than about an open case.
    const knownContact = !!msg.released || (await partnersOfContact(ctx.redis, ctx.keys, mail.from)).length > 0;
    const o = caseNotOpen(mail, caseNumber, { messageId: msg.id, knownContact });
    return conclude(ctx, msg, mail, o, parsed, answer);
  }

  const { snapshot, version: registryVersion } = await ctx.registry.versionedSnapshotForPartner(registryCase.partnerId);
  const program = ctx.programs.get(registryCase.program);
  const allowed = fax
    ? ({ ok: true } as const)
    : checkSender({
        // DSK-3
        mail,
        messageId: msg.id,
        caseNumber,
        registryCase,
        program,
        partnerContacts: snapshot.partners.get(registryCase.partnerId)?.contacts,
        programSenders: program.senders(registryCase, snapshot),
        releasedBy: msg.released,
        authentication:
          ctx.config.authservId && !msg.released
            ? senderAuthentication(headerFields(parsed), { authservId: ctx.config.authservId, fromAddress: mail.from })
            : undefined,
      });
  if (!('ok' in allowed)) {
    log.warn({ caseNumber, outcome: allowed.outcome }, 'sender refused (DSK-3)');
    return conclude(ctx, msg, mail, allowed, parsed, answer);
  }
  if (msg.released) log.info({ caseNumber, by: msg.released }, 'message released by a rep: sender accepted');

  const read = faxRead ?? (await readForms(ctx, parsed, parseBudget));
  if (fax) read.faxReplyTo = snapshot.partners.get(registryCase.partnerId)?.contacts[0];
  await noteCardPdfVerdicts(ctx, msg.id, read.verdicts); // the card strip then reads none of them again

  // A program's answer whatever the forms say (a refund asked of a final sale); reps see it.
  const answers = programAnswer(program, mail, msg.id, caseNumber, `${mail.subject}\n${parsed.text ?? ''}`);
  if (answers.length > 0) {
    await sendReplies(ctx, msg, mail, answers, parsed);
    if (read.pdfCount === 0)
      return finish(ctx, msg, 'processed', `case ${caseNumber}: ${answers[0]!.kind} answer sent`);
  }

  const message = {
    id: msg.id,
    messageId: parsed.messageId,
    from: mail.from,
    subject: mail.subject,
    receivedAt: ctx.clock.now().toISOString(),
    attachments: parsed.attachments.map((a) => withoutCardNumbers(a.filename ?? a.contentType)),
  };
  // The boxes as the page showed them, for the rep who confirms what was read (DSK-9); kept before the case step
  // so its rep-paper mail never names a page whose boxes are not there yet.
  const { crops, ...forms } = read;
  for (const [formId, c] of Object.entries(crops))
    await new PaperCrops(ctx.redis, ctx.keys, ctx.box).put(caseNumber, formId, c);
  let outcome = '';
  let dropped: string[] = [];
  // Before the case's effects run: a decided case then dates this message's end with the rest of its mail.
  await messageJoinedCase(ctx, msg.id);
  const result = await runCaseStep(ctx, caseNumber, (stored, now) => {
    const merged = mergeMail(stored?.doc, registryCase, { ...message, receivedAt: now.toISOString() }, forms, now);
    if ('skip' in merged) return merged;
    outcome = merged.outcome;
    dropped = (stored?.doc.messages ?? [])
      .map((m) => m.id)
      .filter((id) => !merged.doc.messages.some((m) => m.id === id));
    // The mail that completes a case is reviewed and moved in the same pass and commit.
    return {
      step: merged,
      actor: `partner:${mail.from}`,
      next: next?.({ partnerId: registryCase.partnerId, snapshot, version: registryVersion }),
    };
  });
  await retireMessages(ctx, dropped); // no longer on the case's list: their own period starts now
  return finish(ctx, msg, 'processed', outcome || result, true);
}

/** Every PDF of the mail read in an isolated child (card masked inside, DSK-5); what could not be read, and why. */
async function readForms(
  ctx: DeskContext,
  parsed: ParsedMailLite,
  parseBudget: MessageParseBudget,
  fax = false,
): Promise<
  ReadForms & {
    pdfCount: number;
    verdicts: Record<string, CardPdfVerdict>;
    crops: Record<string, Record<string, string>>;
  }
> {
  const now = ctx.clock.now();
  const crops: Record<string, Record<string, string>> = {};
  const collected = parsed.parts;
  const read: ReadForms = { forms: {}, problems: [], discarded: [], unreadable: [], disagreements: [], paper: [] };
  const verdicts: Record<string, CardPdfVerdict> = {};
  for (const name of collected.winmail) {
    read.unreadable.push({ file: name, code: CODES.E_MAIL_WINMAIL, message: errorText(CODES.E_MAIL_WINMAIL) });
  }
  for (const a of collected.pdfs) {
    const file = a.filename || 'attachment.pdf';
    const pdf = await parseBudget.readPdf(new Uint8Array(a.content));
    if (!pdf.ok) {
      read.unreadable.push({ file, code: pdf.error.code, message: pdf.error.message });
      continue;
    }
    const all = [pdf.form, ...(pdf.more ?? [])];
    // A scan or fax of several pages is card data when any page is the card form (DSK-5).
    verdicts[pdfDigest(a.content)] = verdictOf(
      all.find((f) => verdictOf(f.formId) === 'card')?.formId ?? pdf.form.formId,
    );
    for (const page of pdf.overtime ?? [])
      read.unreadable.push({
        file: `${file} (page ${page})`,
        code: CODES.E_PDF_TIMEOUT,
        message: PAGE_OVERTIME_MESSAGE,
      });
    for (const page of pdf.unplaced ?? [])
      read.unreadable.push({ file: `${file} (page ${page})`, code: CODES.E_PDF_UNPLACED, message: UNPLACED_MESSAGE });
    for (const raw of all) {
      read.discarded.push(...raw.discarded);
      const disagree = (raw as { disagreements?: string[] }).disagreements;
      if (disagree && disagree.length > 0) read.disagreements.push({ file, formId: raw.formId, fields: disagree });
      const typed = typeForm(raw, { now, tokenize: (digits) => ctx.box.cardToken(digits) });
      if ('unknownFormId' in typed) {
        read.unreadable.push({
          file,
          code: CODES.E_PDF_UNKNOWN_FORM,
          message: `the form "${typed.unknownFormId}" is not one this desk reads; send the desk's own blank forms, filled`,
        });
        continue;
      }
      (read.forms as Record<string, unknown>)[typed.form.formId] = typed.form;
      read.problems.push(...typed.problems);
      if (raw.paper || fax) (read.paper ??= []).push(paperRecord(file, raw, fax));
      if (raw.paper && Object.keys(raw.paper.crops).length > 0) crops[raw.formId] = raw.paper.crops;
    }
  }
  return { ...read, pdfCount: collected.pdfs.length, verdicts, crops };
}
