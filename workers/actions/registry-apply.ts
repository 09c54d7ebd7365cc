/**
 * `registry apply FILE`: a file of the registry's shape holding any subset of
 * its lists; every entity is upserted as `PUT /api/v1/registry/…` does, all
 * or nothing, in one step (workers/actions/registry-update.ts).
 */
import { z } from 'zod';
import { ENTITY_SCHEMAS } from '../../domain/registry-model.js';
import { CODES, DeskError } from '../../lib/errors.js';
import type { EntityChange, EntityKind } from '../../workflows/registry-update.js';
import type { DeskContext } from '../desk/context.js';
import { applyRegistryUpdate } from './registry-update.js';

/** The registry file's lists an update may carry; cases are opened, never applied. */
export const applySchema = z.strictObject(
  Object.fromEntries(Object.entries(ENTITY_SCHEMAS).map(([kind, schema]) => [kind, z.array(schema).optional()])) as {
    [K in keyof typeof ENTITY_SCHEMAS]: z.ZodOptional<z.ZodArray<(typeof ENTITY_SCHEMAS)[K]>>;
  },
);

export async function applyRegistryFile(ctx: DeskContext, input: unknown, actor: string): Promise<EntityChange[]> {
  const parsed = applySchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new DeskError(CODES.E_REGISTRY_INVALID, [`nothing was changed\n${lines.join('\n')}`], lines);
  }
  const entities = Object.entries(parsed.data).flatMap(([kind, list]) =>
    (list ?? []).map((entity) => ({ kind: kind as EntityKind, entity: entity as Record<string, unknown> })),
  );
  return applyRegistryUpdate(ctx, entities, actor);
}
