/** `licensedesk webhook …`: endpoints that hear the desk's events, and what became of their deliveries. */
import type { Command } from 'commander';
import { EVENT_TYPES } from '../domain/events.js';
import { errors } from '../lib/errors.js';
import { WebhookStore } from '../store/webhook-store.js';
import { printJson, printText } from './output.js';
import { withDesk, type GlobalOptions } from './session.js';

function checkedUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw errors.E_WEBHOOK_URL(`${text} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw errors.E_WEBHOOK_URL(`${text}: only http:// and https:// URLs`);
  if (u.username || u.password)
    throw errors.E_WEBHOOK_URL(`${text}: no credentials in the URL (the signature authenticates the desk)`);
  return u.toString();
}

function eventTypes(text: string | undefined): string[] | null {
  if (text === undefined) return null;
  const types = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const bad = types.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (types.length === 0 || bad.length > 0) throw errors.E_USAGE(`event types are ${EVENT_TYPES.join(', ')}`);
  return types;
}

export function registerWebhookCommands(program: Command, globals: () => GlobalOptions): void {
  const webhook = program.command('webhook').description("endpoints that hear the desk's events (Standard Webhooks)");
  webhook
    .command('add <url>')
    .description('add an endpoint; it gets every event from now on (or only --events); prints its secret once')
    .option('--events <types>', `comma separated: ${EVENT_TYPES.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (url: string, o: { events?: string; json?: boolean }) => {
      const target = checkedUrl(url);
      const types = eventTypes(o.events);
      const e = await withDesk(globals(), async (ctx) => {
        const made = await new WebhookStore(ctx.redis, ctx.keys).add(
          target,
          types,
          await ctx.events.lastId(),
          ctx.clock.now(),
        );
        await ctx.audit.append({
          at: ctx.clock.now().toISOString(),
          actor: 'cli',
          action: 'webhook-added',
          reason: `${made.id} ${target}`,
        });
        return made;
      });
      if (o.json) printJson({ id: e.id, url: e.url, secret: e.secret, events: e.events });
      else printText(`${e.id} ${e.url}\nsecret ${e.secret} (not shown again)`);
    });
  webhook
    .command('list')
    .description('each endpoint: its events, last delivery, events pending')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const rows = await withDesk(globals(), async (ctx) => {
        const store = new WebhookStore(ctx.redis, ctx.keys);
        return Promise.all(
          (await store.list()).map(async (e) => ({
            id: e.id,
            url: e.url,
            events: e.events,
            created: e.created,
            ...(await store.stats(e.id)),
          })),
        );
      });
      if (o.json) printJson(rows);
      else
        printText(
          rows
            .map(
              (r) =>
                `${r.id} ${r.url} events ${r.events?.join(',') ?? 'all'}; delivered ${r.delivered}, failed attempts ${r.failed}, pending ${r.pending}; last ${r.lastDeliveryAt ?? '-'} ${r.lastStatus ?? ''}${r.failingSince ? `; failing since ${r.failingSince}` : ''}`,
            )
            .join('\n'),
        );
    });
  webhook
    .command('deliveries <id>')
    .description("an endpoint's latest delivery attempts, newest first")
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const attempts = await withDesk(globals(), async (ctx) => {
        const store = new WebhookStore(ctx.redis, ctx.keys);
        if (!(await store.get(id))) throw errors.E_WEBHOOK_NOT_FOUND(id);
        return store.attempts(id);
      });
      if (o.json) printJson(attempts);
      else
        printText(
          attempts
            .map(
              (a) =>
                `${a.at} ${a.eventId} #${a.attempt} ${a.ok ? 'ok' : 'failed'} ${a.status ?? '-'} ${a.ms} ms${a.error ? ` ${a.error}` : ''}`,
            )
            .join('\n'),
        );
    });
  webhook
    .command('remove <id>')
    .description('remove an endpoint; its pending deliveries are dropped')
    .action(async (id: string) => {
      await withDesk(globals(), async (ctx) => {
        if (!(await new WebhookStore(ctx.redis, ctx.keys).remove(id))) throw errors.E_WEBHOOK_NOT_FOUND(id);
        await ctx.audit.append({
          at: ctx.clock.now().toISOString(),
          actor: 'cli',
          action: 'webhook-removed',
          reason: id,
        });
      });
      printText(`webhook ${id} removed`);
    });
}
