/**
 * Queues a message's intake: the ingester's first job (`intake.<id>`), a
 * rep's release and the sweep's resume all go through here, so every intake
 * job has the same attempts, backoff and retention.
 */
import type { DeskContext } from '../desk/context.js';
import { jobRetention } from '../retention/index.js';
import { QUEUES, type IntakeJob } from '../desk/queues.js';

export async function queueIntake(ctx: DeskContext, messageId: string, jobId: string): Promise<void> {
  const job: IntakeJob = { messageId };
  await ctx.queues[QUEUES.intake].add('intake', job, {
    jobId,
    attempts: 5,
    backoff: { type: 'exponential', delay: 2000 },
    // A finished intake is kept a week (it tells the ingester's re-add it is done); a failed one as long as the mail.
    removeOnComplete: { age: 7 * 86400 },
    removeOnFail: jobRetention(ctx).removeOnFail,
  });
}
