/**
 * GET and PUT /api/v1/registry/{kind}/{id}: one entity of the registry, as
 * docs/registry-file.md gives it. A PUT body is checked by the registry
 * file's own zod schema for that kind, then with the whole registry as an
 * import is (references, programs), and refused with 409 where an open case
 * depends on what it would change.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ENTITY_SCHEMAS } from '../../domain/registry-model.js';
import { CODES, DeskError, errors } from '../../lib/errors.js';
import { applyRegistryUpdate } from '../../workers/actions/registry-update.js';
import type { DeskContext } from '../../workers/desk/context.js';
import { ENTITY_ID, ENTITY_KINDS } from '../../workflows/registry-update.js';
import { sendError } from './api-auth.js';

const errorBody = z.object({ code: z.string(), message: z.string(), details: z.array(z.string()).optional() });
const params = z.object({ kind: z.enum(ENTITY_KINDS), id: z.string().min(1).max(200) });

export function registerRegistryRoutes(app: FastifyInstance, ctx: DeskContext, rate: object): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/registry/:kind/:id',
    {
      config: { apiScope: 'registry:read', rateLimit: rate },
      schema: {
        summary: 'One registry entity, as it is now',
        params,
        response: { 200: z.record(z.string(), z.unknown()), 404: errorBody },
      },
    },
    async (req, reply) => {
      const doc = (await ctx.registry.export()) as unknown as Record<
        string,
        Array<Record<string, unknown>> | undefined
      >;
      const { kind, id } = req.params;
      const found = (doc[kind] ?? []).find((e) => String(e[ENTITY_ID[kind]]) === id);
      if (!found) return sendError(reply, errors.E_NOT_FOUND(`no ${kind} ${id} in the registry`));
      return found;
    },
  );
  api.put(
    '/registry/:kind/:id',
    {
      config: { apiScope: 'registry:write', rateLimit: rate },
      schema: {
        summary: 'Create or replace one registry entity, checked as an import is',
        params,
        // Each kind's own schema is applied in the handler (the body's shape depends on the path).
        body: z.record(z.string(), z.unknown()),
        response: {
          200: z.object({ kind: z.string(), id: z.string(), change: z.string() }),
          409: errorBody,
          422: errorBody,
        },
      },
    },
    async (req, reply) => {
      const { kind, id } = req.params;
      const parsed = ENTITY_SCHEMAS[kind].safeParse(req.body);
      if (!parsed.success) {
        const lines = parsed.error.issues.map((i) => `${kind}.${[id, ...i.path].join('.')}: ${i.message}`);
        return sendError(reply, new DeskError(CODES.E_REGISTRY_INVALID, [lines.join('; ')], lines));
      }
      const entity = parsed.data as Record<string, unknown>;
      if (String(entity[ENTITY_ID[kind]]) !== id)
        return sendError(reply, errors.E_REGISTRY_INVALID(`${kind}.${id}: the body's ${ENTITY_ID[kind]} is not ${id}`));
      // E_REGISTRY_INVALID (the whole registry checked) and E_REGISTRY_CONFLICT answer through the scope's error handler.
      const [change] = await applyRegistryUpdate(ctx, [{ kind, entity }], `api:${req.apiToken?.name ?? ''}`);
      return { kind, id, change: change?.change ?? 'unchanged' };
    },
  );
}
