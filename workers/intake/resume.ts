/**
 * The sweep's look at messages still awaiting intake (the decision is
 * workflows/intake-resume-steps.ts): a stored message whose intake job is
 * gone or failed is queued again under a new deterministic id
 * (`intake.<id>.resumed.<ms>`), and one that keeps failing goes to the
 * quarantine with E_INTAKE_UNFINISHED, where reps see it. A message counts as
 * overdue two sweeps after it was stored, released or resumed, which is
 * longer than the ingester takes to queue its first job.
 */
import type { DeskContext } from '../desk/context.js';
import { CODES, errorText } from '../../lib/errors.js';
import { pendingIntakeAction, type JobState } from '../../workflows/intake-resume-steps.js';
import { queueIntake } from './queue-intake.js';
import { finishMessage } from './message-finish.js';
import { noteQuarantine } from '../notify/index.js';
import { jobIds, QUEUES } from '../desk/queues.js';

/** Messages looked at per sweep: a backlog is worked through over several sweeps. */
const BATCH = 200;

export async function resumeLostIntakes(ctx: DeskContext): Promise<string> {
  const now = ctx.clock.now();
  const overdue = new Date(now.getTime() - 2 * ctx.config.sweepSeconds * 1000);
  const ids = await ctx.messages.pendingSince(overdue, BATCH);
  const queue = ctx.queues[QUEUES.intake];
  let resumed = 0;
  let quarantined = 0;
  for (const id of ids) {
    const [state, noted] = await Promise.all([ctx.messages.state(id), ctx.messages.intakeJob(id)]);
    const jobIdsOf = [jobIds.intake(id), ...(noted.jobId ? [noted.jobId] : [])];
    const jobs: JobState[] = await Promise.all(jobIdsOf.map((j) => queue.getJobState(j)));
    const action = pendingIntakeAction({ state, jobs, resumes: noted.resumes });
    switch (action.type) {
      case 'forget':
        await ctx.messages.forgetPending(id);
        break;
      case 'wait':
        break;
      case 'resume': {
        const jobId = `${jobIds.intake(id)}.resumed.${now.getTime()}`;
        await ctx.messages.noteIntakeJob(id, jobId, now, true);
        await queueIntake(ctx, id, jobId);
        ctx.log.warn(
          { id, jobs: jobIdsOf.map((j, i) => `${j}: ${jobs[i]}`) },
          'a stored message had no intake job left; queued it again',
        );
        await ctx.audit.append({
          at: now.toISOString(),
          actor: 'sweep',
          action: 'message-intake-resumed',
          detail: { id, jobs: jobIdsOf, states: jobs },
        });
        resumed++;
        break;
      }
      case 'quarantine': {
        const reason = `${CODES.E_INTAKE_UNFINISHED}: ${errorText(CODES.E_INTAKE_UNFINISHED, action.tries)}`;
        await finishMessage(ctx, id, 'quarantined', reason, { actor: 'sweep' });
        const meta = await ctx.messages.meta(id);
        await noteQuarantine(ctx, {
          from: meta?.from ?? '',
          originalSubject: meta?.subject ?? '',
          reason: 'intake unfinished',
          detail: reason,
          messageId: meta?.messageId ?? '',
          id,
          at: now.toISOString(),
        });
        ctx.log.error({ id, tries: action.tries }, 'intake kept failing for a stored message; quarantined for a rep');
        quarantined++;
        break;
      }
    }
  }
  return `${resumed} intake(s) resumed, ${quarantined} quarantined`;
}
