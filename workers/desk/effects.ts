/**
 * Carries out what workflow steps ask for: queue mail, transfers and timers.
 * Every job has a deterministic id, so doing an effect twice does it once.
 */
import type { DeskContext } from './context.js';
import type { CaseDoc } from '../../domain/case-doc.js';
import type { Effect, Recipient } from '../../domain/effects.js';
import { mailJobRetry } from './mail-retry.js';
import { caseRetention } from '../retention/index.js';
import { partnerRound, partnerTimersDue } from '../../workflows/partner-timers.js';
import { jobIds, mailIds, QUEUES, type MailJob, type MailsJob, type ReviewJob, type TimerJob } from './queues.js';

// Failed jobs go after 30 days (the default retention) instead of never; the sweep cleans by LICENSEDESK_RETENTION_DAYS.
const KEEP = { removeOnComplete: { age: 30 * 86400 }, removeOnFail: { age: 30 * 86400 } } as const;

export async function enqueueMail(ctx: DeskContext, mail: MailJob): Promise<void> {
  await ctx.queues[QUEUES.notify].add('mail', mail, {
    // Retried until SMTP takes it (capped backoff, see workers/desk/mail-retry.ts), never dropped.
    jobId: jobIds.mail(mail.mailId),
    ...mailJobRetry(ctx.config),
    ...KEEP,
  });
}

/**
 * The mails of one commit, in one notify job (a single mail keeps its own job, as before): a job costs some forty
 * Redis commands and its worker's turn, whatever it carries. The worker sends them at once, the partner's
 * started first.
 */
export async function enqueueMails(ctx: DeskContext, mails: readonly PlannedMail[]): Promise<void> {
  const ordered: MailJob[] = [...mails.filter((m) => m.partner), ...mails.filter((m) => !m.partner)].map(
    ({ partner: _partner, ...m }) => m,
  );
  if (ordered.length === 0) return;
  if (ordered.length === 1) return enqueueMail(ctx, ordered[0]!);
  const cases = new Set(ordered.map((m) => m.caseNumber));
  const caseNumber = cases.size === 1 ? [...cases][0] : undefined;
  const job: MailsJob = { ...(caseNumber ? { caseNumber } : {}), mails: ordered };
  await ctx.queues[QUEUES.notify].add('mails', job, {
    jobId: jobIds.mails(ordered.map((m) => m.mailId)),
    ...mailJobRetry(ctx.config),
    ...KEEP,
  });
}

/** A mail a step asks for, and whether it is the partner's. */
export type PlannedMail = MailJob & { partner?: true };

function addresses(ctx: DeskContext, doc: CaseDoc, to: Recipient): string[] {
  if (typeof to === 'object') return to.addresses;
  switch (to) {
    case 'partner':
      return doc.replyTo ? [doc.replyTo] : [];
    case 'reps':
      return ctx.config.repsAddresses;
    case 'sales':
      return ctx.config.salesAddresses;
  }
}

export async function runEffects(ctx: DeskContext, doc: CaseDoc, effects: readonly Effect[]): Promise<void> {
  await caseRetention(ctx, doc); // a decided case's card forms go; an ended case's mail gets its end
  const mails: PlannedMail[] = [];
  await runEffectList(ctx, doc, effects, mails);
  await enqueueMails(ctx, mails);
}

/**
 * The effects alone, without the case's retention (a pass runs that once, for the case it ends with). The mails
 * are added to `mails`, for the caller to queue those of the whole commit at once (enqueueMails).
 */
