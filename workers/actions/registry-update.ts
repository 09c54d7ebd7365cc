/**
 * Registry updates (`PUT /api/v1/registry/{kind}/{id}`, `registry apply`):
 * read the registry as it is now, decide through workflows/registry-update.ts,
 * and write the whole result in one step with its audit entry and its
 * `registry.changed` event. The desk's own change notes stay, and each
 * updated entity is noted too, so an older file imported later is refused
 * rather than undoing the update (DSK-12).
 */
import { OPEN_STATES } from '../../domain/case-states.js';
import type { RegistryDocument } from '../../domain/registry-model.js';
import { CODES, DeskError, errors } from '../../lib/errors.js';
import {
  updateConflicts,
  upsertEntities,
  type EntityChange,
  type EntityKind,
  type OpenCase,
} from '../../workflows/registry-update.js';
import type { DeskContext } from '../desk/context.js';

const ATTEMPTS = 10;

export async function applyRegistryUpdate(
  ctx: DeskContext,
  entities: ReadonlyArray<{ kind: EntityKind; entity: Record<string, unknown> }>,
  actor: string,
): Promise<EntityChange[]> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const version = await ctx.registry.version();
    const now = await ctx.registry.export();
    const notes = await ctx.redis.hgetall(ctx.keys.regChanged());
    const { doc, changes } = upsertEntities(now, entities);
    const conflicts = updateConflicts(now, changes, await openCases(ctx, now));
    if (conflicts.length > 0)
      throw new DeskError(
        CODES.E_REGISTRY_CONFLICT,
        [`an open case depends on it; nothing changed\n${conflicts.join('\n')}`],
        conflicts,
      );
    const changed = changes.filter((c) => c.change !== 'unchanged');
    if (changed.length === 0) return changes;
    const at = ctx.clock.now().toISOString();
    const overridden = (path: string) =>
      changed.some((c) => path === `${c.kind}/${c.id}` || path.startsWith(`${c.kind}/${c.id}/`));
    const keep: Record<string, string> = Object.fromEntries(
      Object.entries(notes).filter(([path]) => !overridden(path)),
    );
    for (const c of changed) keep[`${c.kind}/${c.id}`] = JSON.stringify(c.entity);
    const res = await ctx.registry.import(doc as RegistryDocument, {
      replace: true, // the update is explicit; what it overrides is named in its audit entry
      expectedVersion: version,
      keepChanged: keep,
      extra: (m, _newCases, overridden) => {
        const summary = changed.map((c) => ({ kind: c.kind, id: c.id, change: c.change }));
        ctx.events.queue(m, [
          { type: 'registry.changed', at, data: { change: 'update', by: actor, entities: summary } },
        ]);
        ctx.audit.queue(m, {
          at,
          actor,
          action: 'registry-updated',
          reason: summary.map((s) => `${s.kind} ${s.id} ${s.change}`).join('; '),
          ...(overridden.length > 0 ? { detail: { overrode: overridden } } : {}),
        });
      },
    });
    if (!res.moved) return changes;
  }
  throw errors.E_CASE_CONFLICT('the registry');
}

async function openCases(ctx: DeskContext, now: RegistryDocument): Promise<OpenCase[]> {
  const docs = new Map((await ctx.cases.getDocs(now.cases.map((c) => c.number))).map((d) => [d.number, d]));
  return now.cases
    .map((registry) => ({ registry, doc: docs.get(registry.number) }))
    .filter((c) => !c.doc || [...OPEN_STATES, 'approved'].includes(c.doc.state));
}
