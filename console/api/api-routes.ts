/**
 * The API for the vendor's systems (docs/interfaces.md "The API"), under
 * /api/v1: JSON in and out, each route's body, query and parameters checked
 * by zod at the edge (the registry's own schemas for its entities), errors as
 * `{ code, message }` with the catalogue's status, and an OpenAPI 3.1
 * document generated from these same schemas at /api/v1/openapi.json.
 */
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_STATES } from '../../domain/case-states.js';
import { CODES, DeskError, errors } from '../../lib/errors.js';
import { EVENT_ID } from '../../store/event-log.js';
import { TokenStore } from '../../store/token-store.js';
import { caseView, openCase } from '../../workers/actions/open-case.js';
import type { DeskContext } from '../../workers/desk/context.js';
import { sendError, tokenGuard } from './api-auth.js';
import { registerRegistryRoutes } from './registry-routes.js';
import { registerFeeApiRoutes } from './fee-routes.js';

const errorBody = z.object({ code: z.string(), message: z.string(), details: z.array(z.string()).optional() });
const anyCase = z.looseObject({ number: z.string(), program: z.string(), state: z.string() });
const event = z.object({
  id: z.string(),
  type: z.string(),
  at: z.string(),
  case: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});

export const API_PREFIX = '/api/v1';

export async function registerApi(app: FastifyInstance, ctx: DeskContext): Promise<void> {
  await app.register(
    async (api) => {
      api.setValidatorCompiler(validatorCompiler);
      api.setSerializerCompiler(serializerCompiler);
      api.decorateRequest('apiToken', null);
      // Every error of the scope answers here: a body or query the schema refuses (naming each bad path), the rate
      // limit, and any DeskError a handler throws, with its catalogue status.
      api.setErrorHandler((err, _req, reply) => {
        const v = (err as { validation?: Array<{ instancePath?: string; message?: string }> }).validation;
        if (v) {
          const lines = v.map((i) => `${i.instancePath || '(body)'}: ${i.message ?? 'invalid'}`);
          return sendError(reply, new DeskError(CODES.E_USAGE, [lines.join('; ')], lines));
        }
        if ((err as { statusCode?: number }).statusCode === 429)
          return sendError(reply, errors.E_RATE_LIMITED('a minute'));
        return sendError(reply, err);
      });
      api.setNotFoundHandler((req, reply) => sendError(reply, errors.E_NOT_FOUND(`no route ${req.method} ${req.url}`)));
      await api.register(fastifySwagger, {
        openapi: {
          openapi: '3.1.0',
          info: { title: 'licensedesk', version: '1', description: "The desk's API for the vendor's systems" },
          components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
          security: [{ bearer: [] }],
        },
        transform: jsonSchemaTransform,
      });
      const tokens = new TokenStore(ctx.redis, ctx.keys);
      api.addHook('onRequest', tokenGuard(tokens, ctx.clock));
      const rate = {
        max: ctx.config.apiRatePerMinute,
        timeWindow: 60_000,
        keyGenerator: (req: { headers: { authorization?: string }; ip: string }) =>
          /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]?.slice(0, 24) ?? `ip:${req.ip}`,
      };
      const r = api.withTypeProvider<ZodTypeProvider>();

      r.get('/openapi.json', { config: { apiScope: null }, schema: { hide: true } }, async () => api.swagger());

      r.post(
        '/cases',
        {
          config: { apiScope: 'cases:write', rateLimit: rate },
          schema: {
            summary: 'Open a case on the system the licenses move to (DSK-12)',
            body: z.strictObject({
              systemKey: z.string().min(1).max(200),
              partnerId: z.string().min(1).max(200).optional(),
              number: z
                .string()
                .regex(/^\d{6,10}$/)
                .optional(),
              softwareOnlyUpgrade: z.boolean().optional(),
            }),
            response: { 201: anyCase, 409: errorBody, 422: errorBody },
          },
        },
        async (req, reply) => reply.code(201).send(await openCase(ctx, req.body, `api:${req.apiToken?.name ?? ''}`)),
      );

      r.get(
        '/cases/:number',
        {
          config: { apiScope: 'cases:read', rateLimit: rate },
          schema: {
            summary: 'One case, as `case show --json` gives it',
            params: z.object({ number: z.string().regex(/^\d{4,10}$/) }),
            response: { 200: anyCase, 404: errorBody },
          },
        },
        async (req) => (await caseView(ctx, req.params.number)) as unknown as z.infer<typeof anyCase>,
      );

      r.get(
        '/cases',
        {
          config: { apiScope: 'cases:read', rateLimit: rate },
          schema: {
            summary: 'Cases, most recently changed first',
            querystring: z.object({
              state: z.enum(CASE_STATES).optional(),
              updatedSince: z.iso.datetime({ offset: true }).optional(),
              limit: z.coerce.number().int().min(1).max(500).default(100),
              cursor: z
                .string()
                .regex(/^\d{1,9}$/)
                .optional(),
            }),
            response: { 200: z.object({ cases: z.array(anyCase), next: z.string().nullable() }) },
          },
        },
        async (req) => {
          const { state, updatedSince, limit } = req.query;
          const offset = Number(req.query.cursor ?? 0);
          const since = updatedSince ? Date.parse(updatedSince) : undefined;
          const page = state
            ? await ctx.cases.listByState(state, offset, limit)
            : await ctx.cases.listRecent(offset, limit);
          const cases = page.filter((c) => since === undefined || Date.parse(c.updatedAt) >= since);
          return {
            cases: cases as unknown as Array<z.infer<typeof anyCase>>,
            next: page.length === limit ? String(offset + limit) : null,
          };
        },
      );

      r.get(
        '/events',
        {
          config: { apiScope: 'events:read', rateLimit: rate },
          schema: {
            summary: 'Every change the desk made, oldest first, none skipped',
            querystring: z.object({
              after: z.string().regex(EVENT_ID).optional(),
              limit: z.coerce.number().int().min(1).max(1000).default(100),
            }),
            response: { 200: z.object({ events: z.array(event), next: z.string().nullable() }) },
          },
        },
        async (req) => {
          const events = await ctx.events.page(req.query.after, req.query.limit);
          const next = events.length > 0 ? events[events.length - 1]!.id : (req.query.after ?? null);
          return { events, next };
        },
      );

      registerRegistryRoutes(api, ctx, rate);
      registerFeeApiRoutes(api, ctx, rate);
    },
    { prefix: API_PREFIX },
  );
}
