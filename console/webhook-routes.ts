/**
 * The operators' Webhooks page and the webhook metrics: each endpoint, what
 * it has been delivered, what it still waits for, and since when it fails.
 */
import type { FastifyInstance } from 'fastify';
import { Gauge, type Registry } from 'prom-client';
import { WebhookStore } from '../store/webhook-store.js';
import type { DeskContext } from '../workers/desk/context.js';
import { frameOf, html } from './case-routes.js';
import { renderWebhooksPage } from './pages.js';

async function endpointRows(ctx: DeskContext) {
  const store = new WebhookStore(ctx.redis, ctx.keys);
  return Promise.all(
    (await store.list()).map(async (e) => ({ id: e.id, url: e.url, events: e.events, ...(await store.stats(e.id)) })),
  );
}

export function registerWebhookRoutes(app: FastifyInstance, ctx: DeskContext): void {
  app.get('/webhooks', async (req, reply) => {
    if (req.account?.role !== 'operator') return reply.code(403).type('text/plain').send('webhooks are for operators');
    return html(reply, 200, renderWebhooksPage(frameOf(req, reply), await endpointRows(ctx)));
  });
}

export function registerWebhookMetrics(metrics: Registry, ctx: DeskContext): void {
  const labelNames = ['endpoint'];
  const rows = () => endpointRows(ctx);
  new Gauge({
    name: 'licensedesk_webhook_pending',
    help: 'Events an endpoint is still owed',
    labelNames,
    registers: [metrics],
    async collect() {
      for (const r of await rows()) this.set({ endpoint: r.id }, r.pending);
    },
  });
  new Gauge({
    name: 'licensedesk_webhook_delivered',
    help: 'Events delivered to an endpoint (2xx)',
    labelNames,
    registers: [metrics],
    async collect() {
      for (const r of await rows()) this.set({ endpoint: r.id }, r.delivered);
    },
  });
  new Gauge({
    name: 'licensedesk_webhook_failed_attempts',
    help: 'Delivery attempts to an endpoint that failed',
    labelNames,
    registers: [metrics],
    async collect() {
      for (const r of await rows()) this.set({ endpoint: r.id }, r.failed);
    },
  });
  new Gauge({
    name: 'licensedesk_webhook_failing_seconds',
    help: 'How long every attempt to an endpoint has failed (0: the last one went through)',
    labelNames,
    registers: [metrics],
    async collect() {
      const now = ctx.clock.now().getTime();
      for (const r of await rows())
        this.set({ endpoint: r.id }, r.failingSince ? Math.max(0, (now - Date.parse(r.failingSince)) / 1000) : 0);
    },
  });
}