export async function runEffectList(
  ctx: DeskContext,
  doc: CaseDoc,
  effects: readonly Effect[],
  mails: PlannedMail[],
): Promise<void> {
  for (const e of effects) {
    switch (e.type) {
      case 'mail': {
        const partnerMail = e.to === 'partner';
        mails.push({
          ...(partnerMail ? { partner: true as const } : {}),
          mailId: mailIds.forCase(doc.number, e.kind, e.step),
          kind: e.kind,
          to: addresses(ctx, doc, e.to),
          caseNumber: doc.number,
          data: {
            program: doc.program,
            partnerId: doc.partnerId,
            state: doc.state,
            // Only a program whose rules set the deadline cites a rule for it (ALT-8); others promise it as the desk.
            deadlineRule: ctx.programs.get(doc.program).deadline.rule,
            deadlineAt: doc.deadlineAt,
            completeAt: doc.completeAt,
            discarded: doc.discardedFields,
            unreadable: doc.unreadable,
            ...e.data,
          },
          ...(partnerMail && doc.lastPartnerMessageId
            ? { inReplyTo: doc.lastPartnerMessageId, references: doc.references }
            : {}),
        });
        break;
      }
      case 'transfer':
        await ctx.queues[QUEUES.transfer].add(
          'transfer',
          { caseNumber: doc.number, cycle: doc.cycle },
          {
            jobId: jobIds.transfer(doc.number, doc.cycle) + `.${doc.decision?.at ? Date.parse(doc.decision.at) : 0}`,
            attempts: 10,
            backoff: { type: 'exponential', delay: 1000 },
            ...KEEP,
          },
        );
        break;
      case 'review':
        await queueReview(ctx, doc.number, e.reason, e.asOf ?? doc.updatedAt);
        break;
      case 'schedule-deadlines':
        await scheduleDeadlines(ctx, doc);
        break;
      case 'cancel-deadlines':
        await cancelDeadlines(ctx, doc);
        break;
      case 'schedule-key-followups':
        await scheduleKeyFollowUps(ctx, doc);
        break;
      case 'cancel-key-followups':
        await cancelKeyFollowUps(ctx, doc);
        break;
      case 'schedule-partner-timers':
        await schedulePartnerTimers(ctx, doc.number, partnerRound(doc), doc.state === 'waiting-partner', doc.updatedAt);
        break;
      case 'cancel-partner-timers':
        await cancelPartnerTimers(ctx, doc.number, partnerRound(doc));
        break;
    }
  }
}

export async function queueReview(ctx: DeskContext, caseNumber: string, reason: string, asOf?: string): Promise<void> {
  const job: ReviewJob = asOf === undefined ? { caseNumber, reason } : { caseNumber, reason, asOf };
  await ctx.queues[QUEUES.review].add('review', job, {
    jobId: jobIds.review(caseNumber, reason),
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 7 * 86400 },
    removeOnFail: KEEP.removeOnFail,
  });
}

/** ALT-8: reps are warned before the 24 hours run out, and again when they have. */
export async function scheduleDeadlines(ctx: DeskContext, doc: CaseDoc): Promise<void> {
  if (!doc.completeAt || !doc.deadlineAt) return;
  const now = ctx.clock.now().getTime();
  const warnAt = Date.parse(doc.completeAt) + ctx.config.deadlineWarningHours * 3600_000;
  const timers = ctx.queues[QUEUES.followup];
  const warning: TimerJob = { kind: 'deadline-warning', caseNumber: doc.number, cycle: doc.cycle };
  const deadline: TimerJob = { kind: 'deadline', caseNumber: doc.number, cycle: doc.cycle };
  await timers.add('deadline-warning', warning, {
    jobId: jobIds.deadlineWarning(doc.number, doc.cycle),
    delay: Math.max(0, warnAt - now),
    attempts: 5,
    ...KEEP,
  });
  await timers.add('deadline', deadline, {
    jobId: jobIds.deadline(doc.number, doc.cycle),
    delay: Math.max(0, Date.parse(doc.deadlineAt) - now),
    attempts: 5,
    ...KEEP,
  });
}

export async function cancelDeadlines(ctx: DeskContext, doc: CaseDoc): Promise<void> {
  await cancelDelayed(ctx, [jobIds.deadlineWarning(doc.number, doc.cycle), jobIds.deadline(doc.number, doc.cycle)]);
}

