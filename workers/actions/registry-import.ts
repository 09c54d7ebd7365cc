/**
 * `registry import FILE`: the whole registry replaced in one step, with its
 * audit entry and its events (`registry.changed`, and `case.opened` for each
 * case the file opens), never undoing what the desk changed since the last
 * import unless the operator says `--replace` (DSK-12).
 */
import type { NewDeskEvent } from '../../domain/events.js';
import type { RegistryDocument } from '../../domain/registry-model.js';
import type { DeskContext } from '../desk/context.js';

export interface ImportOutcome {
  counts: Record<string, number>;
  /** The differences `--replace` overrode (empty when the file agreed with the desk). */
  replaced: string[];
}

export async function importRegistry(
  ctx: DeskContext,
  doc: RegistryDocument,
  opts: { actor: string; source: string; replace?: boolean },
): Promise<ImportOutcome> {
  const at = ctx.clock.now().toISOString();
  const counts = Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, Array.isArray(v) ? v.length : 0]));
  const { replaced } = await ctx.registry.import(doc, {
    replace: opts.replace,
    extra: (m, newCases, overridden) => {
      const events: NewDeskEvent[] = [
        {
          type: 'registry.changed',
          at,
          data: {
            change: 'import',
            source: opts.source,
            counts,
            ...(overridden.length ? { replaced: overridden } : {}),
          },
        },
        ...newCases.map((c): NewDeskEvent => ({
          type: 'case.opened',
          at,
          case: c.number,
          data: { partnerId: c.partnerId, systemKey: c.systemKey, program: c.program, by: opts.actor },
        })),
      ];
      ctx.events.queue(m, events);
      ctx.audit.queue(m, {
        at,
        actor: opts.actor,
        action: 'registry-imported',
        reason: opts.source,
        ...(overridden.length > 0 ? { detail: { replaced: overridden } } : {}),
      });
    },
  });
  return { counts, replaced };
}
