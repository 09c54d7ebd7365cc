/**
 * A registry update (`PUT /api/v1/registry/{kind}/{id}`, `registry apply`):
 * entities upserted into the registry as it is now, then checked as a whole
 * file is. Pure: given the registry now and the open cases, it answers the
 * new document and what changed, or why it is refused. An update may not
 * change what an open case depends on (DSK-12): a license it plans to move,
 * its systems, or a pool below what its installations claimed.
 */
import type { CaseDoc } from '../domain/case-doc.js';
import type { RegistryCase, RegistryDocument } from '../domain/registry-model.js';

export const ENTITY_KINDS = [
  'catalog',
  'partners',
  'endUsers',
  'systems',
  'licenses',
  'accounts',
  'pools',
  'installations',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export const ENTITY_ID: Record<EntityKind, string> = {
  catalog: 'sku',
  partners: 'id',
  endUsers: 'id',
  systems: 'key',
  licenses: 'key',
  accounts: 'id',
  pools: 'id',
  installations: 'machineId',
};

export interface EntityChange {
  kind: EntityKind;
  id: string;
  change: 'created' | 'replaced' | 'unchanged';
  entity: Record<string, unknown>;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function upsertEntities(
  now: RegistryDocument,
  entities: ReadonlyArray<{ kind: EntityKind; entity: Record<string, unknown> }>,
): { doc: RegistryDocument; changes: EntityChange[] } {
  const doc = structuredClone(now) as unknown as Record<string, Array<Record<string, unknown>> | undefined>;
  const changes: EntityChange[] = [];
  for (const { kind, entity } of entities) {
    const idField = ENTITY_ID[kind];
    const id = String(entity[idField]);
    const list = (doc[kind] ??= []);
    const at = list.findIndex((e) => String(e[idField]) === id);
    if (at < 0) {
      list.push(entity);
      changes.push({ kind, id, change: 'created', entity });
    } else {
      const change = same(list[at], entity) ? 'unchanged' : 'replaced';
      list[at] = entity;
      changes.push({ kind, id, change, entity });
    }
  }
  return { doc: doc as unknown as RegistryDocument, changes };
}

/** Cases that still depend on the registry: opened and not yet decided for good. */
export interface OpenCase {
  registry: RegistryCase;
  doc: CaseDoc | undefined;
}

/** One line per dependency an update would break; empty: it may go ahead. */
export function updateConflicts(
  now: RegistryDocument,
  changes: readonly EntityChange[],
  open: readonly OpenCase[],
): string[] {
  const out: string[] = [];
  const find = (kind: EntityKind, id: string) =>
    ((now as unknown as Record<string, Array<Record<string, unknown>> | undefined>)[kind] ?? []).find(
      (e) => String(e[ENTITY_ID[kind]]) === id,
    );
  for (const ch of changes) {
    if (ch.change === 'unchanged') continue;
    const before = find(ch.kind, ch.id);
    for (const c of open) {
      const moves = c.doc?.plan?.moves ?? [];
      if (ch.kind === 'licenses' && before && before.systemKey !== ch.entity.systemKey) {
        if (moves.some((m) => m.licenseKey === ch.id))
          out.push(`licenses ${ch.id}: case ${c.registry.number} plans to move it from ${String(before.systemKey)}`);
      }
      if (ch.kind === 'systems' && before) {
        const systems = new Set([c.registry.systemKey, ...moves.flatMap((m) => [m.from, m.to])]);
        if (systems.has(ch.id)) out.push(`systems ${ch.id}: open case ${c.registry.number} depends on it`);
      }
    }
    if (ch.kind === 'pools') {
      const claimed = (now.installations ?? []).filter((i) => i.poolId === ch.id).reduce((n, i) => n + i.sessions, 0);
      const sessions = Number(ch.entity.sessions);
      if (Number.isFinite(sessions) && sessions < claimed)
        out.push(`pools ${ch.id}: ${sessions} sessions is below the ${claimed} its installations claimed`);
    }
  }
  return [...new Set(out)];
}
