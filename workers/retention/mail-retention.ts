/**
 * What the desk keeps of partner mail, and for how long (DSK-5):
 *   - once a case is decided, every mail on it that carried a card form is
 *     kept sealed without that form (`card-strip` job, deterministic id), and
 *     the ingester replaces its IMAP copy by the same stripped copy; a case
 *     with fees billing charges to the card keeps it until they are charged or
 *     waived, and at most LICENSEDESK_CARD_KEEP_DAYS after the decision (DSK-11);
 *   - mail is deleted LICENSEDESK_RETENTION_DAYS after its case ends, or after
 *     it was finished when it never joined a case (quarantined, bounces, no
 *     case number …); the timer sweep deletes what is due, by the desk's clock;
 *   - outbox records and failed jobs go by the same period.
 */
import type { DeskContext } from '../desk/context.js';
import { readPdfIsolated } from '../../forms/pdf-read-client.js';
import { stripCardFormsIsolated } from '../../mail/card-strip-client.js';
import { CODES, errors } from '../../lib/errors.js';
import type { CaseDoc } from '../../domain/case-doc.js';
import { MessageRetention } from '../../store/message-retention.js';
import { trimOutbox } from '../../store/outbox-retention.js';
import { FINAL_STATES, type CaseState } from '../../domain/case-states.js';
import { QUEUES, type TimerJob } from '../desk/queues.js';
import { CARD_FORM_ID, cardPdfVerdicts, type CardPdfVerdict } from './card-pdf-verdicts.js';
import { FeeLedger } from '../../store/fee-ledger.js';
import { cardFees, paymentStateOf } from '../../workflows/fee-steps.js';

/** States after which the forms are no longer read: the card form can go. */
export const DECIDED_STATES: readonly CaseState[] = [
  'approved',
  'transferred',
  'follow-up',
  'billed',
  'closed',
  'rejected',
];

const DAY_MS = 86_400_000;
const retentionMs = (ctx: DeskContext) => ctx.config.retentionDays * DAY_MS;

/** Completed and failed jobs are removed after the retention period too (BullMQ ages them). */
export function jobRetention(ctx: DeskContext): { removeOnComplete: { age: number }; removeOnFail: { age: number } } {
  const age = Math.round(retentionMs(ctx) / 1000);
  return { removeOnComplete: { age }, removeOnFail: { age } };
}

const retention = (ctx: DeskContext) => new MessageRetention(ctx.redis, ctx.keys, ctx.box);

/**
 * Intake finished a message: on a case its case's end decides; otherwise its
 * period starts now, and (unless a rep may still release it from quarantine)
 * its card form goes at once: nothing will ever read it.
 */
export async function messageFinished(
  ctx: DeskContext,
  id: string,
  onCase: boolean,
  state: 'processed' | 'quarantined',
  raw?: Buffer,
): Promise<void> {
  if (onCase) {
    // messageJoinedCase ran, and the case's end decides for the sealed mail; its mailbox copy loses the card form now.
    if (!Object.values(await cardPdfVerdicts(ctx, id)).includes('card')) return;
    // Intake has the mail open: its mailbox copy is rewritten here, not by a job that would load and open it again.
    // A rewrite that fails here is left to that job, which tries again.
    if (raw) {
      try {
        await stripImapCopyOf(ctx, id, raw);
        return;
      } catch {
        /* the job below tries again */
      }
    }
    await queueCardStrip(ctx, 'card-strip-imap', id);
    return;
  }
  const r = retention(ctx);
  await r.deleteAt(id, new Date(ctx.clock.now().getTime() + retentionMs(ctx)));
  if (state !== 'processed') return;
  await queueCardStrip(ctx, 'card-strip-message', id);
}

/** A strip of one message's card form (its mailbox copy, or the kept mail), once by its id. */
async function queueCardStrip(
  ctx: DeskContext,
  kind: 'card-strip-imap' | 'card-strip-message',
  messageId: string,
): Promise<void> {
  const job: TimerJob = { kind, messageId };
  await ctx.queues[QUEUES.followup].add(kind, job, {
    jobId: `${kind}.${messageId}`,
    attempts: 5,
    backoff: { type: 'exponential', delay: 5000 },
    ...jobRetention(ctx),
  });
}

/** A message joined a case (also one released from quarantine, whose own period had started): the case's end decides. */
export async function messageJoinedCase(ctx: DeskContext, id: string): Promise<void> {
  await retention(ctx).keepWhileCaseOpen(id);
}

export async function retireMessages(ctx: DeskContext, ids: string[]): Promise<void> {
  const r = retention(ctx);
  const at = new Date(ctx.clock.now().getTime() + retentionMs(ctx));
  for (const id of ids) await r.deleteAt(id, at, true);
}

/**
 * Called whenever a case's effects run (and by the sweep): a decided case's
 * card forms are stripped; an ended case's mail gets its deletion date (the
 * first end counts). Idempotent.
 */
