/**
 * Desk-wide wording that every program's findings share, so a partner reads
 * the same sentence for the same problem whatever the program (DSK-6).
 */
import type { FieldProblem } from '../forms/types.js';
import { fixableFail, type Finding } from './finding.js';

/** "A and B", "A, B and C" */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A case number as a partner may write it on a form: `123456`, `#123456`, `Case 123456`. */
export function normalCaseNumber(value: string): string {
  const m = /^\s*(?:case\s*)?[#:]?\s*(\d+)\s*$/i.exec(value);
  return m?.[1] ?? value.trim();
}

/** The end of every fix: how to send the corrected form on this case. */
export const sendAgain = (req: { caseNumber: string }): string =>
  `reply with "[Case ${req.caseNumber}]" in the subject`;

/** DSK-6: one field the reader found missing, unclear or invalid, with what to send instead. */
export function fieldProblemFinding(caseNumber: string, p: FieldProblem, title: string): Finding {
  const what =
    p.problem === 'missing' ? 'is empty' : p.problem === 'ambiguous' ? 'can be read more than one way' : 'is not valid';
  const reader = p.message.trim().replace(/\.$/, '');
  const message = reader.includes(p.field)
    ? `On the ${title}: ${reader}.`
    : `On the ${title}, the field "${p.field}" ${what}${reader ? `: ${reader}` : ''}.`;
  const again = sendAgain({ caseNumber });
  const fix =
    p.problem === 'missing'
      ? `Fill in "${p.field}" on the ${title} and ${again}.`
      : p.problem === 'ambiguous'
        ? `Write "${p.field}" on the ${title} so it can be read one way only (dates as YYYY-MM-DD) and ${again}.`
        : `Correct "${p.field}" on the ${title} and ${again}.`;
  return fixableFail('DSK-6', message, fix);
}
