/**
 * Where a case's time goes, stage by stage, from the timestamps the desk
 * already keeps: the bench's APPEND time, the stored message's receivedAt
 * (ingest), each BullMQ job's timestamp (queued) / processedOn (taken) /
 * finishedOn (done) on intake, review, transfer and notify, the audit
 * stream's entry ids (Redis's own clock at each commit) and the SMTP sink's
 * receive time. Every clock is this machine's Date.now(), so the stages of
 * one case line up across processes.
 */
import type { Job, Queue } from 'bullmq';
import type { DeskContext } from '../workers/desk/context.js';
import { QUEUES } from '../workers/desk/queues.js';

export interface CaseTimes {
  appendedAt: number;
  /** The desk's id of the message (MessageStore.idOf), to find its intake job. */
  messageId: string;
  /** SMTP sink's receipt of the partner's `transferred` mail. */
  mailedAt: number;
}

export const STAGES = [
  ['APPEND → stored (IDLE news, fetch, seal, put)', 'stored'],
  ['stored → intake queued', 'intakeQueued'],
  ['intake: wait in queue', 'intakeWait'],
  ['intake: parse, review (MIME, PDF children, rules)', 'intakeParse'],
  ['intake: commit → job done (effects, finish)', 'intakeAfter'],
  ['review: wait in queue', 'reviewWait'],
  ['review: run (read, rules, commit, effects)', 'reviewRun'],
  ['transfer: wait in queue', 'transferWait'],
  ['transfer: run (read, Lua commit, effects)', 'transferRun'],
  ['notify: wait in queue', 'notifyWait'],
  ['notify: taken → SMTP received (render, send)', 'notifySend'],
  ['APPEND → partner mail received (total)', 'total'],
] as const;
export type Stage = (typeof STAGES)[number][1];

/** Completed jobs of a queue by case number (data.caseNumber), the earliest first kept. */
async function jobsByCase(q: Queue, keep: (j: Job) => boolean): Promise<Map<string, Job>> {
  const out = new Map<string, Job>();
  const jobs = (await q.getJobs(['completed'], 0, -1, true)) as Job[];
  for (const j of jobs) {
    const n = (j.data as { caseNumber?: string }).caseNumber;
    if (!n || !keep(j)) continue;
    const seen = out.get(n);
    if (!seen || j.timestamp < seen.timestamp) out.set(n, j);
  }
  return out;
}

/** The audit stream's commit times (Redis clock, ms) per case and actor kind, the first of each. */
async function commitTimes(ctx: DeskContext, cases: Set<string>): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  let start = '-';
  for (;;) {
    const batch = await ctx.redis.xrange(ctx.keys.audit(), start, '+', 'COUNT', 2000);
    for (const [id, fields] of batch) {
      const raw = fields[fields.indexOf('e') + 1];
      if (!raw) continue;
      const e = JSON.parse(raw) as { case?: string; actor: string };
      if (!e.case || !cases.has(e.case)) continue;
      const kind = e.actor.startsWith('partner:') ? 'intake' : e.actor;
      const rec = out.get(e.case) ?? {};
      rec[kind] ??= Number(id.split('-')[0]);
      out.set(e.case, rec);
    }
    if (batch.length < 2000) break;
    start = `(${batch[batch.length - 1]![0]}`;
  }
  return out;
}

/** Per stage, every case's duration in ms (cases missing a timestamp are left out of that stage). */
export async function stageDurations(
  ctx: DeskContext,
  times: Map<string, CaseTimes>,
): Promise<Record<Stage, number[]>> {
  const numbers = new Set(times.keys());
  const [review, transfer, notify, commits] = await Promise.all([
    jobsByCase(ctx.queues[QUEUES.review], () => true),
    jobsByCase(ctx.queues[QUEUES.transfer], () => true),
    // A job of one mail, or of the mails of one commit (the case's transferred mail with its notices to reps).
    jobsByCase(ctx.queues[QUEUES.notify], (j) => {
      const d = j.data as { kind?: string; mails?: Array<{ kind?: string }> };
      return d.kind === 'transferred' || !!d.mails?.some((m) => m.kind === 'transferred');
    }),
    commitTimes(ctx, numbers),
  ]);
  const out = Object.fromEntries(STAGES.map(([, k]) => [k, [] as number[]])) as Record<Stage, number[]>;
  const push = (k: Stage, a: number | undefined, b: number | undefined) => {
    if (a !== undefined && b !== undefined) out[k].push(b - a);
  };
  for (const [n, t] of times) {
    const meta = await ctx.messages.meta(t.messageId);
    const stored = meta ? Date.parse(meta.receivedAt) : undefined;
    const intake = await ctx.queues[QUEUES.intake].getJob(`intake.${t.messageId}`);
    const c = commits.get(n) ?? {};
    const r = review.get(n);
    const tr = transfer.get(n);
    const m = notify.get(n);
    push('stored', t.appendedAt, stored);
    push('intakeQueued', stored, intake?.timestamp);
    push('intakeWait', intake?.timestamp, intake?.processedOn);
    push('intakeParse', intake?.processedOn, c.intake);
    push('intakeAfter', c.intake, intake?.finishedOn);
    push('reviewWait', r?.timestamp, r?.processedOn);
    push('reviewRun', r?.processedOn, r?.finishedOn);
    push('transferWait', tr?.timestamp, tr?.processedOn);
    push('transferRun', tr?.processedOn, tr?.finishedOn);
    push('notifyWait', m?.timestamp, m?.processedOn);
    push('notifySend', m?.processedOn, t.mailedAt);
    push('total', t.appendedAt, t.mailedAt);
  }
  return out;
}

export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

export function stageTable(d: Record<Stage, number[]>): string[] {
  const lines = [`    ${'stage'.padEnd(50)}${'p50'.padStart(9)}${'p95'.padStart(9)}  (ms, n)`];
  for (const [label, k] of STAGES) {
    const xs = d[k];
    // A case decided in one pass (its intake job reviewed and moved it) has no review or transfer job.
    if (xs.length === 0) {
      lines.push(`    ${label.padEnd(50)}${'-'.padStart(9)}${'-'.padStart(9)}  n=0 (in the intake's pass)`);
      continue;
    }
    lines.push(
      `    ${label.padEnd(50)}${pct(xs, 50).toFixed(0).padStart(9)}${pct(xs, 95).toFixed(0).padStart(9)}  n=${xs.length}`,
    );
  }
  return lines;
}