export async function caseRetention(ctx: DeskContext, doc: CaseDoc): Promise<void> {
  if (!DECIDED_STATES.includes(doc.state)) return;
  const job: TimerJob = { kind: 'card-strip', caseNumber: doc.number };
  const decidedAt = doc.decision?.at ? Date.parse(doc.decision.at) : 0;
  // DSK-11: while billing may still charge the card, its form is kept, at most LICENSEDESK_CARD_KEEP_DAYS.
  const keepUntil = cardKeptUntil(ctx, doc);
  const wait = keepUntil === undefined ? 0 : keepUntil - ctx.clock.now().getTime();
  const settled = cardFees(doc).length > 0 ? paymentStateOf(doc) : 'decided';
  const why = keepUntil === undefined ? settled : wait > 0 ? 'kept' : 'keep-ended';
  await ctx.queues[QUEUES.followup].add('card-strip', job, {
    // A mail that joins the case later (more messages), or billing's word on its fees, makes a new job.
    jobId: `card-strip.${doc.number}.${decidedAt}.${doc.messageCount ?? doc.messages.length}.${why}`,
    ...(wait > 0 ? { delay: wait } : {}),
    attempts: 5,
    backoff: { type: 'exponential', delay: 5000 },
    ...jobRetention(ctx),
  });
  if (FINAL_STATES.includes(doc.state))
    await retireMessages(
      ctx,
      doc.messages.map((m) => m.id),
    );
}

/**
 * Until when (ms) a decided case's card form is kept for billing (DSK-11): while fees it charges to the card are
 * neither charged nor waived, and at most LICENSEDESK_CARD_KEEP_DAYS after the decision; undefined when it has
 * served (or the case never had such a fee).
 */
export function cardKeptUntil(ctx: DeskContext, doc: CaseDoc): number | undefined {
  if (cardFees(doc).length === 0 || !['due', 'declined'].includes(paymentStateOf(doc))) return undefined;
  const decidedAt = doc.decision?.at ? Date.parse(doc.decision.at) : Date.parse(doc.updatedAt);
  return decidedAt + ctx.config.cardKeepDays * DAY_MS;
}

/**
 * Part of the timer sweep: the cases whose fees are unsettled LICENSEDESK_CARD_KEEP_DAYS after they were
 * assessed get their card strip now (the delayed job may have been lost, or the clock moved past it).
 */
async function sweepCardKeep(ctx: DeskContext): Promise<number> {
  const before = String(ctx.clock.now().getTime() - ctx.config.cardKeepDays * DAY_MS);
  const ids = new Set<string>();
  for (const state of ['due', 'declined'])
    for (const id of await ctx.redis.zrangebyscore(ctx.keys.feesByState(state), '-inf', before, 'LIMIT', 0, 500))
      ids.add(id);
  const cases = new Set((await new FeeLedger(ctx.redis, ctx.keys).get([...ids])).map((e) => e.case));
  for (const doc of await ctx.cases.getDocs([...cases])) await caseRetention(ctx, doc);
  return cases.size;
}

/** The `card-strip` job: every mail on a decided case re-sealed without its card form. */
export async function stripCaseCardForms(ctx: DeskContext, caseNumber: string): Promise<string> {
  const stored = await ctx.cases.get(caseNumber);
  if (!stored) return 'no such case';
  const doc = stored.doc;
  if (!DECIDED_STATES.includes(doc.state)) return `not decided (case is ${doc.state})`;
  const keepUntil = cardKeptUntil(ctx, doc);
  if (keepUntil !== undefined && keepUntil > ctx.clock.now().getTime())
    return `case ${caseNumber}: card form kept for billing until ${new Date(keepUntil).toISOString()} (DSK-11)`;
  const why =
    keepUntil !== undefined
      ? `${ctx.config.cardKeepDays} day(s) after case ${caseNumber} was decided, its fees still ${paymentStateOf(doc)}`
      : cardFees(doc).length > 0
        ? `once the fees of case ${caseNumber} were ${paymentStateOf(doc)}`
        : `when case ${caseNumber} was decided (${doc.state})`;
  let stripped = 0;
  for (const m of doc.messages) {
    if (await stripOne(ctx, m.id, why, caseNumber)) stripped++;
  }
  return `case ${caseNumber}: card forms removed from ${stripped} message(s)`;
}

/** The `card-strip-message` job: a message that joined no case loses its card form once processed. */
export async function stripMessageCardForms(ctx: DeskContext, id: string): Promise<string> {
  const removed = await stripOne(ctx, id, 'as it joined no case');
  return `message ${id}: ${removed ? 'card form removed' : 'no card form'}`;
}

/**
 * A kept mail without its card-form parts, rewritten in a child (mail/card-strip-client.ts), never on this
 * event loop. What intake read needs no second read (workers/retention/card-pdf-verdicts.ts); any other PDF
 * is read now, and an unreadable one counts as a card form: the desk cannot tell it holds no card number.
 */