/**
 * Removes those of the follow-up timers `ids` that are still waiting. A timer that ran is kept (its id keeps a
 * later add of the same id from running it twice), and one that runs now is left to finish. Which are waiting is
 * one round trip for all of them, the ZSCOREs Job.isDelayed makes, without loading each job first: most timers a
 * step cancels were never scheduled or have run.
 */
async function cancelDelayed(ctx: DeskContext, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const timers = ctx.queues[QUEUES.followup];
  const delayedKey = timers.toKey('delayed');
  // The desk's own connection: the queue's keys are under the desk's hash tag, the same node as every other key.
  const pipe = ctx.redis.pipeline();
  for (const id of ids) pipe.zscore(delayedKey, id);
  const scores = (await pipe.exec()) ?? [];
  const waiting = ids.filter((_, i) => {
    const [err, score] = scores[i] ?? [];
    return !err && score !== null && score !== undefined;
  });
  // Removed only while still delayed: BullMQ's remove refuses a job a worker holds, and the job is checked again.
  for (const id of waiting) {
    const job = await timers.getJob(id);
    if (job && (await job.isDelayed())) await job.remove().catch(() => undefined);
  }
}

/** SWP-6: one delayed job per awaited key, with a deterministic id per (case, key). */
export async function scheduleKeyFollowUps(ctx: DeskContext, doc: CaseDoc): Promise<void> {
  const now = ctx.clock.now().getTime();
  for (const k of doc.keyFollowUps ?? []) {
    if (k.returnedAt || k.billedAt) continue;
    const job: TimerJob = { kind: 'key-followup', caseNumber: doc.number, fk: k.fk };
    await ctx.queues[QUEUES.followup].add('key-followup', job, {
      jobId: jobIds.keyFollowup(doc.number, k.fk),
      delay: Math.max(0, Date.parse(k.dueAt) - now),
      attempts: 10,
      backoff: { type: 'exponential', delay: 5000 },
      ...KEEP,
    });
  }
}

export async function cancelKeyFollowUps(ctx: DeskContext, doc: CaseDoc): Promise<void> {
  const returned = (doc.keyFollowUps ?? []).filter((k) => k.returnedAt);
  await cancelDelayed(
    ctx,
    returned.map((k) => jobIds.keyFollowup(doc.number, k.fk)),
  );
}

/**
 * DSK-10: the reminder (only for a case waiting after a review: an opened case
 * has nothing to remind of) and the closing of one round, due counted from
 * `since`. Deterministic ids: added again by the sweep, nothing doubles.
 */
export async function schedulePartnerTimers(
  ctx: DeskContext,
  caseNumber: string,
  round: number,
  remind: boolean,
  since: string,
): Promise<void> {
  const now = ctx.clock.now().getTime();
  const due = partnerTimersDue(since, ctx.config);
  const add = (kind: 'partner-reminder' | 'partner-abandon', jobId: string, at: Date) => {
    const job: TimerJob = { kind, caseNumber, round };
    return ctx.queues[QUEUES.followup].add(kind, job, {
      jobId,
      delay: Math.max(0, at.getTime() - now),
      attempts: 5,
      ...KEEP,
    });
  };
  if (remind) await add('partner-reminder', jobIds.partnerReminder(caseNumber, round), due.reminderAt);
  await add('partner-abandon', jobIds.partnerAbandon(caseNumber, round), due.abandonAt);
}

/** DSK-10: every round's timers before `round` (the partner wrote since), and this one's when the case closed. */
export async function cancelPartnerTimers(ctx: DeskContext, caseNumber: string, round: number): Promise<void> {
  const rounds = [...new Set([0, Math.max(0, round - 1), round])];
  await cancelDelayed(
    ctx,
    rounds.flatMap((r) => [jobIds.partnerReminder(caseNumber, r), jobIds.partnerAbandon(caseNumber, r)]),
  );
}
