/**
 * A rep's decisions on a held case (CLI and console share these), and the
 * console's other steps on a case: take / release, an internal note, a
 * message to the partner. An action from a console page names the case's
 * version the page was drawn from: a case changed since is refused
 * (E_CASE_CHANGED), never acted on blind.
 */
import type { DeskContext } from '../desk/context.js';
import { errors } from '../../lib/errors.js';
import type { CaseDoc } from '../../domain/case-doc.js';
import type { CaseState } from '../../domain/case-states.js';
import { afterRepApproval, afterRepRejection, type Step } from '../../workflows/case-workflow.js';
import { repMessages, repNotes, repReleases, repTakes, type RepMessage } from '../../workflows/rep-steps.js';
import { runCaseStep } from '../desk/case-step.js';

/** What the acting page knew: the case's version when it was drawn. */
export interface AsDrawn {
  version?: number;
}

async function stepAsRep(
  ctx: DeskContext,
  n: string,
  rep: string,
  drawn: AsDrawn,
  states: readonly CaseState[] | undefined,
  make: (doc: CaseDoc, now: Date) => Step,
): Promise<CaseDoc> {
  let decided: CaseDoc | undefined;
  await runCaseStep(ctx, n, (stored, now) => {
    if (!stored) throw errors.E_CASE_NOT_FOUND(n);
    if (drawn.version !== undefined && stored.version !== drawn.version)
      throw errors.E_CASE_CHANGED(n, String(drawn.version), String(stored.version));
    if (states && !states.includes(stored.doc.state)) throw errors.E_CASE_STATE(n, stored.doc.state);
    const step = make(stored.doc, now);
    decided = step.doc;
    return { step, actor: `rep:${rep}`, expectedStates: states ?? [stored.doc.state] };
  });
  return decided!;
}

export function approveCase(ctx: DeskContext, n: string, by: string, note?: string, drawn: AsDrawn = {}) {
  return stepAsRep(ctx, n, by, drawn, ['held'], (doc, now) =>
    afterRepApproval(ctx.programs.get(doc.program), doc, by, note, now),
  );
}

export function rejectCase(ctx: DeskContext, n: string, by: string, reason: string, drawn: AsDrawn = {}) {
  return stepAsRep(ctx, n, by, drawn, ['held'], (doc, now) => afterRepRejection(doc, by, reason, now));
}

export function takeCase(ctx: DeskContext, n: string, rep: string, drawn: AsDrawn = {}) {
  return stepAsRep(ctx, n, rep, drawn, undefined, (doc, now) => repTakes(doc, rep, now));
}

export function releaseCase(ctx: DeskContext, n: string, rep: string, drawn: AsDrawn = {}) {
  return stepAsRep(ctx, n, rep, drawn, undefined, (doc, now) => {
    if (!doc.owner) throw errors.E_USAGE(`case ${n} has no owner to release`);
    return repReleases(doc, rep, now);
  });
}

export function noteCase(ctx: DeskContext, n: string, rep: string, text: string, drawn: AsDrawn = {}) {
  return stepAsRep(ctx, n, rep, drawn, undefined, (doc, now) => repNotes(doc, text, now));
}

/** A rep's message to the partner (kind `rep-message`); on a held case it may wait for the partner's answer. */
export function messagePartner(ctx: DeskContext, n: string, rep: string, m: RepMessage, drawn: AsDrawn = {}) {
  return stepAsRep(ctx, n, rep, drawn, m.waitForPartner ? ['held'] : undefined, (doc, now) => {
    if (!doc.replyTo) throw errors.E_USAGE(`case ${n} has no partner contact to write to yet`);
    const program = ctx.programs.get(doc.program);
    const allowed = new Set<string>(program.forms);
    const bad = m.forms.find((f) => !allowed.has(f));
    if (bad) throw errors.E_USAGE(`${bad} is not a form of case ${n}'s program`);
    return repMessages(program, doc, rep, m, now, `rep-message.${now.getTime()}`);
  });
}
