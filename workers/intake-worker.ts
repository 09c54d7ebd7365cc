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
import type { CaseForms } from '../forms/typed-forms.js';
import { typeForm } from '../forms/typing.js';
import type { FieldProblem } from '../forms/types.js';
import type { DeskContext } from '../lib/desk-context.js';
import { MemoryBudget } from '../lib/memory-budget.js';
import { collectPdfParts } from '../mail/attachments.js';
import { headerFields, senderAuthentication } from '../mail/auth-results.js';
import { automaticReason } from '../mail/automatic.js';
import { bounceInfo } from '../mail/bounce.js';
import { caseFromDeskMessageId } from '../mail/message-id.js';
import { newCaseDoc, type CaseDoc } from '../store/case-doc.js';
import type { StoredMessage } from '../store/message-store.js';
import { OPEN_STATES } from '../workflows/case-states.js';
import { enqueueMail } from './effects.js';
import { jobIds, mailIds, QUEUES, type IntakeJob } from './queues.js';
import { blankFormsOffer } from './sender-forms.js';

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

async function quarantine(ctx: DeskContext, msg: StoredMessage, reason: string, detail: string, replyTo?: string, parsed?: ParsedMail): Promise<string> {
  const data = { from: msg.meta.from ?? replyTo ?? 'unknown', originalSubject: msg.meta.subject ?? '', reason, detail, messageId: msg.meta.messageId ?? '', id: msg.id };
  await enqueueMail(ctx, { mailId: mailIds.forMessage(msg.id, 'rep-quarantine'), kind: 'rep-quarantine', to: ctx.config.repsAddresses, data });
  if (replyTo) {
    await enqueueMail(ctx, {
      mailId: mailIds.forMessage(msg.id, 'quarantined'), kind: 'quarantined', to: [replyTo],
      data: {}, ...threading(parsed),
    });
  }
  return finish(ctx, msg, 'quarantined', `${reason}: ${detail}`);
}

