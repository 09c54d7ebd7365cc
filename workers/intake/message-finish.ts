/**
 * Ends a stored message: its state and outcome, its retention, and the audit
 * entry. Intake ends every message it takes this way; the sweep ends one
 * whose intake never finishes (workers/intake/resume.ts) the same way.
 */
import type { DeskContext } from '../desk/context.js';
import { messageFinished } from '../retention/index.js';

export async function finishMessage(
  ctx: DeskContext,
  id: string,
  state: 'processed' | 'quarantined',
  outcome: string,
  opts: { actor: string; onCase?: boolean; raw?: Buffer },
): Promise<string> {
  await ctx.messages.finish(id, state, outcome, ctx.clock.now());
  // Retention (workers/retention/mail-retention.ts); `raw`, the mail as intake opened it, spares it a second read.
  await messageFinished(ctx, id, opts.onCase ?? false, state, opts.raw);
  await ctx.audit.append({
    at: ctx.clock.now().toISOString(),
    actor: opts.actor,
    action: `message-${state}`,
    reason: outcome,
    detail: { id },
  });
  return outcome;
}
