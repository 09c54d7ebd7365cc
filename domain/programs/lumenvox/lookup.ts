/** Registry look-ups shared by the LumenVox rules. */
import type { Account, RegistrySnapshot } from '../../registry-model.js';
import { normalKey, ownValue } from '../../registry-lookup.js';

export { FORM_TITLES } from '../../form-titles.js';
export { normalKey } from '../../registry-lookup.js';
export { listWords, normalCaseNumber } from '../../wording.js';

/** The one entry whose key equals `key` exactly, else the one equal ignoring case and space. */
function byKey<T>(entries: Iterable<[string, T]>, key: string): [string, T] | undefined {
  const all = [...entries];
  const exact = all.find(([k]) => k === key.trim());
  if (exact) return exact;
  const want = normalKey(key);
  const hits = all.filter(([k]) => normalKey(k) === want);
  return hits.length === 1 ? hits[0] : undefined;
}

/** An account by its id (exact, else the one id equal ignoring case). */
export function findAccount(snap: RegistrySnapshot, id: string | undefined): Account | undefined {
  if (id === undefined || id.trim() === '') return undefined;
  return snap.accounts.get(id.trim()) ?? byKey(snap.accounts.entries(), id)?.[1];
}

/**
 * A product as the account names it: the form's spelling when the account
 * holds it, else the one product of the account equal ignoring case, else the
 * form's spelling (the account holds none of it).
 */
export function productOf(account: Account, product: string): string {
  const names = new Set([...Object.keys(account.available), ...Object.keys(account.deployed)]);
  const hit = byKey(
    [...names].map((n) => [n, n] as [string, string]),
    product,
  );
  return hit?.[0] ?? product.trim();
}

export const availableOf = (account: Account, product: string): number => ownValue(account.available, product) ?? 0;
export const deployedOf = (account: Account, product: string): number => ownValue(account.deployed, product) ?? 0;

/** "4 × LV-ASR-PORT and 2 × LV-TTS" */
export function describeQuantities(lines: readonly { product: string; quantity: number }[]): string {
  const parts = lines.map((l) => `${l.quantity} × ${l.product}`);
  if (parts.length <= 1) return parts[0] ?? 'no licenses';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export const sameId = (a: string, b: string): boolean => normalKey(a) === normalKey(b);

export { sendAgain } from '../../wording.js';

/** An email address as compared: trimmed, lower-case. */
export const normalEmail = (address: string): string => address.trim().toLowerCase();
