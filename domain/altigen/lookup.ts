/** Registry look-ups shared by the AltiGen rules. */
import type { CatalogItem, License, RegistrySnapshot, System } from '../../registry/schema.js';
import type { FormId } from '../../forms/types.js';

export const FORM_TITLES: Record<FormId, string> = {
  'license-transfer/v1': 'License Transfer Form',
  'card-authorization/v1': 'Credit Card Authorization',
  'sso-migration/v1': 'Software Only Solution License Migration Worksheet',
  'swap-request/v1': 'License SWAP Request Form',
  'uninstall-declaration/v1': 'Declaration of uninstall',
  'account-transfer/v1': 'License sale or transfer form',
};

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

export const catalogItem = (snap: RegistrySnapshot, sku: string): CatalogItem | undefined => snap.catalog.get(sku);

/** Seats one key carries: catalog count × quantity. */
export const seatsOf = (license: { quantity: number }, item: CatalogItem): number => item.count * license.quantity;

export const kindOf = (item: CatalogItem): string => item.kind.trim().toLowerCase();

/** "10 stations (1 × ALTI-STATION-10)" */
export function describeKey(license: { quantity: number; sku: string }, item: CatalogItem | undefined): string {
  if (!item) return `${license.quantity} × ${license.sku}`;
  const seats = seatsOf(license, item);
  const kind = kindOf(item);
  const noun = kind === 'station' ? 'station' : kind === 'agent' ? 'agent seat' : `${kind} seat`;
  return `${seats} ${noun}${seats === 1 ? '' : 's'} (${license.quantity} × ${license.sku})`;
}

export { listWords, normalCaseNumber } from '../wording.js';
