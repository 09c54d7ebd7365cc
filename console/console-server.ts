/**
 * The reps' console and the operators' queue dashboard (bull-board), with
 * Prometheus metrics. Everything but /login and /health needs a session
 * (console-security.ts); /metrics needs its bearer token. bull-board is
 * mounted read only, in a scope of its own whose guard lets operators in
 * and GET/HEAD through only (console-security.ts `guardQueues`).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { DeskContext } from '../workers/desk/context.js';
import { registerEventLoopBusyGauge } from '../lib/event-loop-busy.js';
import { CASE_STATES } from '../domain/case-states.js';
import type { WatchdogReport } from '../workers/desk/watchdog.js';
import { health, registerFailoverMetrics } from './health.js';
import { registerCaseRoutes } from './case-routes.js';
import { registerPaperRoutes } from './paper-routes.js';
import { guardQueues, originForm, registerConsoleSecurity } from './console-security.js';
import { registerLoginRoutes } from './login-routes.js';
import { registerApi } from './api/api-routes.js';
import { registerWebhookMetrics, registerWebhookRoutes } from './webhook-routes.js';
import { consoleCss } from './pages.js';
import { registerQuarantineRoutes } from './quarantine-routes.js';
import { registerOpenRoutes } from './open-routes.js';
import { registerStatusRoutes } from './status-routes.js';
import { registerFeeRoutes } from './fees-routes.js';
import { registerAccountRoutes } from './account-routes.js';
import { registerMessageRoutes } from './message-routes.js';

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function sameToken(given: string, want: string): boolean {
  const d = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(d(given), d(want));
}

export async function startConsole(
  ctx: DeskContext,
  port: number,
  host = '127.0.0.1',
  watchdog?: () => WatchdogReport | undefined,
): Promise<{ app: FastifyInstance; url: string }> {
  // X-Forwarded-Proto (Secure cookies behind a TLS proxy) and X-Forwarded-For
  // (the client address of rate limits, sign-in locks and the audit trail)
  // are believed only from the proxies LICENSEDESK_TRUSTED_PROXIES names
  // (loopback by default); from anyone else the connection's own address
  // counts. The Host check never reads forwarded headers.
  const app = Fastify({
    logger: false,
    trustProxy: ctx.config.trustedProxies,
    bodyLimit: 256 * 1024,
    rewriteUrl: originForm,
  });

  await registerConsoleSecurity(app, ctx);

  // Read only: operators see the queues; a job is promoted with `licensedesk
  // jobs promote` (audited), never through the dashboard, so no session can
  // add, promote, clean, obliterate or rewrite a job (a notify job mails
  // whatever it names; the timers carry the deadlines and bills).
  const board = new FastifyAdapter();
  createBullBoard({
    queues: Object.values(ctx.queues).map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter: board,
  });
  board.setBasePath('/queues');
  // Its own scope: the guard is a hook of the routes bull-board adds, so it
  // holds for every spelling of a URL the router takes to them.
  await app.register(
    async (scope) => {
      guardQueues(scope);
      await scope.register(board.registerPlugin());
    },
    { prefix: '/queues' },
  );

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  if (ctx.config.loopMonitor) registerEventLoopBusyGauge(metrics);
  const casesByState = new Gauge({
    name: 'licensedesk_cases',
    help: 'Cases by state',
    labelNames: ['state'],
    registers: [metrics],
    async collect() {
      const counts = await ctx.cases.countByState();
      for (const s of CASE_STATES) this.set({ state: s }, counts[s]);
    },
  });
  void casesByState;
  const jobsGauge = new Gauge({
    name: 'licensedesk_jobs',
    help: 'Jobs by queue and state',
    labelNames: ['queue', 'state'],
    registers: [metrics],
    async collect() {
      for (const q of Object.values(ctx.queues)) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
      }
    },
  });
  void jobsGauge;
  registerFailoverMetrics(metrics, ctx, watchdog);
  registerWebhookMetrics(metrics, ctx);

  app.get('/metrics', async (req, reply) => {
    const token = ctx.config.metricsToken;
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !given || !sameToken(given, token)) {
      return reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer realm="licensedesk metrics"')
        .type('text/plain')
        .send('a bearer token is needed');
    }
    return reply.type(metrics.contentType).send(await metrics.metrics());
  });
  app.get('/health', async (_req, reply) => {
    const body = await health(ctx, watchdog);
    return reply.code(body.ok ? 200 : 503).send(body);
  });
  app.get('/console.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('Cache-Control', 'max-age=300').send(consoleCss()),
  );

  await registerApi(app, ctx);
  registerLoginRoutes(app, ctx);
  registerCaseRoutes(app, ctx);
  registerPaperRoutes(app, ctx);
  registerQuarantineRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerMessageRoutes(app, ctx);
  registerWebhookRoutes(app, ctx);
  registerOpenRoutes(app, ctx);
  registerStatusRoutes(app, ctx);
  registerFeeRoutes(app, ctx);

  const address = await app.listen({ port, host });
  return { app, url: address };
}
