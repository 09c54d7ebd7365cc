/**
 * at least 150 partner mails of every kind through
 * Dovecot, two desk processes and SMTP while desk processes and their parse
 * children are SIGKILLed, Redis (AOF) and Dovecot restart and SMTP is down
 * longer than the retry backoff. Every mail decided once, every license on
 * one system, every mail sent once, nothing stuck, every timer fired
 * (test/support/chaos-scenario.ts; `npm run chaos` runs the long form).
 */
import { expect, it } from 'vitest';
import { formatFigures, runChaos } from '../support/chaos-scenario.js';

it('DSK-4 DSK-8 ALT-8 SWP-6 under SIGKILLs, Redis and Dovecot restarts and an SMTP outage: every mail decided and answered exactly once, every license on one system, nothing stuck, every timer fired', async () => {
  const f = await runChaos({
    cases: Number(process.env.CHAOS_CASES ?? 150),
    budgetMs: 200_000,
    seed: Number(process.env.CHAOS_SEED ?? 12),
    log: (l) => console.log(l),
  });
  console.log(formatFigures(f));
  expect(f.completed, formatFigures(f)).toBe(true);
  expect(f.mailsAppended).toBeGreaterThanOrEqual(150);
  for (const k of [
    'kill-ingester',
    'kill-desk',
    'kill-parse-children',
    'restart-redis',
    'restart-dovecot',
    'smtp-outage',
  ])
    expect(f.faults[k], k).toBeGreaterThanOrEqual(1);
  expect(f.takeoverMs.length).toBeGreaterThanOrEqual(1);
  // The lease runs out after 15 s and a standby looks every 5 s.
  for (const ms of f.takeoverMs) expect(ms).toBeLessThan(30_000);
  expect(f.decided.never).toEqual([]);
  expect(f.decided.twice).toEqual([]);
  expect(f.decided.wrongState).toEqual([]);
  expect(f.licenses.skuAfter).toEqual(f.licenses.skuBefore);
  expect(f.licenses.keysOnTwoSystems).toEqual([]);
  expect(f.licenses.keysMissing).toEqual([]);
  expect(f.licenses.misplaced).toEqual([]);
  expect(f.licenses.movedTwice).toEqual([]);
  expect(f.mails.duplicates).toEqual([]);
  expect(f.mails.missing).toEqual([]);
  expect(f.mails.unexpected).toEqual([]);
  // A resend (same Message-ID) needs a desk killed in the middle of a send: at most one per send in hand per kill.
  expect(f.mails.resent.length).toBeLessThanOrEqual(
    4 * ((f.faults['kill-desk'] ?? 0) + (f.faults['kill-ingester'] ?? 0)),
  );
  expect(f.jobs.active).toBe(0);
  expect(f.jobs.waiting).toBe(0);
  expect(f.jobs.failed).toBe(0);
  expect(f.jobs.timersDue).toBe(f.jobs.timersPromoted);
  expect(f.jobs.timerMailsMissing).toEqual([]);
  // DSK-12: every committed change has exactly one event, and every event reached the receiver.
  expect(f.events.stateChangesUnmatched).toEqual([]);
  expect(f.events.movesInEvents).toBe(f.events.movesInAudit);
  expect(f.events.undelivered).toEqual([]);
  expect(f.events.forged).toEqual([]);
}, 420_000);
