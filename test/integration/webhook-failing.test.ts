/**
 * Reps hear of a webhook endpoint that has failed for an hour, once for the
 * spell, by the desk's own clock: a receiver that answers 500 to everything,
 * the desk's clock moved on past the hour between two attempts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../../embedded/net.js';
import { WebhookStore } from '../../store/webhook-store.js';
import { openCase } from '../../workers/actions/open-case.js';
import { DeskRunner } from '../../workers/desk/runner.js';
import { mailKind } from '../support/desk-process.js';
import { startInProcessDesk, type InProcessDesk } from '../support/in-process-desk.js';
import { webhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

let desk: InProcessDesk;
let hooks: WebhookReceiver;
let offsetMs = 0;
let attempts = 0;

beforeAll(async () => {
  desk = await startInProcessDesk(
    'hookfail',
    { LICENSEDESK_WEBHOOK_RETRY_BASE_MS: '100' },
    { now: () => new Date(Date.now() + offsetMs) },
  );
  hooks = await webhookReceiver(() => {
    attempts++;
    return 500;
  });
  await hooks.start();
});

afterAll(async () => {
  await desk?.stop();
  await hooks?.stop();
});

it('DSK-7 reps are mailed rep-webhook-failing once an endpoint has failed every attempt for an hour, once for the spell', async () => {
  const { ctx } = desk;
  const store = new WebhookStore(ctx.redis, ctx.keys);
  const endpoint = await store.add(hooks.url, null, await ctx.events.lastId(), ctx.clock.now());
  hooks.secret = endpoint.secret;
  const runner = new DeskRunner(ctx, ['notify']);
  desk.runners.push(runner);
  runner.start();
  await openCase(ctx, { systemKey: 'SYS-0002' }, 'crm@vendor.test');

  await waitFor(() => attempts >= 2, 20_000, 'two failed attempts');
  const repMails = () => desk.smtp.messages().filter((m) => mailKind(m) === 'rep-webhook-failing');
  expect(repMails()).toEqual([]);
  expect((await store.stats(endpoint.id)).failingSince).not.toBeNull();

  offsetMs = 61 * 60_000; // an hour and a minute later, by the desk's clock
  await waitFor(() => repMails().length > 0, 30_000, 'the reps told');
  const seen = attempts;
  await waitFor(() => attempts >= seen + 2, 30_000, 'two more failed attempts');
  expect(repMails()).toHaveLength(1);
  const alert = repMails()[0]!;
  expect(alert.parsed.text).toContain(endpoint.id);
  expect(alert.parsed.text).toContain(hooks.url);
  expect(hooks.received).toEqual([]);
});
