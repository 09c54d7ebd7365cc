/**
 * The light markup of the lines a program gives its mails (domain/program.ts
 * TransferredMail): a leading rule ID in brackets, `(ALT-9) …`, and words to
 * stress between `**`. The text part shows the rule ID as written and drops
 * the stars; the HTML part makes the rule a badge and the stressed words
 * strong, escaping everything else (a line may quote partner data).
 */
import Handlebars from 'handlebars';

const RULES = /^\(((?:[A-Z]{2,4}-\d+)(?:,\s*[A-Z]{2,4}-\d+)*)\)\s*/;

/** The text part's line. */
export const plainLine = (line: unknown): string => (typeof line === 'string' ? line.replace(/\*\*/g, '') : '');

/** The HTML part's line, safe to insert unescaped. */
export function richLine(line: unknown): Handlebars.SafeString {
  const text = typeof line === 'string' ? line : '';
  const m = RULES.exec(text);
  const badges = m ? m[1]!.split(/,\s*/).map((r) => `<span class="rule">${r}</span> `).join('') : '';
  const rest = Handlebars.escapeExpression(m ? text.slice(m[0].length) : text).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
  return new Handlebars.SafeString(badges + rest);
}
