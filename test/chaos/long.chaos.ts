/**
 * `npm run chaos`: the long form of the chaos scenario, at least
 * 2,000 partner mails (CHAOS_CASES sets the size, CHAOS_SEED the random
 * faults). Not part of `npm test`: its own vitest config picks up *.chaos.ts.
 */
import { expect, it } from 'vitest';
import { formatFigures, runChaos } from '../support/chaos-scenario.js';

const CASES = Number(process.env.CHAOS_CASES ?? 2000);

it(
  `chaos, long form: ${CASES} mails under repeated SIGKILLs, Redis and Dovecot restarts and SMTP outages`,
  async () => {
    const f = await runChaos({
      cases: CASES,
      budgetMs: Math.max(600_000, CASES * 500),
      seed: Number(process.env.CHAOS_SEED ?? 2026),
      log: (l) => console.log(l),
    });
    console.log(formatFigures(f));
    expect(f.completed, formatFigures(f)).toBe(true);
    expect(f.decided.never).toEqual([]);
    expect(f.decided.twice).toEqual([]);
    expect(f.decided.wrongState).toEqual([]);
    expect(f.licenses.skuAfter).toEqual(f.licenses.skuBefore);
    expect(f.licenses.keysOnTwoSystems).toEqual([]);
    expect(f.licenses.misplaced).toEqual([]);
    expect(f.mails.duplicates).toEqual([]);
    expect(f.mails.missing).toEqual([]);
    expect(f.mails.unexpected).toEqual([]);
    // A resend (same Message-ID) needs a desk killed in the middle of a send: at most one per send in hand per kill.
    expect(f.mails.resent.length).toBeLessThanOrEqual(
      4 * ((f.faults['kill-desk'] ?? 0) + (f.faults['kill-ingester'] ?? 0)),
    );
    expect([f.jobs.active, f.jobs.waiting, f.jobs.failed]).toEqual([0, 0, 0]);
    expect(f.jobs.timerMailsMissing).toEqual([]);
  },
  3 * 3600_000,
);
