/**
 * The field that names an entity of each registry collection (REGISTRY.md):
 * the import's duplicate check, the store's per-entity keys and the stale
 * import's comparison all key entities by it.
 */
import type { RegistryCollection } from '../store/keys.js';

export const ID_FIELD = {
  catalog: 'sku',
  partners: 'id',
  endUsers: 'id',
  systems: 'key',
  licenses: 'key',
  cases: 'number',
  accounts: 'id',
  pools: 'id',
  installations: 'machineId',
} as const satisfies Record<RegistryCollection, string>;

/** The id field of a collection named by a string, or undefined when it names none. */
export const idFieldOf = (collection: string): string | undefined =>
  Object.hasOwn(ID_FIELD, collection) ? ID_FIELD[collection as RegistryCollection] : undefined;
