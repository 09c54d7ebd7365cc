/** Registry look-ups every program's rules share: keys compared as partners type them. */
import type { License, RegistrySnapshot, System } from './registry-model.js';

/** Keys as partners type them: compared without case and surrounding space. */
export const normalKey = (key: string): string => key.trim().toUpperCase();

function byKey<T>(map: ReadonlyMap<string, T>, key: string): T | undefined {
  const exact = map.get(key.trim());
  if (exact) return exact;
  const want = normalKey(key);
  const hits = [...map.entries()].filter(([k]) => normalKey(k) === want);
  return hits.length === 1 ? hits[0]?.[1] : undefined;
}

/** A system by its key (exact, else the one key equal ignoring case). */
export const findSystem = (snap: RegistrySnapshot, key: string | undefined): System | undefined =>
  key === undefined || key.trim() === '' ? undefined : byKey(snap.systems, key);

/** A license by its key (exact, else the one key equal ignoring case). */
export const findLicense = (snap: RegistrySnapshot, key: string): License | undefined => byKey(snap.licenses, key);
