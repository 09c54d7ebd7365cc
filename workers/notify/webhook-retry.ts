/**
 * How long the desk keeps trying a webhook delivery: a receiver that is down,
 * slow or answering errors is tried again with backoff for three days, under
 * the same `webhook-id`, across restarts (the attempts are BullMQ's).
 */
export const WEBHOOK_BACKOFF_TYPE = 'webhook';

/** Deliveries are tried for this long; then the job fails and stays visible. */
export const WEBHOOK_RETRY_FOR_MS = 3 * 86_400_000;

/** Reps are told about an endpoint every attempt has failed for this long. */
export const WEBHOOK_FAILING_ALERT_MS = 3600_000;

/** Waits, in units of the base delay: 10 s, 30 s, 1 min, 2, 5, 10, 30 min, 1 h, 2 h, 4 h, then every 6 h (base 10 s). */
const STEPS = [1, 3, 6, 12, 30, 60, 180, 360, 720, 1440, 2160];

/** Wait before attempt `attemptsMade + 1`. */
export function webhookRetryDelay(baseMs: number, attemptsMade: number): number {
  return baseMs * STEPS[Math.min(Math.max(1, attemptsMade), STEPS.length) - 1]!;
}

/** BullMQ options for a delivery job: enough attempts to span three days at this pace. */
export function webhookJobRetry(baseMs: number): { attempts: number; backoff: { type: string; delay: number } } {
  let attempts = 1;
  for (let waited = 0; waited < WEBHOOK_RETRY_FOR_MS * (baseMs / 10_000); attempts++)
    waited += webhookRetryDelay(baseMs, attempts);
  return { attempts, backoff: { type: WEBHOOK_BACKOFF_TYPE, delay: baseMs } };
}
