/**
 * Transfer: moves the planned licenses in one atomic, checked commit
 * (all or nothing). A retried job finds the case already moved and does
 * nothing twice.
 */
import type { Job } from 'bullmq';
import type { DeskContext } from '../lib/desk-context.js';
import { afterFailedTransfer, afterTransfer } from '../workflows/case-workflow.js';
import { runEffects } from './effects.js';
import { replayTransferEffects } from './transfer-replay.js';
import type { CaseDoc } from '../store/case-doc.js';
import type { TransferJob } from './queues.js';

export function transferProcessor(ctx: DeskContext) {
  return async (job: Job<TransferJob>): Promise<string> => {
    const { caseNumber } = job.data;
    for (let attempt = 0; attempt < 20; attempt++) {
      const stored = await ctx.cases.get(caseNumber);
      if (!stored) return 'no such case';
      if (stored.doc.state !== 'approved') {
        // Perhaps a retry after a crash between the commit and its effects: finish them (each is done once).
        await replayTransferEffects(ctx, stored.doc, job.data.cycle);
        return `case is ${stored.doc.state}; nothing to move`;
      }
      const now = ctx.clock.now();
      const waiting = await waitingForReactivation(ctx, stored.doc);
      if (waiting) return waiting;
      const step = afterTransfer(stored.doc, now);
      const plan = stored.doc.plan;
      const at = now.toISOString();
      const res = await ctx.cases.commit({
        doc: step.doc, expectedVersion: stored.version, expectedStates: ['approved'],
        moves: step.doc.moves.map((m) => ({ licenseKey: m.licenseKey, from: m.from, to: m.to })),
        disableSystems: plan?.disableSystems,
        forfeit: plan?.forfeit,
        accountTransfers: plan?.accountTransfers,
        audit: [
          ...step.doc.moves.map((m) => ({ at, actor: 'transfer', action: 'license-moved', reason: `${m.licenseKey}: ${m.from} -> ${m.to}`, detail: { ...m } })),
          ...(plan?.forfeit ?? []).map((f) => ({ at, actor: 'transfer', action: 'license-forfeited', reason: `${f.licenseKey} on ${f.from} (SWP-5)` })),
          ...(plan?.disableSystems ?? []).map((sys) => ({ at, actor: 'transfer', action: 'system-disabled', reason: `${sys} disabled by the SWAP (SWP-3)` })),
          ...(plan?.accountTransfers ?? []).map((t) => ({ at, actor: 'transfer', action: 'quantity-transferred', reason: `${t.quantity} ${t.product}: ${t.fromAccountId} -> ${t.toAccountId} (${t.kind})` })),
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

/**
 * AUD-2: an Audium machine move completes only after the old machine's
 * reactivation, later than the forms, confirms its deactivation. Until then
 * the approved case waits; `activation reactivate` queues the transfer again.
 */
async function waitingForReactivation(ctx: DeskContext, doc: CaseDoc): Promise<string | undefined> {
  const machine = doc.plan?.extra.requiresReactivationOf;
  if (doc.program !== 'audium' || typeof machine !== 'string') return undefined;
  const at = await ctx.redis.hget(ctx.keys.reactivations(), machine);
  const since = doc.decision?.at ?? doc.completeAt ?? doc.receivedAt;
  if (at && Date.parse(at) >= Date.parse(doc.completeAt ?? since)) return undefined;
  return `waiting for machine ${machine} to be reactivated (AUD-2)`;
}