function threading(parsed?: ParsedMail): { inReplyTo?: string; references?: string[] } {
  if (!parsed?.messageId) return {};
  const refs = Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : [];
  return { inReplyTo: parsed.messageId, references: [...refs, parsed.messageId] };
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
    return quarantine(ctx, msg, 'too large', `${msg.meta.size} bytes, over the limit of ${limit} bytes (the body was never fetched)`);
  }
  // keepDeliveryStatus: a bounce's delivery-status part stays an attachment (bounce.ts reads it).
  const options = { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true, keepDeliveryStatus: true } as SimpleParserOptions;
  const parsed = await simpleParser(msg.raw, options);
  const from = (parsed.from?.value[0]?.address ?? '').toLowerCase();
  const subject = parsed.subject ?? '';

  const bounce = bounceInfo(parsed);
  if (bounce.isBounce) return recordBounce(ctx, msg, bounce);

  const automatic = automaticReason(parsed, ctx.config.deskAddress);
  if (automatic) {
    log.info({ automatic }, 'automatic mail: recorded, not answered');
    return finish(ctx, msg, 'processed', `automatic mail not answered (${automatic})`);
  }

  // The case: a signed desk Message-ID in the thread wins over the subject.
  const refs = [parsed.inReplyTo, ...(Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : [])]
    .filter((r): r is string => !!r);
  const threaded = refs.map((r) => caseFromDeskMessageId(ctx.box, r)).find((n) => n !== undefined);
  const numbers = caseNumbersInSubject(subject);
  if (!threaded && numbers.length !== 1) {
    await enqueueMail(ctx, {
      mailId: mailIds.forMessage(msg.id, 'resend-instructions'), kind: 'resend-instructions', to: from ? [from] : [],
      data: { originalSubject: subject, numbers: numbers.length > 1 ? numbers : undefined, ...(await blankFormsOffer(ctx, parsed, from)) }, ...threading(parsed),
    });
    return finish(ctx, msg, 'processed', numbers.length === 0 ? 'DSK-1: no case number' : `DSK-1: several case numbers (${numbers.join(', ')})`);
  }
  const caseNumber = threaded ?? numbers[0]!;
  const registryCase = await ctx.registry.getCase(caseNumber);
  if (!registryCase) {
    await enqueueMail(ctx, {
      mailId: mailIds.forMessage(msg.id, 'resend-instructions'), kind: 'resend-instructions', to: from ? [from] : [],
      data: { originalSubject: subject, caseNumber, ...(await blankFormsOffer(ctx, parsed, from)) }, ...threading(parsed),
    });
    return finish(ctx, msg, 'processed', `DSK-2: case ${caseNumber} is not open`);
  }

  // DSK-3: only the case's partner's contacts act on it. Reply-To never decides.
  const snapshot = await ctx.registry.snapshotForPartner(registryCase.partnerId);
  const partner = snapshot.partners.get(registryCase.partnerId);
  // LumenVox accounts have contacts of their own; a linked transfer comes from the receiving account's (LVX-5).
  const allowed = new Set([
    ...(partner?.contacts ?? []),
    ...(registryCase.program === 'lumenvox' ? [...snapshot.accounts.values()].flatMap((a) => a.contacts) : []),
  ].map((c) => c.toLowerCase()));
  if (ctx.config.authservId && !msg.released) {
    const verdict = senderAuthentication(headerFields(parsed), { authservId: ctx.config.authservId, fromAddress: from });
    if (!verdict.ok) {
      log.warn({ caseNumber, reason: verdict.reason }, 'sender not authenticated (DSK-3)');
      // A forged From must not make the desk write to the forged address: no reply.
      return quarantine(ctx, msg, 'sender not authenticated', `${from || 'no From address'}: ${verdict.reason} (DSK-3)`);
    }
  }
  if (msg.released) {
    log.info({ caseNumber, by: msg.released }, 'message released by a rep: sender accepted');
  } else if (!partner || !from || !allowed.has(from)) {
    log.warn({ caseNumber }, 'sender is not a contact of the case partner (DSK-3)');
    return quarantine(ctx, msg, 'unknown sender', `${from || 'no From address'} is not a registered contact of the partner of case ${caseNumber} (DSK-3)`, from || undefined, parsed);
  }

  // Forms.
  const now = ctx.clock.now();
  const collected = await collectPdfParts(parsed);
  const pdfs = collected.pdfs;
  const forms: CaseForms = {};
  const problems: FieldProblem[] = [];
  const discarded: string[] = [];
  const unreadable: CaseDoc['unreadable'] = [];
  const disagreements: NonNullable<CaseDoc['readerDisagreements']> = [];
  for (const name of collected.winmail) {
    unreadable.push({ file: name, code: 'E_MAIL_WINMAIL', message: 'this is a winmail.dat (Outlook rich text) attachment, which hides the PDFs inside it; send the PDF forms as plain attachments' });
  }
  for (const a of pdfs) {
    const file = a.filename || 'attachment.pdf';
    const read = await readPdfIsolated(new Uint8Array(a.content));
    if (!read.ok) {
      unreadable.push({ file, code: read.error.code, message: read.error.message });
      continue;
    }
    discarded.push(...read.form.discarded);
    const disagree = (read.form as { disagreements?: string[] }).disagreements;
    if (disagree && disagree.length > 0) disagreements.push({ file, formId: read.form.formId, fields: disagree });
    const typed = typeForm(read.form, { now, tokenize: (digits) => `tok_${ctx.box.sign(`card:${digits}`, 24)}` });
    if ('unknownFormId' in typed) {
      unreadable.push({ file, code: 'E_PDF_UNKNOWN_FORM', message: `the form "${typed.unknownFormId}" is not one this desk reads; send the desk's own blank forms, filled` });
      continue;
    }
    (forms as Record<string, unknown>)[typed.form.formId] = typed.form;
    problems.push(...typed.problems);
  }

  // SWP-2, SWP-9: a SWAP cannot be undone and sales are final; a refund request is answered so, and reps see it.
  const text = `${subject}\n${parsed.text ?? ''}`;
  if (registryCase.program === 'avaya-swap' && /\b(refund|credit note|reimburse|undo|reverse|cancel)/i.test(text)) {
    await enqueueMail(ctx, {
      mailId: mailIds.forMessage(msg.id, 'final-sale'), kind: 'final-sale', to: [from], caseNumber, data: {}, ...threading(parsed),
    });
    await enqueueMail(ctx, {
      mailId: mailIds.forMessage(msg.id, 'rep-quarantine'), kind: 'rep-quarantine', to: ctx.config.repsAddresses, caseNumber,
      data: { from, originalSubject: subject, reason: 'refund or undo request (SWP-9)', detail: 'answered: SWAPs are irrevocable and all sales are final', messageId: parsed.messageId ?? '', id: msg.id },
    });
    if (pdfs.length === 0) return finish(ctx, msg, 'processed', `case ${caseNumber}: refund request answered (SWP-9)`);
  }

  // Merge into the case, retrying on a concurrent change (compare-and-set).
  for (let attempt = 0; attempt < 20; attempt++) {
    const stored = await ctx.cases.get(caseNumber);
    const created = !stored;
    const doc: CaseDoc = stored?.doc ?? newCaseDoc({ number: caseNumber, program: registryCase.program, partnerId: registryCase.partnerId, systemKey: registryCase.systemKey, at: now });
    if (doc.messages.some((m) => m.id === msg.id)) {
      // A retry after a crash between the case write and what follows it:
      // finish that work too (each step is idempotent by its id).
      if (doc.messages[0]?.id === msg.id) await announceNewCase(ctx, doc, from, subject);
      if (OPEN_STATES.includes(doc.state)) await queueReview(ctx, caseNumber, msg.id);
      return finish(ctx, msg, 'processed', `already on case ${caseNumber}`);
    }
    const open = OPEN_STATES.includes(doc.state);
    doc.messages.push({ id: msg.id, messageId: parsed.messageId, from, subject, receivedAt: now.toISOString(), attachments: parsed.attachments.map((a) => a.filename ?? a.contentType) });
    doc.replyTo = from;
    if (parsed.messageId) {
      doc.lastPartnerMessageId = parsed.messageId;
      doc.references = [...doc.references, parsed.messageId].slice(-20);
    }
    if (open) {
      const replaced = Object.keys(forms);
      doc.forms = { ...doc.forms, ...forms };
      doc.formProblems = [...doc.formProblems.filter((p) => !replaced.includes(p.formId)), ...problems];
      doc.discardedFields = [...new Set([...doc.discardedFields, ...discarded])];
      doc.unreadable = unreadable;
      doc.readerDisagreements = [...(doc.readerDisagreements ?? []).filter((d) => !replaced.includes(d.formId)), ...disagreements];
      const card = forms['card-authorization/v1'];
      if (card?.cardLast4 && card.cardToken) {
        doc.card = { last4: card.cardLast4, token: card.cardToken, expiry: card.cardExpiry, currency: card.currency,
          maxAmount: card.maxAmountMinor !== undefined ? (card.maxAmountMinor / 100).toFixed(2) : undefined };
      }
    }
    doc.updatedAt = now.toISOString();
    const res = await ctx.cases.commit({
      doc, expectedVersion: stored?.version ?? 0,
      audit: [{
        at: now.toISOString(), actor: `partner:${from}`, action: created ? 'case-opened' : 'mail-received',
        to: created ? doc.state : undefined,
        reason: `message ${msg.id}: ${Object.keys(forms).join(', ') || 'no readable forms'}`,
      }],
    });
    if (!res.ok) continue;
    if (created) await announceNewCase(ctx, doc, from, subject);
    if (open) await queueReview(ctx, caseNumber, msg.id);
    return finish(ctx, msg, 'processed', `case ${caseNumber}: ${Object.keys(forms).length} form(s), ${unreadable.length} unreadable${open ? '' : ` (case is ${doc.state}: forms not used)`}`);
  }
  throw new Error(`case ${caseNumber} kept changing under intake; will retry`);
}

/** DSK-7: reps hear of every new case (one mail per case, whoever retries). */
async function announceNewCase(ctx: DeskContext, doc: CaseDoc, from: string, subject: string): Promise<void> {
  await enqueueMail(ctx, {
    mailId: mailIds.forCase(doc.number, 'rep-new-case', 'opened'), kind: 'rep-new-case', to: ctx.config.repsAddresses, caseNumber: doc.number,
    data: { program: doc.program, partnerId: doc.partnerId, receivedAt: doc.receivedAt, from, originalSubject: subject, attachments: doc.messages[0]?.attachments ?? [] },
  });
}

export async function queueReview(ctx: DeskContext, caseNumber: string, reason: string): Promise<void> {
  await ctx.queues[QUEUES.review].add('review', { caseNumber, reason }, {
    jobId: jobIds.review(caseNumber, reason), attempts: 5, backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 7 * 86400 }, removeOnFail: false,
  });
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

