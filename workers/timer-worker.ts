/**
 * Fired timers. A timer re-reads the case and acts only when still due: a
 * case moved before its deadline makes the deadline job a no-op.
 */
import type { Job } from 'bullmq';
import type { DeskContext } from '../lib/desk-context.js';
import { FINAL_STATES } from '../workflows/case-states.js';
import { billUnreturnedKey } from '../domain/programs/avaya-swap/key-return.js';
import { formatMinor } from '../domain/money.js';
import { afterKeyNotReturned, afterKeyReturned } from '../workflows/case-workflow.js';
import { runEffects, scheduleDeadlines, scheduleKeyFollowUps } from './effects.js';
import { queueReview } from './intake-worker.js';
import { caseRetention, stripCaseCardForms, stripMessageCardForms, sweepRetention } from './mail-retention.js';
import type { TimerJob } from './queues.js';

export function timerProcessor(ctx: DeskContext) {
  return async (job: Job<TimerJob>): Promise<string> => {
    const t = job.data;
    if (t.kind === 'deadline-warning' || t.kind === 'deadline') {
      const stored = await ctx.cases.get(t.caseNumber);
      if (!stored) return 'no such case';
      const doc = stored.doc;
      if (FINAL_STATES.includes(doc.state) || doc.state === 'follow-up' || doc.cycle !== t.cycle || !doc.deadlineAt) {
        return `not due (case is ${doc.state})`;
      }
      const missed = t.kind === 'deadline';
      const hoursLeft = Math.max(0, Math.round((Date.parse(doc.deadlineAt) - ctx.clock.now().getTime()) / 3600_000));
      await runEffects(ctx, doc, [{
        type: 'mail', kind: 'rep-deadline-warning', to: 'reps', step: `${missed ? 'missed' : 'warning'}-${t.cycle}`,
        data: { missed, hoursLeft },
      }]);
      await ctx.audit.append({ at: ctx.clock.now().toISOString(), actor: 'timers', action: missed ? 'deadline-missed' : 'deadline-warning', case: doc.number, reason: `ALT-8 deadline ${doc.deadlineAt}` });
      return missed ? 'reps told: deadline missed' : 'reps warned';
    }
    if (t.kind === 'key-followup') return keyFollowUp(ctx, t.caseNumber, t.fk);
    if (t.kind === 'card-strip') return stripCaseCardForms(ctx, t.caseNumber);
    if (t.kind === 'card-strip-message') return stripMessageCardForms(ctx, t.messageId);
    return sweep(ctx);
  };
}

/**
 * SWP-6: fired seven days after a SWAP (or promoted by an operator). Bills
 * every license moved off the key at the partner's standard price, unless the
 * key's return was recorded.
 */
async function keyFollowUp(ctx: DeskContext, caseNumber: string, fk: string): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const stored = await ctx.cases.get(caseNumber);
    if (!stored) return 'no such case';
    const doc = stored.doc;
    const fu = (doc.keyFollowUps ?? []).find((k) => k.fk === fk);
    if (doc.state !== 'follow-up' || !fu || fu.returnedAt || fu.billedAt) return `not due (case is ${doc.state})`;
    const now = ctx.clock.now();
    const returned = await ctx.redis.hget(ctx.keys.keyReturns(), fk);
    if (returned) {
      const r = JSON.parse(returned) as { by: string };
      const step = afterKeyReturned(doc, fk, r.by, now);
      const res = await ctx.cases.commit({ doc: step.doc, expectedVersion: stored.version, expectedStates: ['follow-up'], audit: [{ at: now.toISOString(), actor: 'timers', action: step.action, from: doc.state, to: step.doc.state, reason: step.reason }] });
      if (res.ok) return 'returned: not billed';
      continue;
    }
    const snap = await ctx.registry.snapshotForPartner(doc.partnerId);
    const partner = snap.partners.get(doc.partnerId);
    if (!partner) throw new Error(`partner ${doc.partnerId} of case ${caseNumber} is not in the registry`);
    const bill = billUnreturnedKey({
      caseNumber, fk, partner, catalog: snap.catalog, currency: partner.currency,
      moved: doc.moves.filter((m) => m.from === fk).map((m) => ({ licenseKey: m.licenseKey, sku: m.sku ?? '', quantity: m.quantity ?? 1 })),
    });
    const data = {
      partnerId: partner.id, partnerName: partner.name, currency: bill.currency, total: formatMinor(bill.totalMinor),
      lines: bill.lines.map((l) => ({ ...l, unitPrice: formatMinor(l.unitPriceMinor), amount: formatMinor(l.amountMinor), currency: bill.currency })),
      findings: bill.findings,
    };
    const step = afterKeyNotReturned(doc, fk, data, now);
    step.doc.fees = [...step.doc.fees, { rule: 'SWP-6', amount: formatMinor(bill.totalMinor), currency: bill.currency, description: `Unreturned feature key ${fk}: licenses at the standard price` }];
    const res = await ctx.cases.commit({
      doc: step.doc, expectedVersion: stored.version, expectedStates: ['follow-up'],
      audit: [{ at: now.toISOString(), actor: 'timers', action: step.action, from: doc.state, to: step.doc.state, reason: step.reason }],
    });
    if (!res.ok) continue;
    await runEffects(ctx, step.doc, step.effects);
    return `billed ${data.total} ${data.currency}`;
  }
  throw new Error(`case ${caseNumber} kept changing during its key follow-up; will retry`);
}

/**
 * Delayed jobs have been seen to fire late or not at all after reconnects, so
 * the store of record is swept: every timer a case still needs is added again
 * (an existing job id makes that a no-op).
 */
async function sweep(ctx: DeskContext): Promise<string> {
  let n = 0;
  for (const doc of await ctx.cases.list()) {
    if (['received', 'waiting-partner', 'held', 'approved'].includes(doc.state) && doc.completeAt) {
      await scheduleDeadlines(ctx, doc);
      n++;
    }
    if (doc.state === 'follow-up') {
      await scheduleKeyFollowUps(ctx, doc);
      n++;
    }
    if (doc.state === 'approved') await runEffects(ctx, doc, [{ type: 'transfer' }]);
    // A case whose review was never queued (a crash right after intake wrote it).
    if (doc.state === 'received') await queueReview(ctx, doc.number, `sweep-${Date.parse(doc.updatedAt)}`);
    // Decided and ended cases whose effects never ran this (a crash, a path without effects).
    await caseRetention(ctx, doc);
  }
  return `swept ${n} case(s); ${await sweepRetention(ctx)}`;
}
