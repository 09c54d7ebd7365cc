/**
 * How the desk keeps trying to send a mail: an SMTP server that is down is
 * waited out (exponential backoff, capped, for a week), never a reason to drop
 * a partner's answer; a server that refuses the mail for good (5xx) is not
 * asked again. Reps hear once about a mail that has kept failing for an hour.
 */
import type { DeskConfig } from '../../config/config.js';

/** The notify worker's custom BullMQ backoff (registered in its worker settings). */
export const MAIL_BACKOFF_TYPE = 'mail-capped';

/** Reps are told about a mail that has failed for this long (by the desk's clock). */
export const MAIL_FAILING_ALERT_MS = 3600_000;

/** Mail is retried for a week: after that the job fails and stays visible in the queue dashboard. */
const RETRY_FOR_MS = 7 * 86400_000;

/** Wait before attempt `attemptsMade + 1`: base·2^(n-1), at most the configured maximum. */
export function mailRetryDelay(
  config: Pick<DeskConfig, 'mailRetryBaseMs' | 'mailRetryMaxMs'>,
  attemptsMade: number,
): number {
  const n = Math.max(1, attemptsMade);
  // 2^n overflows nothing below 2^1023, but the cap is reached long before; keep the exponent small anyway.
  return Math.min(config.mailRetryMaxMs, config.mailRetryBaseMs * 2 ** Math.min(n - 1, 40));
}

/** Attempts by `${base}/${max}`: counting them walks about 2,000 retries at the default pace, once per setting, not per mail. */
const attemptsFor = new Map<string, number>();

/** BullMQ job options for a mail: enough attempts to span RETRY_FOR_MS at the capped pace. */
export function mailJobRetry(config: Pick<DeskConfig, 'mailRetryBaseMs' | 'mailRetryMaxMs'>): {
  attempts: number;
  backoff: { type: string; delay: number };
} {
  const key = `${config.mailRetryBaseMs}/${config.mailRetryMaxMs}`;
  let attempts = attemptsFor.get(key);
  if (attempts === undefined) {
    attempts = 1;
    for (let waited = 0; waited < RETRY_FOR_MS; attempts++) waited += mailRetryDelay(config, attempts);
    attemptsFor.set(key, attempts);
  }
  return { attempts, backoff: { type: MAIL_BACKOFF_TYPE, delay: config.mailRetryBaseMs } };
}

/**
 * A refusal that asking again will not change: the server answered 5xx for
 * the envelope or the message. Connection errors, timeouts and 4xx are
 * temporary.
 */
export function isPermanentSmtpError(err: unknown): boolean {
  const e = err as { responseCode?: unknown; code?: unknown };
  return typeof e?.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
}
