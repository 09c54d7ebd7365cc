/** Registry look-ups and wording shared by the SWAP rules. */
import type { RegistrySnapshot, System } from '../../registry-model.js';
import { sendAgain } from '../../wording.js';
import type { SwapRequest } from './request.js';

/** FK/SIDs as partners type them: compared without case and surrounding space. */
export const normalKey = (key: string): string => key.trim().toUpperCase();

/** A system by its key (exact, else the one key equal ignoring case). */
export function findSystem(snap: RegistrySnapshot, key: string | undefined): System | undefined {
  if (key === undefined || key.trim() === '') return undefined;
  const exact = snap.systems.get(key.trim());
  if (exact) return exact;
  const want = normalKey(key);
  const hits = [...snap.systems.values()].filter((s) => normalKey(s.key) === want);
  return hits.length === 1 ? hits[0] : undefined;
}

/** True when the system's end user is one of the partner's. */
export function isPartnersSystem(snap: RegistrySnapshot, system: System, partnerId: string): boolean {
  return snap.endUsers.get(system.endUserId)?.partnerId === partnerId;
}

/**
 * The partner's SWAP-able FK/SIDs: systems of program `avaya-swap`, not
 * disabled, owned by one of the partner's end users. These are the keys a
 * mistyped identifier could be confused with (SWP-4).
 */
export function partnerSwapSystems(snap: RegistrySnapshot, partnerId: string): System[] {
  return [...snap.systems.values()].filter(
    (s) => s.program === 'avaya-swap' && !s.disabled && isPartnersSystem(snap, s, partnerId),
  );
}

/** "end user Globex (EU-1)" */
export function endUserWords(snap: RegistrySnapshot, endUserId: string): string {
  const eu = snap.endUsers.get(endUserId);
  return eu ? `end user ${eu.name} (${eu.id})` : `end user ${endUserId}`;
}

/** The end of every fix: how to send the corrected form on this case (DSK-6). */
export const replyOnCase = sendAgain;

/** "Send the License SWAP Request Form again with …, and reply …" */
export const resendForm = (req: SwapRequest, what: string): string =>
  `Send the License SWAP Request Form again with ${what}; ${replyOnCase(req)}.`;

export const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export { listWords, normalCaseNumber } from '../../wording.js';
