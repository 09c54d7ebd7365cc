/**
 * DSK-9: a rep confirms or corrects the values the desk read from paper. The
 * form is typed again from what the rep confirmed, exactly as a fillable form
 * is (forms/typing.ts), and replaces the form the case holds; the record says
 * who keyed it, and the case is reviewed again on the confirmed values. Card
 * data is never keyed here (DSK-5): a card number the desk was not sure of is
 * asked of the partner again. Pure: typing and the clock come in.
 */
import type { CaseDoc } from '../domain/case-doc.js';
import { FORM_SPECS, isFormId } from '../forms/specs.js';
import type { FieldProblem, FieldValue, FormId, RawForm } from '../forms/types.js';
import type { TypeFormResult } from '../forms/typing.js';
import type { Step } from './case-workflow.js';
import { PAPER_CONFIDENCE } from './paper-checks.js';

export type Typer = (raw: RawForm) => TypeFormResult;

export type KeyingResult = { step: Step } | { problems: FieldProblem[] };

const CARD_TYPED = ['cardLast4', 'cardToken', 'cardExpiry'];

/** Values a rep keyed for one paper form of a case: the next step, or the problems to show the rep. */
export function afterPaperKeyed(
  prev: CaseDoc,
  formId: FormId,
  keyed: Record<string, FieldValue>,
  rep: string,
  typeIt: Typer,
  now: Date,
): KeyingResult | { error: string } {
  const idx = (prev.paper ?? []).findIndex((p) => p.formId === formId && !p.confirmedBy);
  const rec = idx >= 0 ? prev.paper![idx]! : undefined;
  if (!rec || !isFormId(rec.formId))
    return { error: `case ${prev.number} has no values read from paper on ${formId} to confirm` };
  const spec = FORM_SPECS[formId];
  const secret = new Set(spec.fields.filter((f) => f.sensitive).map((f) => f.name));
  const fields: Record<string, FieldValue> = { form_id: formId };
  const changed: string[] = [];
  for (const f of spec.fields) {
    if (f.name === 'form_id' || secret.has(f.name)) continue;
    const read = rec.fields.find((x) => x.name === f.name)?.value;
    const value = keyed[f.name] ?? (f.kind === 'checkbox' ? false : '');
    fields[f.name] = value;
    if (String(read ?? (f.kind === 'checkbox' ? false : '')) !== String(value)) changed.push(f.name);
  }
  const typed = typeIt({ formId, fields, discarded: [] });
  if ('unknownFormId' in typed) return { error: `unknown form ${formId}` };
  const problems = typed.problems.filter((p) => !secret.has(p.field));
  if (problems.length > 0) return { problems };

  const doc: CaseDoc = structuredClone(prev);
  const form = { ...typed.form } as Record<string, unknown>;
  const kept = (prev.forms as Record<string, Record<string, unknown> | undefined>)[formId];
  const cardUnsure = rec.fields.some((f) => secret.has(f.name) && f.confidence < PAPER_CONFIDENCE);
  const otherProblems = doc.formProblems.filter((p) => p.formId !== formId);
  const cardProblems: FieldProblem[] = [];
  if (secret.size > 0 && kept && !cardUnsure) {
    for (const k of CARD_TYPED) if (kept[k] !== undefined) form[k] = kept[k];
    cardProblems.push(...prev.formProblems.filter((p) => p.formId === formId && secret.has(p.field)));
  } else if (secret.size > 0) {
    // Never charged on a card number the desk may have misread, and a rep does not see it: the partner sends it again.
    delete doc.card;
    cardProblems.push({
      formId,
      field: 'card_number',
      problem: 'invalid',
      message:
        'The card number could not be read with certainty from the paper form. Please send the Credit Card Authorization again, filled in as a PDF or printed clearly.',
    });
  }
  (doc.forms as Record<string, unknown>)[formId] = form;
  doc.formProblems = [...otherProblems, ...cardProblems];
  doc.paper = prev.paper!.map((p, i) =>
    i === idx
      ? {
          ...p,
          fields: p.fields.map((f) => (secret.has(f.name) ? f : { ...f, value: fields[f.name] })),
          confirmedBy: rep,
          confirmedAt: now.toISOString(),
        }
      : p,
  );
  doc.updatedAt = now.toISOString();
  const confirmed = spec.fields.filter((f) => f.name !== 'form_id' && !secret.has(f.name) && !changed.includes(f.name));
  return {
    step: {
      doc,
      effects: [{ type: 'review', reason: `paper-keyed:${formId}:${now.getTime()}` }],
      action: 'paper-keyed',
      reason: `DSK-9: ${formId} (${rec.file}) keyed from paper by ${rep}: ${confirmed.length} value(s) confirmed${changed.length ? `, corrected ${changed.join(', ')}` : ''}${cardUnsure ? '; the card number is asked of the partner again' : ''}`,
    },
  };
}
