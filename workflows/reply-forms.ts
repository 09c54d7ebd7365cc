/**
 * Which forms an `incomplete` reply sends back to the partner:
 * every form a failing finding names (one not received, or one with a field
 * that failed), with the fields that failed on it. Pure: the notify worker
 * fills the forms from the case when it sends the mail.
 */
import type { Finding } from '../domain/finding.js';
import { formSpec } from '../forms/specs.js';
import { FORM_IDS, type FormId } from '../forms/types.js';
import type { CaseDoc } from '../domain/case-doc.js';

/** One form to send back: which it is, and its fields whose value failed. */
export interface ReplyForm {
  formId: FormId;
  failed: string[];
}

/** Other names the rules' wording uses for a form (LumenVox's findings say "form"). */
const ALSO_CALLED: Partial<Record<FormId, string>> = { 'account-transfer/v1': 'License sale or transfer form' };

/** Whether a finding's words name the form (by its title or its id). */
function names(f: Finding, id: FormId): boolean {
  const words = `${f.message}\n${f.fix ?? ''}`;
  return [formSpec(id).title, ALSO_CALLED[id], id].some((t) => t && words.includes(t));
}

/**
 * Field names a finding mentions: snake_case names as words; one-word names
 * (`currency`, `reason`) only when quoted, since they are also plain words.
 */
function mentionedFields(f: Finding, id: FormId): string[] {
  const words = `${f.message}\n${f.fix ?? ''}`;
  return formSpec(id)
    .fields.map((s) => s.name)
    .filter((name) => {
      if (name === 'form_id') return false;
      if (name.includes('_')) return new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).test(words);
      return words.includes(`"${name}"`) || words.includes(`'${name}'`);
    });
}

export function replyFormsFor(doc: CaseDoc, failing: readonly Finding[]): ReplyForm[] {
  const fixable = failing.filter((f) => f.outcome === 'fail' && f.fixable !== false);
  const out = new Map<FormId, Set<string>>();
  const add = (id: FormId, fields: readonly string[] = []) => {
    const set = out.get(id) ?? new Set<string>();
    for (const field of fields) set.add(field);
    out.set(id, set);
  };
  for (const f of fixable) {
    const named = FORM_IDS.filter((id) => names(f, id));
    for (const id of named) add(id, mentionedFields(f, id));
    if (named.length === 0) {
      // A rule that names no form (a capacity, an end user) is fixed on the
      // main form the partner sent: send that one back, filled.
      const main = FORM_IDS.find((id) => id !== 'card-authorization/v1' && doc.forms[id]);
      if (main) add(main);
    }
  }
  for (const p of doc.formProblems) if (out.has(p.formId) || fixable.length > 0) add(p.formId, [p.field]);
  return FORM_IDS.filter((id) => out.has(id)).map((formId) => ({
    formId,
    failed: [...(out.get(formId) ?? [])].sort(),
  }));
}
