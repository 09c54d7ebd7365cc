/** Jobs that wait (delayed or waiting), across the desk's queues. */
import type { DeskContext } from '../workers/desk/context.js';
import { errors } from '../lib/errors.js';

export interface JobRow {
  id: string;
  queue: string;
  name: string;
  state: string;
  dueAt: string;
  data: unknown;
}

export async function listJobs(ctx: DeskContext): Promise<JobRow[]> {
  const rows: JobRow[] = [];
  for (const q of Object.values(ctx.queues)) {
    for (const state of ['delayed', 'waiting', 'prioritized'] as const) {
      const jobs = await q.getJobs([state], 0, 1000, true);
      for (const j of jobs) {
        if (!j?.id) continue;
        const due = j.timestamp + (j.opts.delay ?? 0);
        rows.push({ id: j.id, queue: q.name, name: j.name, state, dueAt: new Date(due).toISOString(), data: j.data });
      }
    }
  }
  return rows.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/**
 * Runs a delayed job now: the operator's override (the queue dashboard is read
 * only). Recorded in the audit trail as `job-promoted`.
 */
export async function promoteJob(ctx: DeskContext, id: string): Promise<string> {
  for (const q of Object.values(ctx.queues)) {
    const job = await q.getJob(id);
    if (!job) continue;
    if (!(await job.isDelayed())) {
      throw errors.E_JOB_NOT_FOUND(`job ${id} in ${q.name} is ${await job.getState()}, not delayed`);
    }
    await job.promote();
    await ctx.audit.append({
      at: ctx.clock.now().toISOString(),
      actor: 'cli',
      action: 'job-promoted',
      reason: `${q.name} job ${id} (${job.name}) promoted to run now`,
    });
    return q.name;
  }
  throw errors.E_JOB_NOT_FOUND(`no job ${id} in any queue of this desk (see \`licensedesk jobs list\`)`);
}