async function stripIsolated(ctx: DeskContext, id: string, raw: Buffer, why: string) {
  const judge = async (pdf: Uint8Array): Promise<CardPdfVerdict> => {
    const read = await readPdfIsolated(pdf);
    return !read.ok || read.form.formId === CARD_FORM_ID ? 'card' : 'other';
  };
  return stripCardFormsIsolated(raw, await cardPdfVerdicts(ctx, id), why, ctx.config.parseMessageSeconds * 1000, judge);
}

/**
 * The `card-strip-imap` job (DSK-11): a mail on a case keeps its card form sealed while billing may charge it, but
 * its mailbox copy is replaced at once by one without it (only the card part replaced, every other byte kept).
 */
export async function stripImapCopy(ctx: DeskContext, id: string): Promise<string> {
  const r = retention(ctx);
  if ((await r.cardCheck(id))?.startsWith('removed')) return `message ${id}: stripped already`;
  const msg = await ctx.messages.get(id);
  if (!msg?.raw) return `message ${id}: not kept`;
  return stripImapCopyOf(ctx, id, msg.raw);
}

/** stripImapCopy for a mail already open (`raw`, the plain mail). */
async function stripImapCopyOf(ctx: DeskContext, id: string, raw: Buffer): Promise<string> {
  const r = retention(ctx);
  const out = await stripIsolated(ctx, id, raw, 'as the desk took it in (DSK-11)');
  if (!out.ok && out.error.code === CODES.E_MAIL_TIMEOUT)
    throw errors.E_MAIL_TIMEOUT(
      `rewriting the mailbox copy of message ${id} took over ${ctx.config.parseMessageSeconds} s`,
    );
  // A mail that cannot be rewritten keeps its mailbox copy until the case's card strip decides (DSK-5).
  if (!out.ok || !out.stripped) return `message ${id}: mailbox copy left as it is`;
  await r.replaceImapCopy(id, out.stripped.raw);
  return `message ${id}: mailbox copy to be replaced without ${out.stripped.removed.join(', ')}`;
}

/** One message re-sealed without its card-data parts (once: a checked message is skipped). */
async function stripOne(ctx: DeskContext, id: string, why: string, caseNumber?: string): Promise<boolean> {
  const r = retention(ctx);
  if (await r.cardCheck(id)) return false;
  const msg = await ctx.messages.get(id);
  if (!msg?.raw || msg.state === 'stored') return false; // gone, never fetched, or being processed again
  const out = await stripIsolated(ctx, id, msg.raw, why);
  if (!out.ok && out.error.code === CODES.E_MAIL_TIMEOUT) {
    // Over budget says more about a busy host than about the mail: the job is tried again later, the mail kept sealed.
    throw errors.E_MAIL_TIMEOUT(
      `rebuilding message ${id} without its card form took over ${ctx.config.parseMessageSeconds} s; tried again later`,
    );
  }
  if (!out.ok) {
    // A mail that cannot be taken apart and built again is not kept at all (nor its mailbox copy):
    // otherwise a malformed mail would keep its card form for good. The error may quote the mail: not logged.
    await r.delete(id);
    await ctx.audit.append({
      at: ctx.clock.now().toISOString(),
      actor: 'retention',
      action: 'card-mail-deleted',
      case: caseNumber,
      reason: `message ${id} could not be rebuilt without its card form (${out.error.code}), so it was deleted (DSK-5)`,
    });
    return true;
  }
  const res = out.stripped;
  if (!res) {
    await r.markWithoutCardData(id);
    return false;
  }
  await r.replaceWithStripped(id, res.raw, res.removed);
  await ctx.audit.append({
    at: ctx.clock.now().toISOString(),
    actor: 'retention',
    action: 'card-form-removed',
    case: caseNumber,
    reason: `message ${id}: ${res.removed.join(', ')} removed from the kept copy and the mailbox copy (DSK-5)`,
  });
  return true;
}

/** Part of the timer sweep: deletes mail and outbox records whose period is over, and old failed jobs. */
export async function sweepRetention(ctx: DeskContext): Promise<string> {
  const now = ctx.clock.now();
  const deleted = await retention(ctx).deleteDue(now);
  const kept = await sweepCardKeep(ctx);
  const fees = await new FeeLedger(ctx.redis, ctx.keys).prune(now);
  const outbox = await trimOutbox(ctx.redis, ctx.keys, new Date(now.getTime() - retentionMs(ctx)));
  let failed = 0;
  for (const q of Object.values(ctx.queues)) failed += (await q.clean(retentionMs(ctx), 1000, 'failed')).length;
  return `retention: ${deleted} message(s), ${outbox} outbox record(s), ${failed} failed job(s), ${fees} fee ledger entr(ies) deleted; ${kept} case(s) past the card keep period`;
}
