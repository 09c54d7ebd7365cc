/**
 * The reps' console and the operators' queue dashboard (bull-board), with
 * Prometheus metrics. Small and schema-validated at its edges.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { z } from 'zod';
import type { DeskContext } from '../workers/desk-context.js';
import { CODES, ERROR_CATALOGUE, errorOutcome, errors } from '../lib/errors.js';
import { CASE_STATES } from '../domain/case-states.js';
import { approveCase, rejectCase } from '../workers/rep-actions.js';
import { renderCasePage, renderCasesPage } from './pages.js';
import { recentCases } from '../store/case-listing.js';

/** The console lists at most this many cases, the most recent (by receipt, or by update within a state). */
const CONSOLE_CASES = 500;

export async function startConsole(ctx: DeskContext, port: number, host = '127.0.0.1'): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });

  const board = new FastifyAdapter();
  createBullBoard({ queues: Object.values(ctx.queues).map((q) => new BullMQAdapter(q)), serverAdapter: board });
  board.setBasePath('/queues');
  await app.register(board.registerPlugin(), { prefix: '/queues' });

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const casesByState = new Gauge({
    name: 'licensedesk_cases', help: 'Cases by state', labelNames: ['state'], registers: [metrics],
    async collect() {
      const counts = await ctx.cases.countByState();
      for (const s of CASE_STATES) this.set({ state: s }, counts[s]);
    },
  });
  void casesByState;
  const jobsGauge = new Gauge({
    name: 'licensedesk_jobs', help: 'Jobs by queue and state', labelNames: ['queue', 'state'], registers: [metrics],
    async collect() {
      for (const q of Object.values(ctx.queues)) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
      }
    },
  });
  void jobsGauge;

  app.get('/metrics', async (_req, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
  app.get('/health', async () => ({ ok: (await ctx.redis.ping()) === 'PONG' }));

  const listQuery = z.object({ state: z.enum(CASE_STATES).optional() });
  app.get('/', async (req, reply) => {
    const q = listQuery.safeParse(req.query);
    const cases = await recentCases(ctx.cases, q.success ? q.data.state : undefined, CONSOLE_CASES);
    return reply.type('text/html').send(renderCasesPage(cases));
  });
  app.get('/cases/:n', async (req, reply) => {
    const n = z.object({ n: z.string().regex(/^\d{4,10}$/) }).safeParse(req.params);
    if (!n.success) return reply.code(400).send('bad case number');
    const c = await ctx.cases.get(n.data.n);
    if (!c) return reply.code(ERROR_CATALOGUE.E_CASE_NOT_FOUND.httpStatus).send(CODES.E_CASE_NOT_FOUND);
    return reply.type('text/html').send(renderCasePage(c.doc));
  });
  app.get('/api/cases/:n', async (req, reply) => {
    const c = await ctx.cases.get((req.params as { n: string }).n);
    if (c) return c.doc;
    const e = errors.E_CASE_NOT_FOUND((req.params as { n: string }).n);
    return reply.code(e.httpStatus).send({ code: e.code });
  });

  const decisionBody = z.object({ by: z.string().email(), note: z.string().max(2000).optional(), reason: z.string().max(2000).optional() });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.post('/cases/:n/:action', async (req, reply) => {
    const p = z.object({ n: z.string().regex(/^\d{4,10}$/), action: z.enum(['approve', 'reject']) }).safeParse(req.params);
    const b = decisionBody.safeParse(req.body);
    const usage = (text: string) => {
      const e = errors.E_USAGE(text);
      return reply.code(e.httpStatus).type('text/plain').send(e.message);
    };
    if (!p.success || !b.success) return usage('a rep e-mail address (and a reason to reject) is needed');
    try {
      if (p.data.action === 'approve') await approveCase(ctx, p.data.n, b.data.by, b.data.note || undefined);
      else {
        if (!b.data.reason) return usage('a reason is needed to reject');
        await rejectCase(ctx, p.data.n, b.data.by, b.data.reason);
      }
    } catch (e) {
      // The status comes from the error catalogue (lib/errors.ts).
      return reply.code(errorOutcome(e).httpStatus).type('text/plain').send((e as Error).message);
    }
    return reply.redirect(`/cases/${p.data.n}`, 303);
  });

  const address = await app.listen({ port, host });
  return { app, url: address };
}
