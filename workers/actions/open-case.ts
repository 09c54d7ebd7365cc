/**
 * Opening a case without a registry import (DSK-12), for `case open`, the
 * API's POST /api/v1/cases and the partner's page: read the system, decide
 * through workflows/open-case.ts, commit the registry case with its audit
 * entry and its `case.opened` event in one step.
 */
import { newCaseDoc, type CaseDoc } from '../../domain/case-doc.js';
import type { RegistryCase } from '../../domain/registry-model.js';
import { DeskError, errors } from '../../lib/errors.js';
import { openCaseStep, type OpenCaseInput } from '../../workflows/open-case.js';
import type { DeskContext } from '../desk/context.js';
import { schedulePartnerTimers } from '../desk/effects.js';

/** A case as `case show --json` and the API give it: its document, or `new` until its first mail. */
export type CaseView = Omit<CaseDoc, 'state'> & { state: CaseDoc['state'] | 'new'; openedAt?: string };

function openedView(rc: RegistryCase): CaseView {
  const doc = newCaseDoc({ ...rc, at: new Date(rc.openedAt) });
  return { ...doc, state: 'new', openedAt: rc.openedAt, receivedAt: '' };
}

/** The case with this number, its mail or not; E_CASE_NOT_FOUND when there is none. */
export async function caseView(ctx: DeskContext, number: string): Promise<CaseView> {
  const stored = await ctx.cases.get(number);
  if (stored) return stored.doc;
  const rc = await ctx.registry.getCase(number);
  if (!rc) throw errors.E_CASE_NOT_FOUND(number);
  return openedView(rc);
}

export async function openCase(
  ctx: DeskContext,
  input: OpenCaseInput & { number?: string },
  by: string,
): Promise<CaseView> {
  if (input.number !== undefined && !/^\d{6,10}$/.test(input.number))
    throw errors.E_USAGE(`case number ${input.number}: 6 to 10 digits`);
  const found = await ctx.registry.systemForCase(input.systemKey);
  const now = ctx.clock.now();
  // Decided before a number is taken from the counter, so a refused opening uses none.
  const step = openCaseStep(input, found, input.number ?? '', now);
  if (!step.ok) throw new DeskError(step.code, step.args as never);
  const rc = { ...step.case, number: input.number ?? (await ctx.registry.nextCaseNumber()) };
  const at = now.toISOString();
  const added = await ctx.registry.addCase(rc, (m) => {
    ctx.audit.queue(m, {
      at,
      actor: by,
      action: 'case-opened',
      case: rc.number,
      to: 'new',
      reason: `opened on ${rc.systemKey} for ${rc.partnerId} (${rc.program})`,
    });
    ctx.events.queue(m, [
      {
        type: 'case.opened',
        at,
        case: rc.number,
        data: {
          partnerId: rc.partnerId,
          systemKey: rc.systemKey,
          program: rc.program,
          softwareOnlyUpgrade: rc.softwareOnlyUpgrade === true,
          by,
        },
      },
    ]);
  });
  if (!added) throw errors.E_CASE_EXISTS(rc.number);
  // DSK-10: a case opened and never used is closed like one left unanswered.
  await schedulePartnerTimers(ctx, rc.number, 0, false, rc.openedAt);
  return openedView(rc);
}
