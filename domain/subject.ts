/**
 * Case numbers in mail subjects (DSK-1, docs/forms.md "Subject line").
 *
 * Recognised anywhere in the subject, case-insensitively: `Case 123456`,
 * `Case #123456`, `Case: 123456`, `[Case 123456]`, `CASE-123456` (also
 * `Case No. 123456`), behind any `Re:`/`Fwd:`/`AW:`/`WG:`/`FW:` prefixes.
 * A number without the word "case" does not count. Case numbers are 4–10
 * digits; a longer or shorter run of digits after "case" is not one.
 */

const CASE_RE = /(?<![\p{L}\p{N}_])case[\s#:.-]*(?:(?:no|nr|number)\b[\s#:.-]*)?(\p{Nd}+)(?![\p{L}\p{N}_])/giu;

const MIN_DIGITS = 4;
const MAX_DIGITS = 10;

/** The distinct case numbers of a subject, in the order they first appear. */
export function caseNumbersInSubject(subject: string): string[] {
  const found: string[] = [];
  for (const m of subject.matchAll(CASE_RE)) {
    const digits = m[1] ?? '';
    // Only ASCII digits are case numbers (a look-alike digit is not one).
    if (!/^[0-9]+$/.test(digits)) continue;
    if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) continue;
    if (!found.includes(digits)) found.push(digits);
  }
  return found;
}

/**
 * The subject of the desk's own mail on a case: `[Case 123456] text`.
 * A `[Case N]` tag of the same case already in `text` is not repeated, and
 * line breaks are removed (a subject is one header line).
 */
export function replySubject(caseNumber: string, text: string): string {
  const tag = `[Case ${caseNumber}]`;
  const escaped = caseNumber.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const rest = text
    .replace(/[\r\n]+/g, ' ')
    .replace(new RegExp(`\\[\\s*case\\s*[#:]?\\s*${escaped}\\s*\\]`, 'gi'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return rest ? `${tag} ${rest}` : tag;
}
