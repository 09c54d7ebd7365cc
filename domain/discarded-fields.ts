/**
 * docs/forms.md, DSK-5: fields that looked like a card security code were dropped
 * unread by the reader; every program tells the partner so in the same words.
 */
import { info, type Finding } from './finding.js';
import { listWords } from './wording.js';

/** docs/forms.md: security-code-like fields were discarded unread; the partner is told so. */
export function discardedFieldFindings(req: { discardedFields: readonly string[] }): Finding[] {
  if (req.discardedFields.length === 0) return [];
  const names = listWords([...new Set(req.discardedFields)].map((f) => `"${f}"`));
  return [
    info(
      'DSK-5',
      `A filled field that looked like a card security code (${names}) was discarded without being stored. We never need a security code: please do not send one.`,
    ),
  ];
}
