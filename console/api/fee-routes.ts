/**
 * GET /api/v1/fees (`fees:read`): the fee ledger (DSK-11), oldest assessment
 * first, in the shape `fees list --json` prints; never more of a card than its
 * last four digits.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FEE_STATES, feeListItem } from '../../domain/fee-ledger.js';
import { FeeLedger } from '../../store/fee-ledger.js';
import type { DeskContext } from '../../workers/desk/context.js';

export const feeItem = z.object({
  id: z.string(),
  case: z.string(),
  rule: z.string(),
  amount: z.string().regex(/^-?\d+\.\d{2}$/),
  currency: z.string(),
  partnerId: z.string(),
  state: z.enum(FEE_STATES),
  assessedAt: z.string(),
  card: z.object({ last4: z.string() }).nullable(),
});

export function registerFeeApiRoutes(app: FastifyInstance, ctx: DeskContext, rate: object): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const ledger = new FeeLedger(ctx.redis, ctx.keys);
  api.get(
    '/fees',
    {
      config: { apiScope: 'fees:read', rateLimit: rate },
      schema: {
        summary: 'The fee ledger: every fee assessed, charged, declined, waived or billed (DSK-11), oldest first',
        querystring: z.object({
          state: z.enum(FEE_STATES).optional(),
          since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
          case: z
            .string()
            .regex(/^\d{4,10}$/)
            .optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(500),
          cursor: z
            .string()
            .regex(/^\d{1,9}$/)
            .optional(),
        }),
        response: { 200: z.object({ fees: z.array(feeItem), next: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { state, since, limit } = req.query;
      const offset = Number(req.query.cursor ?? 0);
      const entries = await ledger.list({
        state,
        since: since ? new Date(since.length === 10 ? `${since}T00:00:00Z` : since) : undefined,
        case: req.query.case,
        offset,
        limit,
      });
      return { fees: entries.map(feeListItem), next: entries.length === limit ? String(offset + limit) : null };
    },
  );
}
