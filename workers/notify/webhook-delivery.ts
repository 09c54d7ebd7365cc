/**
 * One event POSTed to one endpoint, signed as Standard Webhooks v1 with the
 * reference implementation (`standardwebhooks`): `webhook-id` is the event's
 * id, so a receiver keeps each event once however often it arrives. A 2xx
 * within 10 s delivers it; anything else throws, and BullMQ tries again
 * (workers/notify/webhook-retry.ts). Redirects are not followed and no more
 * than 64 KiB of an answer is read, so a receiver cannot lead the desk
 * elsewhere or hold its memory.
 */
import type { Job } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { WebhookStore, type DeliveryAttempt } from '../../store/webhook-store.js';
import type { DeskContext } from '../desk/context.js';
import { enqueueMail } from '../desk/effects.js';
import type { WebhookJob } from '../desk/queues.js';
import { WEBHOOK_FAILING_ALERT_MS } from './webhook-retry.js';

export const WEBHOOK_TIMEOUT_MS = 10_000;
const ANSWER_BYTES = 64 * 1024;

/** Reads at most ANSWER_BYTES of the answer, then lets the connection go. */
async function drain(res: Response): Promise<void> {
  const reader = res.body?.getReader();
  if (!reader) return;
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      if (read > ANSWER_BYTES) break;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export async function deliverWebhook(ctx: DeskContext, job: Job<WebhookJob>): Promise<string> {
  const { endpointId, eventId } = job.data;
  const store = new WebhookStore(ctx.redis, ctx.keys);
  const endpoint = await store.get(endpointId);
  if (!endpoint) return 'endpoint removed';
  const event = await ctx.events.get(eventId);
  if (!event) {
    await store.forgive(endpointId, eventId);
    return 'event no longer kept';
  }
  const body = JSON.stringify(event);
  const sentAt = new Date();
  const signature = new Webhook(endpoint.secret.replace(/^whsec_/, '')).sign(eventId, sentAt, body);
  const started = Date.now();
  const attempt: DeliveryAttempt = {
    eventId,
    attempt: job.attemptsMade + 1,
    at: ctx.clock.now().toISOString(),
    ok: false,
    status: null,
    ms: 0,
  };
  try {
    const res = await fetch(endpoint.url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'licensedesk-webhooks',
        'webhook-id': eventId,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
    });
    await drain(res);
    attempt.status = res.status;
    attempt.ok = res.status >= 200 && res.status < 300;
    if (!attempt.ok) attempt.error = `HTTP ${res.status}`;
  } catch (e) {
    attempt.error = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 300);
  }
  attempt.ms = Date.now() - started;
  const failingSince = await store.record(endpointId, attempt);
  if (attempt.ok) return `delivered (${attempt.status})`;
  const failingMs = ctx.clock.now().getTime() - Date.parse(failingSince ?? attempt.at);
  if (failingMs >= WEBHOOK_FAILING_ALERT_MS) {
    // One alert per spell of failure: the mail id names when it began.
    await enqueueMail(ctx, {
      mailId: `alert.${endpointId}.${Date.parse(failingSince ?? attempt.at)}.rep-webhook-failing`,
      kind: 'rep-webhook-failing',
      to: ctx.config.repsAddresses,
      data: {
        endpointId,
        url: endpoint.url,
        since: failingSince,
        minutes: Math.floor(failingMs / 60_000),
        error: attempt.error ?? '',
        pending: (await store.stats(endpointId)).pending,
      },
    });
  }
  throw new Error(`webhook ${endpointId} event ${eventId}: ${attempt.error ?? 'failed'}`);
}
