/** Registry look-ups every program's rules share: keys compared as partners type them. */
import type { License, RegistrySnapshot, System } from './registry-model.js';

/**
 * The value a plain object holds under `key` itself, never one it inherits:
 * a partner's `constructor` or `toString` is not a product, price or count
 * (a plain `record[key]` would read Object's methods).
 */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

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
