/**
 * Call Services session pools, for `activation claim MACHINE --pool POOL
 * --sessions N` and `activation reactivate MACHINE`. Pure: each function
 * returns the installation to write and the findings; the caller commits.
 *
 * AUD-4: installations claim sessions from a pool; the claims never exceed
 * the pool; claimed sessions are never returned; raising an installation's
 * sessions claims only the difference.
 * AUD-3: reactivation pulls the license's latest state and consumes no seat
 * or session.
 */
import { licensesOn, type Installation, type License, type Pool, type RegistrySnapshot } from '../../registry-model.js';
import { finalFail, info, pass, type Finding } from '../../finding.js';
import { findPool, findSystem, listWords, sameKey } from './lookup.js';
import { CODES } from '../../../lib/errors.js';

/** Sessions of a pool claimed by every installation bound to it. */
export function sessionsClaimed(snap: RegistrySnapshot, poolId: string): number {
  let claimed = 0;
  for (const i of snap.installations.values()) if (i.poolId === poolId) claimed += i.sessions;
  return claimed;
}

/** AUD-4: a pool's size less every installation's claim (never below 0). */
export function sessionsLeft(snap: RegistrySnapshot, pool: Pool): number {
  return Math.max(0, pool.sessions - sessionsClaimed(snap, pool.id));
}

/** An installation by its machine id (exact, else the one equal ignoring case). */
export function findInstallation(snap: RegistrySnapshot, machineId: string): Installation | undefined {
  const exact = snap.installations.get(machineId.trim());
  if (exact) return exact;
  const hits = [...snap.installations.values()].filter((i) => sameKey(i.machineId, machineId));
  return hits.length === 1 ? hits[0] : undefined;
}

export interface ClaimInput {
  machineId: string;
  poolId: string;
  /** The installation's max simultaneous sessions wanted (a whole number above zero). */
  sessions: number;
  /** The end user the machine belongs to; defaults to the pool's. */
  endUserId?: string;
  now: Date;
}

export type ClaimErrorCode = typeof CODES.E_POOL_EXHAUSTED | typeof CODES.E_POOL_UNKNOWN | typeof CODES.E_USAGE;
type ReactivateErrorCode = typeof CODES.E_MACHINE_UNKNOWN | typeof CODES.E_USAGE;

export type ClaimResult =
  | {
      ok: true;
      /** Sessions newly taken from the pool: N for a new installation, the raise for an existing one, else 0. */
      claimDelta: number;
      /** The installation as it is to be written (unchanged when claimDelta is 0). */
      installation: Installation;
      /** Sessions left in the pool after this claim. */
      sessionsLeft: number;
      findings: Finding[];
    }
  | { ok: false; code: ClaimErrorCode; message: string; findings: Finding[] };

const fail = (code: ClaimErrorCode, message: string): ClaimResult => ({
  ok: false,
  code,
  message,
  findings: [finalFail('AUD-4', message)],
});
const sessionWord = (n: number): string => `${n} session${n === 1 ? '' : 's'}`;

/**
 * AUD-4. A new installation claims `sessions`; an existing one raised to
 * `sessions` claims only the difference (and counts as a reactivation:
 * lastReactivatedAt = now); an existing one at or above `sessions` claims
 * nothing and keeps its sessions, because claimed sessions are never
 * returned. A claim above the sessions left fails with E_POOL_EXHAUSTED; an
 * unknown pool with E_POOL_UNKNOWN; an installation bound to another pool,
 * another end user, or a count that is not a whole number above zero with
 * E_USAGE.
 */
