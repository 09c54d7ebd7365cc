/**
 * The whole Audium review of a machine move: every rule that can be
 * evaluated with what was received, so one reply lists everything (DSK-6).
 * A move is never automatic (AUD-1: a rep approves it) and completes only
 * after the old machine's reactivation (AUD-2). Audium moves carry no fee.
 */
import type { RegistrySnapshot, System } from '../../registry-model.js';
import { discardedFieldFindings } from '../../discarded-fields.js';
import type { Clock } from '../../clock.js';
import { info, type Finding } from '../../finding.js';
import { emptyPlan, type ProgramPlan } from '../../program-plan.js';
import { checkDeclaration, reactivationRequirement } from './declaration.js';
import { checkNoFloating } from './floating.js';
import { checkAudiumForms, checkCaseTarget } from './forms.js';
import { checkMachines, checkMoveReason } from './machines.js';
import { checkMoves } from './moves.js';
import { DECLARATION_FORM, isMoveReason, type AudiumDetails, type AudiumRequest } from './request.js';
import { findInstallation, sessionsLeft } from './sessions.js';

/**
 * AUD-4 on a move: a Call Services installation on the old machine keeps the
 * sessions it claimed (they are never returned); the new machine claims its
 * own when it is activated.
 */
export function oldInstallationFindings(snap: RegistrySnapshot, old: System | undefined): Finding[] {
  if (!old) return [];
  const inst = findInstallation(snap, old.key);
  if (!inst) return [];
  const pool = snap.pools.get(inst.poolId);
  const left = pool ? ` (${sessionsLeft(snap, pool)} left)` : '';
  return [
    info(
      'AUD-4',
      `Machine ${old.key} has a Call Services installation that claimed ${inst.sessions} sessions of pool ${inst.poolId}. Claimed sessions are never returned, so this move does not give them back to the pool; the new machine claims its own sessions from the pool${left} when it is activated.`,
    ),
  ];
}

/**
 * AUD-1 … AUD-5 with DSK-2/5/6. `plan.moves` holds one move per listed key
 * bound to the old machine (once both machines are known);
 * `plan.extra.requiresReactivationOf` is the old machine's id (AUD-2), with
 * `oldMachineId`, `newMachineId` and `reason`.
 */
export function reviewAudium(req: AudiumRequest, snap: RegistrySnapshot, clock: Clock): ProgramPlan<AudiumDetails> {
  const findings: Finding[] = [];
  findings.push(...checkAudiumForms(req)); // DSK-6
  findings.push(...discardedFieldFindings(req)); // DSK-5 (security codes)
  findings.push(...checkCaseTarget(req)); // DSK-2
  findings.push(...checkNoFloating(req, snap)); // AUD-5
  const machines = checkMachines(req, snap); // AUD-1
  findings.push(...machines.findings);
  const moves = checkMoves(req, snap, machines.old, machines.next); // AUD-1
  findings.push(...moves.findings);
  findings.push(...checkDeclaration(req, clock)); // AUD-2
  const reactivation = reactivationRequirement(machines.old); // AUD-2
  findings.push(...reactivation.findings);
  findings.push(...oldInstallationFindings(snap, machines.old)); // AUD-4
  findings.push(...checkMoveReason(req, machines)); // AUD-1: a rep approves every move

  const plan = emptyPlan<AudiumDetails>(findings);
  plan.moves = moves.moves;
  if (reactivation.machineId) plan.extra.requiresReactivationOf = reactivation.machineId;
  if (machines.old) plan.extra.oldMachineId = machines.old.key;
  if (machines.next) plan.extra.newMachineId = machines.next.key;
  const reason: unknown = req.forms[DECLARATION_FORM]?.reason;
  if (isMoveReason(reason)) plan.extra.reason = reason;
  return plan;
}
