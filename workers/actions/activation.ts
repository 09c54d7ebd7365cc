/**
 * Audium activations (AUD-3, AUD-4) and the record of a physical key's
 * return (SWP-6): operator and rep actions that change the registry or a
 * case, shared by the CLI and the timers.
 */
import type { ChainableCommander } from 'ioredis';
import type { ActivationRules } from '../../domain/program.js';
import type { Installation } from '../../domain/registry-model.js';
import type { DeskContext } from '../desk/context.js';
import { errors } from '../../lib/errors.js';
import { allCases } from '../../store/case-listing.js';
import { afterKeyReturned } from '../../workflows/case-workflow.js';
import { runCaseStep } from '../desk/case-step.js';
import { jobIds, QUEUES } from '../desk/queues.js';

/** Session pools and reactivations belong to a program; a desk without one has no activations. */
function activationRules(ctx: DeskContext): ActivationRules {
  const rules = ctx.programs.activations();
  if (!rules) throw errors.E_USAGE('no program at this desk keeps session pools or reactivations');
  return rules;
}

export interface ClaimOutcome {
  machineId: string;
  poolId: string;
  sessions: number;
  claimed: number;
  sessionsLeft: number;
  messages: string[];
}

export async function claimActivation(
  ctx: DeskContext,
  machineId: string,
  poolId: string,
  sessions: number,
): Promise<ClaimOutcome> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const version = await ctx.registry.version();
    const snap = await ctx.registry.snapshot();
    const rules = activationRules(ctx);
    const r = rules.claim(snap, { machineId, poolId, sessions, now: ctx.clock.now() });
    if (!r.ok) throw errors[r.code](r.message);
    const at = ctx.clock.now().toISOString();
    const entry = {
      at,
      actor: 'cli',
      action: 'sessions-claimed',
      reason: `${machineId} claims ${r.claimDelta} more session(s) of ${poolId} (${rules.rules.claim})`,
      detail: { machineId, poolId, sessions: r.installation.sessions },
    };
    if (r.claimDelta > 0 || !snap.installations.has(machineId)) {
      // The claim, its audit entry and its event commit together, or not at all (a concurrent claim: decide again).
      const put = await ctx.registry.putInstallation(r.installation as Installation, version, (m) => {
        ctx.audit.queue(m, entry);
        ctx.events.queue(m, [
          {
            type: 'sessions.claimed',
            at,
            data: {
              machineId,
              poolId,
              sessions: r.installation.sessions,
              claimed: r.claimDelta,
              sessionsLeft: r.sessionsLeft,
            },
          },
        ]);
      });
      if (!put) continue;
    } else await ctx.audit.append(entry);
    return {
      machineId,
      poolId,
      sessions: r.installation.sessions,
      claimed: r.claimDelta,
      sessionsLeft: r.sessionsLeft,
      messages: r.findings.map((f) => f.message),
    };
  }
  throw errors.E_CASE_CONFLICT(`pool ${poolId}`);
}

export interface ReactivationOutcome {
  machineId: string;
  reactivatedAt: string;
  sessions?: number;
  casesResumed: string[];
  messages: string[];
}

