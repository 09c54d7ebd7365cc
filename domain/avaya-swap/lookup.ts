/** Registry look-ups and wording shared by the SWAP rules. */
import type { RegistrySnapshot, System } from '../../registry/schema.js';
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
  return [...snap.systems.values()].filter((s) => s.program === 'avaya-swap' && !s.disabled && isPartnersSystem(snap, s, partnerId));
}

/** "end user Globex (EU-1)" */
export function endUserWords(snap: RegistrySnapshot, endUserId: string): string {
  const eu = snap.endUsers.get(endUserId);
  return eu ? `end user ${eu.name} (${eu.id})` : `end user ${endUserId}`;
}

/** "A and B", "A, B and C" */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A case number as a partner may write it on a form: `123456`, `#123456`, `Case 123456`. */
export function normalCaseNumber(value: string): string {
  const m = /^\s*(?:case\s*)?[#:]?\s*(\d+)\s*$/i.exec(value);
  return m?.[1] ?? value.trim();
}

/** The end of every fix: how to send the corrected form on this case (DSK-6). */
export const replyOnCase = (req: SwapRequest): string => `reply with "[Case ${req.caseNumber}]" in the subject`;

/** "Send the License SWAP Request Form again with …, and reply …" */
export const resendForm = (req: SwapRequest, what: string): string =>
  `Send the License SWAP Request Form again with ${what}; ${replyOnCase(req)}.`;

export const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