export function claimSessions(snap: RegistrySnapshot, input: ClaimInput): ClaimResult {
  const machineId = input.machineId.trim();
  const { sessions, now } = input;
  if (machineId === '') return fail(CODES.E_USAGE, 'Give the machine id of the installation that claims the sessions.');
  if (!Number.isSafeInteger(sessions) || sessions < 1) {
    return fail(
      CODES.E_USAGE,
      `The number of sessions must be a whole number above zero; ${String(sessions)} was given.`,
    );
  }
  if (Number.isNaN(now.getTime())) return fail(CODES.E_USAGE, 'The time of the claim is not a valid date.');
  const pool = findPool(snap, input.poolId);
  if (!pool)
    return fail(
      CODES.E_POOL_UNKNOWN,
      `We cannot find Call Services session pool ${input.poolId.trim() || '(none given)'} in our records.`,
    );
  const existing = findInstallation(snap, machineId);
  const endUserId =
    input.endUserId?.trim() || existing?.endUserId || findSystem(snap, machineId)?.endUserId || pool.endUserId;
  if (existing && existing.poolId !== pool.id) {
    return fail(
      CODES.E_USAGE,
      `Machine ${existing.machineId} is an installation of pool ${existing.poolId}; it cannot claim sessions from pool ${pool.id}.`,
    );
  }
  if (!sameKey(endUserId, pool.endUserId)) {
    return fail(
      CODES.E_USAGE,
      `Pool ${pool.id} belongs to end user ${pool.endUserId}, but machine ${machineId} is of end user ${endUserId}; an installation claims sessions only from its own end user's pool.`,
    );
  }
  if (existing && !sameKey(existing.endUserId, endUserId)) {
    return fail(
      CODES.E_USAGE,
      `Machine ${existing.machineId} is an installation of end user ${existing.endUserId}, not of ${endUserId}.`,
    );
  }
  const left = sessionsLeft(snap, pool);
  const at = now.toISOString();

  if (existing && sessions <= existing.sessions) {
    const same = sessions === existing.sessions;
    return {
      ok: true,
      claimDelta: 0,
      installation: existing,
      sessionsLeft: left,
      findings: [
        info(
          'AUD-4',
          same
            ? `Machine ${existing.machineId} already claims ${sessionWord(existing.sessions)} of pool ${pool.id}; nothing more is claimed (${sessionWord(left)} left).`
            : `Machine ${existing.machineId} claims ${sessionWord(existing.sessions)} of pool ${pool.id}; asking for ${sessions} does not lower it, because claimed sessions are never returned to the pool. It keeps ${sessionWord(existing.sessions)} (${sessionWord(left)} left).`,
        ),
      ],
    };
  }

  const delta = existing ? sessions - existing.sessions : sessions;
  if (delta > left) {
    const what = existing
      ? `Raising machine ${existing.machineId} from ${existing.sessions} to ${sessions} sessions needs ${sessionWord(delta)} more`
      : `Activating machine ${machineId} with ${sessionWord(sessions)} needs ${sessionWord(delta)}`;
    return fail(
      CODES.E_POOL_EXHAUSTED,
      `${what}, but pool ${pool.id} has only ${sessionWord(left)} left (${pool.sessions} in all, ${sessionsClaimed(snap, pool.id)} already claimed). Claimed sessions are never returned; ask your Account Representative to add sessions to the pool.`,
    );
  }
  const installation: Installation = existing
    ? { ...existing, sessions, lastReactivatedAt: at }
    : { machineId, endUserId, poolId: pool.id, sessions, activatedAt: at, lastReactivatedAt: null };
  const after = left - delta;
  const message = existing
    ? `Machine ${existing.machineId} is raised from ${existing.sessions} to ${sessions} sessions of pool ${pool.id}: only the difference, ${sessionWord(delta)}, is claimed (${sessionWord(after)} left).`
    : `Machine ${machineId} is activated with ${sessionWord(sessions)} claimed from pool ${pool.id} (${sessionWord(after)} left).`;
  return { ok: true, claimDelta: delta, installation, sessionsLeft: after, findings: [pass('AUD-4', message)] };
}

export interface ReactivateInput {
  machineId: string;
  now: Date;
}

export type ReactivateResult =
  | {
      ok: true;
      machineId: string;
      /** The machine's Call Services installation with lastReactivatedAt = now; absent for a machine without one (Studio). */
      installation?: Installation;
      /** The machine-bound licenses on the machine: their latest state. */
      licenses: License[];
      findings: Finding[];
    }
  | { ok: false; code: ReactivateErrorCode; message: string; findings: Finding[] };

/**
 * AUD-3. Reactivating a machine pulls its licenses' latest state: its
 * installation's lastReactivatedAt becomes now, and nothing else changes
 * (its sessions, the pool's sessions left, seats). A machine with neither an
 * installation nor an Audium system record is unknown.
 */
export function reactivate(snap: RegistrySnapshot, input: ReactivateInput): ReactivateResult {
  const machineId = input.machineId.trim();
  const failWith = (code: ReactivateErrorCode, message: string): ReactivateResult => ({
    ok: false,
    code,
    message,
    findings: [finalFail('AUD-3', message)],
  });
  if (machineId === '') return failWith(CODES.E_USAGE, 'Give the machine id to reactivate.');
  if (Number.isNaN(input.now.getTime()))
    return failWith(CODES.E_USAGE, 'The time of the reactivation is not a valid date.');
  const existing = findInstallation(snap, machineId);
  const system = findSystem(snap, machineId);
  if (!existing && !system)
    return failWith(
      CODES.E_MACHINE_UNKNOWN,
      `We cannot find machine ${machineId} in our records: it has no installation and no registered Audium license.`,
    );
  if (!existing && system && system.program !== 'audium') {
    return failWith(
      CODES.E_USAGE,
      `Machine ${system.key} is not an Audium machine (it is registered for program ${system.program}).`,
    );
  }
  const id = existing?.machineId ?? system?.key ?? machineId;
  const licenses = licensesOn(snap, system?.key ?? id);
  const installation = existing ? { ...existing, lastReactivatedAt: input.now.toISOString() } : undefined;
  const parts: string[] = [];
  if (licenses.length > 0)
    parts.push(`license${licenses.length === 1 ? '' : 's'} ${listWords(licenses.map((l) => l.key))}`);
  if (existing) {
    const pool = snap.pools.get(existing.poolId);
    const left = pool ? `, ${sessionWord(sessionsLeft(snap, pool))} left in the pool` : '';
    parts.push(`its installation of ${sessionWord(existing.sessions)} on pool ${existing.poolId}${left}`);
  }
  const state = parts.length > 0 ? ` (${parts.join('; ')})` : '';
  return {
    ok: true,
    machineId: id,
    ...(installation ? { installation } : {}),
    licenses,
    findings: [
      pass(
        'AUD-3',
        `Machine ${id} was reactivated at ${input.now.toISOString()}: its latest license state was pulled${state}. Reactivation consumes no seat and no session.`,
      ),
    ],
  };
}
