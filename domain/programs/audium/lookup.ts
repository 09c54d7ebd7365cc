/** Registry look-ups shared by the Audium rules. */
import type { Pool, RegistrySnapshot } from '../../registry-model.js';
import { normalKey } from '../../registry-lookup.js';

export { FORM_TITLES } from '../../form-titles.js';
export { findLicense, findSystem, normalKey } from '../../registry-lookup.js';
export { listWords, normalCaseNumber } from '../../wording.js';

export const sameKey = (a: string, b: string): boolean => normalKey(a) === normalKey(b);

/** A pool by its id (exact, else the one id equal ignoring case). */
export function findPool(snap: RegistrySnapshot, id: string | undefined): Pool | undefined {
  if (id === undefined || id.trim() === '') return undefined;
  const exact = snap.pools.get(id.trim());
  if (exact) return exact;
  const hits = [...snap.pools.values()].filter((p) => sameKey(p.id, id));
  return hits.length === 1 ? hits[0] : undefined;
}

export { sendAgain } from '../../wording.js';
