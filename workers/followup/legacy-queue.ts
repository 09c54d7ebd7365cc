/**
 * The followup stage's queue was once named `timers`. A desk upgraded in place
 * may still hold delayed jobs there (deadlines, SWP-6 key follow-ups,
 * quarantine digests, card strips) that no worker reads any more. At start the
 * followup role moves each one to the `followup` queue under the same job id,
 * with the time it has left, then removes it from the old queue. Adding under
 * an existing id is a no-op, so two processes starting together move each job
 * once, and the minutely sweep would re-create any case timer in any event.
 */
import { Queue } from 'bullmq';
import type { DeskContext } from '../desk/context.js';
import { QUEUES } from '../desk/queues.js';

export const LEGACY_QUEUE = 'timers';

export async function moveLegacyTimers(ctx: DeskContext): Promise<number> {
  const legacy = new Queue(LEGACY_QUEUE, { connection: ctx.redis, prefix: ctx.keys.tag });
  try {
    const jobs = await legacy.getJobs(['delayed', 'waiting', 'prioritized']);
    // BullMQ counts a delay on the machine's clock, not the desk's: what a job has left is measured on that clock.
    const now = Date.now();
    let moved = 0;
    for (const job of jobs) {
      if (!job?.id || job.repeatJobKey) continue;
      const { repeatJobKey: _repeat, ...opts } = job.opts as typeof job.opts & { repeatJobKey?: string };
      const dueAt = job.timestamp + (job.delay ?? 0);
      await ctx.queues[QUEUES.followup].add(job.name, job.data, {
        ...opts,
        jobId: job.id,
        delay: Math.max(0, dueAt - now),
      });
      await job.remove();
      moved++;
    }
    // The old queue's repeatable sweep would never run again; its scheduler is dropped with it.
    for (const s of await legacy.getJobSchedulers()) if (s.key) await legacy.removeJobScheduler(s.key);
    return moved;
  } finally {
    await legacy.close();
  }
}
