/**
 * Reps hear of quarantined mail at most once per 10 minutes per kind
 * (unknown sender, sender not authenticated, too large), so a flood of
 * strangers costs them one digest, not one mail each.
 *
 * Each notice is appended to the kind's list (capped: past the cap only a
 * count is kept). The first notice after a quiet spell schedules the digest at
 * once; later ones join the digest already scheduled, or schedule the next
 * one 10 minutes after the last went out. The digest is a BullMQ delayed job
 * on the timers queue with the deterministic id
 * `quarantine-digest.<kind>.<due ms>` (one per kind and 10-minute window), so
 * an operator can `jobs promote` it, and a retried job mails the same digest
 * once (its mail id is the same). Everything here has a TTL.
 */
import type { DeskContext } from '../desk/context.js';
import { withoutCardNumbers } from '../../lib/card-number.js';
import { enqueueMail } from '../desk/effects.js';
import { QUEUES, type TimerJob } from '../desk/queues.js';
import { runLua } from '../../store/lua-scripts.js';

/** Reps get at most one digest of a kind in this long. */
export const DIGEST_WINDOW_MS = 10 * 60_000;
/** Notices listed in one digest; beyond it the digest says how many more came. */
export const DIGEST_CAP = 50;
/** How long digest keys live without news (longer than any window). */
const TTL_SECONDS = 24 * 3600;

export interface QuarantineNotice {
  from: string;
  originalSubject: string;
  reason: string;
  detail: string;
  messageId: string;
  id: string;
  at: string;
}

/** `unknown sender` → `unknown-sender`: the digest kind of a quarantine reason. */
export function digestKind(reason: string): string {
  return (
    reason
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'other'
  );
}

export const digestJobId = (kind: string, due: string) => `quarantine-digest.${kind}.${due}`;

/** Adds a notice to its kind's digest and makes sure that digest is scheduled. */
export async function noteQuarantine(ctx: DeskContext, notice: QuarantineNotice): Promise<void> {
  const kind = digestKind(notice.reason);
  const now = ctx.clock.now().getTime();
  // A stranger's subject is theirs to choose: it is cut short and never carries a card number.
  const kept: QuarantineNotice = {
    ...notice,
    from: notice.from.slice(0, 200),
    originalSubject: withoutCardNumbers(notice.originalSubject).slice(0, 200),
    detail: withoutCardNumbers(notice.detail).slice(0, 400),
    messageId: notice.messageId.slice(0, 200),
  };
  const due = String(
    await runLua(
      ctx.redis,
      'quarantineDigestAdd',
      [ctx.keys.quarantineDigestItems(kind), ctx.keys.quarantineDigestState(kind)],
      [JSON.stringify(kept), String(now), String(DIGEST_WINDOW_MS), String(DIGEST_CAP), String(TTL_SECONDS)],
    ),
  );
  const job: TimerJob = { kind: 'quarantine-digest', digest: kind, due };
  await ctx.queues[QUEUES.followup].add('quarantine-digest', job, {
    jobId: digestJobId(kind, due),
    delay: Math.max(0, Number(due) - now),
    attempts: 8,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: { age: 86400 },
    removeOnFail: { age: 7 * 86400 },
  });
}

/** The fired digest job: mails reps the collected notices (once per due time). */
export async function sendQuarantineDigest(ctx: DeskContext, kind: string, due: string): Promise<string> {
  const batch = (await runLua(
    ctx.redis,
    'quarantineDigestTake',
    [
      ctx.keys.quarantineDigestItems(kind),
      ctx.keys.quarantineDigestState(kind),
      ctx.keys.quarantineDigestBatch(kind, due),
    ],
    [due, String(ctx.clock.now().getTime()), String(TTL_SECONDS)],
  )) as string[];
  if (batch.length === 0) return 'no digest due';
  const [dropped, ...items] = batch;
  const notices = items.map((i) => JSON.parse(i) as QuarantineNotice);
  const more = Number(dropped ?? 0);
  const reason = notices[0]?.reason ?? kind;
  await enqueueMail(ctx, {
    mailId: `digest.${kind}.${due}`,
    kind: 'rep-quarantine',
    to: ctx.config.repsAddresses,
    data: {
      digest: true,
      reason,
      count: notices.length + more,
      more,
      items: notices,
      windowMinutes: DIGEST_WINDOW_MS / 60_000,
    },
  });
  return `digest of ${notices.length + more} ${kind} notice(s) queued`;
}
