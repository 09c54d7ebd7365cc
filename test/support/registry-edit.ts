/** Small helpers the rule tests share to build and edit registry snapshots. */
import {
  snapshotOf,
  type Account,
  type Partner,
  type RegistryDocument,
  type RegistrySnapshot,
  type System,
} from '../../domain/registry-model.js';

/** A snapshot of `base()`, after an optional edit of the document. */
export function snapshotFrom(base: () => RegistryDocument, edit?: (d: RegistryDocument) => void): RegistrySnapshot {
  const d = base();
  edit?.(d);
  return snapshotOf(d);
}

function must<T>(found: T | undefined, what: string): T {
  if (!found) throw new Error(`test fixture has no ${what}`);
  return found;
}

export const systemIn = (d: RegistryDocument, key: string): System =>
  must(
    d.systems.find((x) => x.key === key),
    `system ${key}`,
  );
export const partnerIn = (d: RegistryDocument, id: string): Partner =>
  must(
    d.partners.find((x) => x.id === id),
    `partner ${id}`,
  );
export const accountIn = (d: RegistryDocument, id: string): Account =>
  must(
    d.accounts?.find((x) => x.id === id),
    `account ${id}`,
  );

/**
 * A registry document opened up for a test to break on purpose (a bad date, an
 * unknown field): every path is writable and nothing is checked, as in a file
 * a person typed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is a document the types do not hold
export type BrokenDocument = Record<string, any>;
