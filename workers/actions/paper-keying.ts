/** A rep's confirmation of values read from paper (DSK-9), committed as that rep with its audit entry. */
import type { DeskContext } from '../desk/context.js';
import { errors } from '../../lib/errors.js';
import { typeForm } from '../../forms/typing.js';
import type { FieldProblem, FieldValue, FormId } from '../../forms/types.js';
import { afterPaperKeyed } from '../../workflows/paper-keying.js';
import { runCaseStep } from '../desk/case-step.js';

/** Keys `values` for the paper form `formId` of held case `n`; the problems the form's typing finds, if any. */
export async function keyPaperForm(
  ctx: DeskContext,
  n: string,
  formId: FormId,
  values: Record<string, FieldValue>,
  rep: string,
): Promise<{ problems: FieldProblem[] }> {
  let problems: FieldProblem[] = [];
  await runCaseStep(ctx, n, (stored, now) => {
    if (!stored) throw errors.E_CASE_NOT_FOUND(n);
    if (stored.doc.state !== 'held') throw errors.E_CASE_STATE(n, stored.doc.state);
    const r = afterPaperKeyed(
      stored.doc,
      formId,
      values,
      rep,
      (raw) => typeForm(raw, { now, tokenize: (digits) => ctx.box.cardToken(digits) }),
      now,
    );
    if ('error' in r) throw errors.E_USAGE(r.error);
    if ('problems' in r) {
      problems = r.problems;
      return { skip: 'the keyed values do not pass the form' };
    }
    return { step: r.step, actor: `rep:${rep}`, expectedStates: ['held'] };
  });
  return { problems };
}
