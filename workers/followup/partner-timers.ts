/**
 * DSK-10's timers, fired (or promoted by an operator): the reminder re-reads
 * the case and mails the forms still needed; the closing commits `closed`
 * through the one case step, whose effects drop the case's timers and start
 * its retention (card forms stripped at once). workflows/partner-timers.ts decides.
 */
import { abandonStep, partnerTimersDue, reminderStep } from '../../workflows/partner-timers.js';
import { runCaseStep } from '../desk/case-step.js';
import type { DeskContext } from '../desk/context.js';
import { runEffects } from '../desk/effects.js';

export async function partnerReminder(ctx: DeskContext, caseNumber: string, round: number): Promise<string> {
  const stored = await ctx.cases.get(caseNumber);
  const closesAt = stored ? partnerTimersDue(stored.doc.updatedAt, ctx.config).abandonAt.toISOString() : '';
  const step = reminderStep(stored?.doc, round, closesAt);
  if ('skip' in step) return step.skip;
  await runEffects(ctx, stored!.doc, step.effects);
  await ctx.audit.append({
    at: ctx.clock.now().toISOString(),
    actor: 'timers',
    action: step.action,
    case: caseNumber,
    reason: step.reason,
  });
  return 'partner reminded';
}

/** Who opened a case on the partner's page (its audit entry's actor `partner:ADDRESS`), for a case that has no mail. */
async function openerOf(ctx: DeskContext, caseNumber: string): Promise<string | undefined> {
  for await (const e of ctx.audit.read(caseNumber)) {
    if (e.action === 'case-opened' && e.actor.startsWith('partner:')) return e.actor.slice('partner:'.length);
  }
  return undefined;
}

export function partnerAbandon(ctx: DeskContext, caseNumber: string, round: number): Promise<string> {
  return runCaseStep(ctx, caseNumber, async (stored, now) => {
    const opened = stored ? undefined : await ctx.registry.getCase(caseNumber);
    const opener = opened ? await openerOf(ctx, caseNumber) : undefined;
    const step = abandonStep(stored?.doc, opened, round, opener, ctx.config.abandonDays, now);
    if ('skip' in step) return { skip: step.skip };
    return {
      step,
      actor: 'timers',
      ...(stored ? { expectedStates: ['waiting-partner'] as const } : {}),
      result: 'closed: no answer (DSK-10)',
    };
  });
}
