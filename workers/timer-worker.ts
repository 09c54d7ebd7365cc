/**
 * Fired timers. A timer re-reads the case and acts only when still due: a
 * case moved before its deadline makes the deadline job a no-op.
 */
import type { Job } from 'bullmq';
import type { DeskContext } from '../lib/desk-context.js';
import { FINAL_STATES } from '../workflows/case-states.js';
import { runEffects } from './effects.js';
import type { TimerJob } from './queues.js';

export function timerProcessor(ctx: DeskContext) {
  return async (job: Job<TimerJob>): Promise<string> => {
    const t = job.data;
    if (t.kind === 'deadline-warning' || t.kind === 'deadline') {
      const stored = await ctx.cases.get(t.caseNumber);
      if (!stored) return 'no such case';
      const doc = stored.doc;
      if (FINAL_STATES.includes(doc.state) || doc.state === 'follow-up' || doc.cycle !== t.cycle || !doc.deadlineAt) {
        return `not due (case is ${doc.state})`;
      }
      const missed = t.kind === 'deadline';
      const hoursLeft = Math.max(0, Math.round((Date.parse(doc.deadlineAt) - ctx.clock.now().getTime()) / 3600_000));
      await runEffects(ctx, doc, [{
        type: 'mail', kind: 'rep-deadline-warning', to: 'reps', step: `${missed ? 'missed' : 'warning'}-${t.cycle}`,
        data: { missed, hoursLeft },
      }]);
      await ctx.audit.append({ at: ctx.clock.now().toISOString(), actor: 'timers', action: missed ? 'deadline-missed' : 'deadline-warning', case: doc.number, reason: `ALT-8 deadline ${doc.deadlineAt}` });
      return missed ? 'reps told: deadline missed' : 'reps warned';
    }
    return `timer ${t.kind} not handled by this version`;
  };
}
