/** Registry look-ups shared by the AltiGen rules. */
import type { CatalogItem, RegistrySnapshot } from '../../registry-model.js';

export { FORM_TITLES } from '../../form-titles.js';
export { findLicense, findSystem, normalKey, ownValue } from '../../registry-lookup.js';

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

export { listWords, normalCaseNumber } from '../../wording.js';
