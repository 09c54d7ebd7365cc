/**
 * Transfer: moves the planned licenses in one atomic, checked commit
 * (all or nothing). A retried job finds the case already moved and does
 * nothing twice.
 */
import type { Job } from 'bullmq';
import type { DeskContext } from '../lib/desk-context.js';
import { afterFailedTransfer, afterTransfer } from '../workflows/case-workflow.js';
import { runEffects } from './effects.js';
import type { TransferJob } from './queues.js';

export function transferProcessor(ctx: DeskContext) {
  return async (job: Job<TransferJob>): Promise<string> => {
    const { caseNumber } = job.data;
    for (let attempt = 0; attempt < 20; attempt++) {
      const stored = await ctx.cases.get(caseNumber);
      if (!stored) return 'no such case';
      if (stored.doc.state !== 'approved') return `case is ${stored.doc.state}; nothing to move`;
      const now = ctx.clock.now();
      const step = afterTransfer(stored.doc, now);
      const at = now.toISOString();
      const res = await ctx.cases.commit({
        doc: step.doc, expectedVersion: stored.version, expectedStates: ['approved'],
        moves: step.doc.moves.map((m) => ({ licenseKey: m.licenseKey, from: m.from, to: m.to })),
        audit: [
          ...step.doc.moves.map((m) => ({ at, actor: 'transfer', action: 'license-moved', reason: `${m.licenseKey}: ${m.from} -> ${m.to}`, detail: { ...m } })),
          { at, actor: 'transfer', action: step.action, from: 'approved', to: step.doc.state, reason: step.reason },
        ],
      });
      if (res.ok) {
        await runEffects(ctx, step.doc, step.effects);
        return step.doc.state;
      }
      if (res.conflict) continue;
      // The registry changed since review: nothing was written; a rep decides.
      const held = afterFailedTransfer(stored.doc, res.reason, now);
      const r2 = await ctx.cases.commit({
        doc: held.doc, expectedVersion: stored.version, expectedStates: ['approved'],
        audit: [{ at, actor: 'transfer', action: held.action, from: 'approved', to: 'held', reason: res.reason }],
      });
      if (!r2.ok) continue;
      await runEffects(ctx, held.doc, held.effects);
      return 'held';
    }
    throw new Error(`case ${caseNumber} kept changing during transfer; will retry`);
  };
}
