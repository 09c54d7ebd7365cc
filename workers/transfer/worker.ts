/**
 * Transfer: moves the planned licenses in one atomic, checked commit
 * (all or nothing). A retried job finds the case already moved and does
 * nothing twice.
 */
import type { Job } from 'bullmq';
import type { Effect } from '../../domain/effects.js';
import type { CaseDoc } from '../../domain/case-doc.js';
import type { AnyProgram } from '../../domain/program.js';
import type { AuditEntry } from '../../store/audit-log.js';
import { afterFailedTransfer, afterTransfer } from '../../workflows/case-workflow.js';
import { runCaseStep, type CaseDecision, type NextStep } from '../desk/case-step.js';
import type { DeskContext } from '../desk/context.js';
import type { TransferJob } from '../desk/queues.js';
import { transferEffectsAgain } from './replay.js';

/** ` (RULE)` after an audit reason, when the program names the rule. */
const ruled = (rule: string | undefined): string => (rule ? ` (${rule})` : '');

/** What the commit writes to the audit trail beside the state change (DSK-8). */
function movementRecords(doc: CaseDoc, at: string, rules: AnyProgram['auditRules']): AuditEntry[] {
  const plan = doc.plan;
  return [
    ...doc.moves.map((m) => ({
      at,
      actor: 'transfer',
      action: 'license-moved',
      reason: `${m.licenseKey}: ${m.from} -> ${m.to}`,
      detail: { ...m },
    })),
    ...(plan?.forfeit ?? []).map((f) => ({
      at,
      actor: 'transfer',
      action: 'license-forfeited',
      reason: `${f.licenseKey} on ${f.from}${ruled(rules.forfeit)}`,
    })),
    ...(plan?.disableSystems ?? []).map((sys) => ({
      at,
      actor: 'transfer',
      action: 'system-disabled',
      reason: `${sys} disabled by the move${ruled(rules.disable)}`,
    })),
    ...(plan?.accountTransfers ?? []).map((t) => ({
      at,
      actor: 'transfer',
      action: 'quantity-transferred',
      reason: `${t.quantity} ${t.product}: ${t.fromAccountId} -> ${t.toAccountId} (${t.kind})`,
    })),
  ];
}

export function transferProcessor(ctx: DeskContext) {
  return (job: Job<TransferJob>): Promise<string> =>
    runCaseStep(ctx, job.data.caseNumber, async (stored, now): Promise<CaseDecision> => {
      if (!stored) return { skip: 'no such case' };
      const prev = stored.doc;
      if (prev.state !== 'approved') {
        // Perhaps a retry after a crash between the commit and its effects: finish them (each is done once).
        const program = ctx.programs.get(prev.program);
        const effects = transferEffectsAgain(program, prev, job.data.cycle, transferEnv(ctx));
        return { skip: `case is ${prev.state}; nothing to move`, ...(effects ? { doc: prev, effects } : {}) };
      }
      return moveDecision(ctx, prev, now);
    });
}

/** What a program's transfer mail needs of the desk's config. */
export const transferEnv = (ctx: DeskContext) => ({ warehouseAddress: ctx.config.warehouseAddress });

/** The move of an approved case: its registry writes, its records, and what a refusal of them commits instead. */
async function moveDecision(ctx: DeskContext, prev: CaseDoc, now: Date): Promise<CaseDecision> {
  const program = ctx.programs.get(prev.program);
  const env = transferEnv(ctx);
  const machine = program.waitsForReactivation(prev.plan?.extra);
  const awaited = program.activations?.rules.awaited;
  const waiting = await waitingForReactivation(ctx, prev, machine, awaited);
  // The partner is the one who reactivates the old machine: it is told so, once per approval.
  if (waiting) return { skip: waiting, doc: prev, effects: reactivationMail(prev, machine!, awaited) };
  const step = afterTransfer(program, prev, now, env);
  const plan = prev.plan;
  return {
    step,
    actor: 'transfer',
    expectedStates: ['approved'],
    writes: {
      moves: step.doc.moves.map((m) => ({ licenseKey: m.licenseKey, from: m.from, to: m.to })),
      disableSystems: plan?.disableSystems,
      forfeit: plan?.forfeit,
      accountTransfers: plan?.accountTransfers,
    },
    records: movementRecords(step.doc, now.toISOString(), program.auditRules),
    // The registry changed since review: nothing was written; a rep decides.
    onRefused: (reason) => ({
      step: afterFailedTransfer(program, prev, reason, now),
      actor: 'transfer',
      expectedStates: ['approved'],
      result: 'held',
    }),
  };
}

/**
 * The move in the same pass as the review that approved it (one commit, workflows/one-pass.ts). A move that must
 * wait (a machine not yet reactivated) is left to its transfer job, which tells the partner.
 */
export const moveInPass: NextStep = async (ctx, doc, effects, now) => {
  if (doc.state !== 'approved' || !effects.some((e) => e.type === 'transfer')) return undefined;
  const d = await moveDecision(ctx, doc, now);
  if ('skip' in d) return undefined;
  return { step: d.step, actor: d.actor, replaces: 'transfer', writes: d.writes, records: d.records };
};

/** AUD-2 and the like: what the partner must do before an approved machine move completes. */
function reactivationMail(doc: CaseDoc, machine: string, rule: string | undefined): Effect[] {
  return [
    {
      type: 'mail',
      kind: 'reactivation-needed',
      to: 'partner',
      step: `reactivation.${doc.cycle}.${doc.decision?.at ? Date.parse(doc.decision.at) : 0}`,
      data: { machine, rule },
    },
  ];
}

/**
 * A machine move (a program's activations) completes only after the old machine's reactivation,
 * later than the forms, confirms its deactivation. Until then the approved
 * case waits; `activation reactivate` queues the transfer again.
 */
async function waitingForReactivation(
  ctx: DeskContext,
  doc: CaseDoc,
  machine: string | undefined,
  rule: string | undefined,
): Promise<string | undefined> {
  if (!machine) return undefined;
  const at = await ctx.redis.hget(ctx.keys.reactivations(), machine);
  const since = doc.decision?.at ?? doc.completeAt ?? doc.receivedAt;
  if (at && Date.parse(at) >= Date.parse(doc.completeAt ?? since)) return undefined;
  return `waiting for machine ${machine} to be reactivated${ruled(rule)}`;
}
