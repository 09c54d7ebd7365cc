/**
 * A line a program gives its mails (domain/program.ts TransferredMail) may
 * start with its rule IDs in brackets, `(ALT-9) …`: the text part shows them
 * as written, the HTML part as badges, escaping everything else (a line may
 * quote partner data).
 */
import Handlebars from 'handlebars';

const RULES = /^\(((?:[A-Z]{2,4}-\d+)(?:,\s*[A-Z]{2,4}-\d+)*)\)\s*/;

/** The HTML part's line, safe to insert unescaped; `styleAttr` (` style="…"`) goes on each badge. */
export function ruledLine(line: unknown, styleAttr = ''): Handlebars.SafeString {
  const text = typeof line === 'string' ? line : '';
  const m = RULES.exec(text);
  const badges = m
    ? m[1]!
        .split(/,\s*/)
        .map((r) => `<span class="rule"${styleAttr}>${r}</span> `)
        .join('')
    : '';
  return new Handlebars.SafeString(badges + Handlebars.escapeExpression(m ? text.slice(m[0].length) : text));
}
