/**
 * A rep's decisions on a quarantined message (console; the CLI's `quarantine
 * release` does the same release): release it to be processed again, its
 * sender accepted, or discard it (its body is dropped; the record of what
 * came and why it was discarded stays). Each goes to the audit trail with
 * the rep's reason.
 */
import type { DeskContext } from '../desk/context.js';
import { errors } from '../../lib/errors.js';
import { jobIds } from '../desk/queues.js';
import { queueIntake } from '../intake/index.js';
import { runLua } from '../../store/lua-scripts.js';

const notQuarantined = (id: string) => errors.E_MESSAGE_NOT_QUARANTINED(id);

export async function releaseQuarantined(ctx: DeskContext, id: string, by: string, reason: string): Promise<void> {
  if (!(await ctx.messages.release(id, by))) throw notQuarantined(id);
  const actor = `rep:${by}`;
  const now = ctx.clock.now();
  await ctx.audit.append({
    at: now.toISOString(),
    actor,
    action: 'message-released',
    reason: `message ${id} released from quarantine: ${reason}`,
  });
  const jobId = `${jobIds.intake(id)}.released.${now.getTime()}`;
  // Awaited again from now: the sweep looks for this job if the message stays unprocessed (workers/intake/resume.ts).
  await ctx.messages.noteIntakeJob(id, jobId, now, false);
  await queueIntake(ctx, id, jobId);
}

export async function discardQuarantined(ctx: DeskContext, id: string, by: string, reason: string): Promise<void> {
  const actor = `rep:${by}`;
  const now = ctx.clock.now();
  // Checked and discarded in one step (discardQuarantined-2.lua): a release and a discard racing cannot both win.
  const done = Number(
    await runLua(
      ctx.redis,
      'discardQuarantined',
      [ctx.keys.message(id), ctx.keys.quarantine()],
      [`discarded by ${actor}: ${reason}`, now.toISOString(), id],
    ),
  );
  if (done !== 1) throw notQuarantined(id);
  await ctx.audit.append({
    at: now.toISOString(),
    actor,
    action: 'message-discarded',
    reason: `message ${id} discarded from quarantine: ${reason}`,
  });
}