/** `by`: who recorded it and why (the console's signed-in rep); the CLI records `cli`. */
export async function reactivateMachine(
  ctx: DeskContext,
  machineId: string,
  by: { actor: string; reason?: string } = { actor: 'cli' },
): Promise<ReactivationOutcome> {
  const now = ctx.clock.now();
  for (let attempt = 0; attempt < 10; attempt++) {
    const version = await ctx.registry.version();
    const snap = await ctx.registry.snapshot();
    const rules = activationRules(ctx);
    const r = rules.reactivate(snap, { machineId, now });
    if (!r.ok) throw errors[r.code](r.message);
    // A reactivation consumes nothing; it only records when it happened.
    const record = (m: ChainableCommander) => {
      m.hset(ctx.keys.reactivations(), machineId, now.toISOString());
      ctx.audit.queue(m, {
        at: now.toISOString(),
        actor: by.actor,
        action: 'machine-reactivated',
        reason: `${machineId} reactivated (${rules.rules.reactivate})${by.reason ? `: ${by.reason}` : ''}`,
      });
      ctx.events.queue(m, [{ type: 'machine.reactivated', at: now.toISOString(), data: { machineId, by: by.actor } }]);
    };
    if (r.installation) {
      if (!(await ctx.registry.putInstallation(r.installation, version, record))) continue;
    } else {
      const m = ctx.redis.multi();
      record(m);
      await m.exec();
    }
    // Moves waiting for this machine's deactivation can complete now.
    const resumed: string[] = [];
    for (const doc of await allCases(ctx.cases, 'approved')) {
      if (ctx.programs.get(doc.program).waitsForReactivation(doc.plan?.extra) === machineId) {
        await ctx.queues[QUEUES.transfer].add(
          'transfer',
          { caseNumber: doc.number, cycle: doc.cycle },
          {
            jobId: `${jobIds.transfer(doc.number, doc.cycle)}.reactivated.${now.getTime()}`,
            attempts: 10,
            backoff: { type: 'exponential', delay: 1000 },
          },
        );
        resumed.push(doc.number);
      }
    }
    return {
      machineId,
      reactivatedAt: now.toISOString(),
      sessions: r.installation?.sessions,
      casesResumed: resumed,
      messages: r.findings.map((f) => f.message),
    };
  }
  throw errors.E_CASE_CONFLICT(`machine ${machineId}`);
}

export interface KeyReturnOutcome {
  fk: string;
  by: string;
  at: string;
  casesClosed: string[];
  casesStill: string[];
}

/** Records a physical key's return, which stops its bill (the program's key follow-up). */
export async function recordKeyReturn(
  ctx: DeskContext,
  fk: string,
  by: string,
  why?: string,
): Promise<KeyReturnOutcome> {
  const now = ctx.clock.now();
  // Only a case still waiting for keys (follow-up) or already billed for one (a late return is recorded on it)
  // can hold this key's follow-up: read those through the state indexes, never every case the desk ever had.
  const candidates = [...(await allCases(ctx.cases, 'follow-up')), ...(await allCases(ctx.cases, 'billed'))];
  const awaiting = candidates.filter((d) => (d.keyFollowUps ?? []).some((k) => k.fk === fk));
  if (awaiting.length === 0) {
    const snap = await ctx.registry.snapshot();
    if (!snap.systems.has(fk)) throw errors.E_KEY_UNKNOWN(fk);
  }
  const rule = ctx.programs.keyReturnRule();
  const m = ctx.redis.multi();
  m.hset(ctx.keys.keyReturns(), fk, JSON.stringify({ by, at: now.toISOString() }));
  ctx.audit.queue(m, {
    at: now.toISOString(),
    actor: `rep:${by}`,
    action: 'key-return-recorded',
    reason: `${fk} returned${rule ? ` (${rule})` : ''}${why ? `: ${why}` : ''}`,
  });
  ctx.events.queue(m, [
    { type: 'key.returned', at: now.toISOString(), data: { fk, by, cases: awaiting.map((d) => d.number) } },
  ]);
  await m.exec();
  const closed: string[] = [];
  const still: string[] = [];
  for (const listed of awaiting) {
    await runCaseStep(ctx, listed.number, (stored) => {
      if (!stored) return { skip: 'no such case' };
      const step = afterKeyReturned(stored.doc, fk, by, now);
      step.effects.push({ type: 'cancel-key-followups' });
      return { step, actor: `rep:${by}` };
    }).then((state) => (state === 'follow-up' ? still : closed).push(listed.number));
  }
  return { fk, by, at: now.toISOString(), casesClosed: closed, casesStill: still };
}
