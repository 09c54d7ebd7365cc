import { describe, expect, it } from 'vitest';
import { isPermanentSmtpError, mailJobRetry, mailRetryDelay } from '../../workers/desk/mail-retry.js';

const config = { mailRetryBaseMs: 2000, mailRetryMaxMs: 300_000 };

describe('mail retry', () => {
  it('doubles the wait from the base and never waits longer than the maximum', () => {
    expect([1, 2, 3, 4].map((n) => mailRetryDelay(config, n))).toEqual([2000, 4000, 8000, 16_000]);
    expect(mailRetryDelay(config, 9)).toBe(300_000);
    expect(mailRetryDelay(config, 5000)).toBe(300_000);
  });

  it('keeps a mail for a week of attempts at the capped pace, with the custom backoff', () => {
    const r = mailJobRetry(config);
    let waited = 0;
    for (let n = 1; n < r.attempts; n++) waited += mailRetryDelay(config, n);
    expect(waited).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(waited - mailRetryDelay(config, r.attempts - 1)).toBeLessThan(7 * 86_400_000);
    expect(r.backoff).toEqual({ type: 'mail-capped', delay: 2000 });
  });

  it('treats only a 5xx answer as a refusal for good; connection errors and 4xx are retried', () => {
    expect(isPermanentSmtpError(Object.assign(new Error('550 no such user'), { responseCode: 550 }))).toBe(true);
    expect(isPermanentSmtpError(Object.assign(new Error('451 try later'), { responseCode: 451 }))).toBe(false);
    expect(isPermanentSmtpError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))).toBe(false);
    expect(isPermanentSmtpError(undefined)).toBe(false);
  });
});
