/**
 * What counts as a card number typed where it does not belong (DSK-5): any
 * Luhn-valid run of 13 to 19 digits, whatever separates the digits. Partners
 * group card numbers with spaces, double spaces, dots, slashes, dashes,
 * underscores, and paste full-width digits (０-９) from Asian keyboards; a check
 * that only knows "spaces and dashes" lets those through into the case, the
 * console and the mail.
 *
 * The text is NFKC-normalized first (full-width digits and punctuation become
 * ASCII). It is then read as groups of digits separated by anything that is
 * neither a letter nor a digit. A card number is a window of consecutive whole
 * groups holding 13–19 digits in total that passes the Luhn check. Windows
 * start and end at group boundaries only, so a long run of unrelated numbers
 * is not searched digit by digit (which would flag one in ten windows).
 */

/** Luhn (mod 10) check of a string of ASCII digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

interface Group {
  digits: string;
  start: number;
  end: number;
}

const ND = /\p{Nd}/u;

/**
 * ASCII digits of a run of Unicode decimal digits (Arabic-Indic, Devanagari …,
 * which NFKC leaves alone). Decimal digits come in blocks of ten starting at
 * zero, so a digit's value is its distance from the start of its block, mod 10.
 */
function asciiDigits(run: string): string {
  let out = '';
  for (const ch of run) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 48 && cp <= 57) {
      out += ch;
      continue;
    }
    let first = cp;
    while (first > 0 && ND.test(String.fromCodePoint(first - 1))) first--;
    out += String((cp - first) % 10);
  }
  return out;
}

/** Digit groups of an NFKC-normalized text, split by any non-letter, non-digit run; a letter ends a chain. */
function chains(text: string): Group[][] {
  const out: Group[][] = [];
  let chain: Group[] = [];
  // Letters break a chain ("LK-0001 SYS 2002" are two numbers, not one); other characters separate groups.
  const re = /(\p{Nd}+)|(\p{L}+)/gu;
  for (const m of text.matchAll(re)) {
    if (m[2] !== undefined) {
      if (chain.length) out.push(chain);
      chain = [];
      continue;
    }
    chain.push({ digits: asciiDigits(m[1]!), start: m.index!, end: m.index! + m[1]!.length });
  }
  if (chain.length) out.push(chain);
  return out;
}

/** Where card numbers are in `text` (ranges of the NFKC-normalized text) — empty when there are none. */
function cardRanges(normalized: string): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  for (const chain of chains(normalized)) {
    for (let i = 0; i < chain.length; i++) {
      let digits = '';
      for (let j = i; j < chain.length; j++) {
        digits += chain[j]!.digits;
        if (digits.length > 19) break;
        if (digits.length >= 13 && luhnValid(digits)) {
          found.push({ start: chain[i]!.start, end: chain[j]!.end });
        }
      }
    }
  }
  return found;
}

/** True when `text` holds a card number in any separator shape. */
export function containsCardNumber(text: string): boolean {
  return cardRanges(text.normalize('NFKC')).length > 0;
}

/**
 * `text` with every card number in it replaced by `[card number removed]`
 * (for free text the desk must keep or quote, such as a subject). The result
 * is NFKC-normalized where it changed.
 */
export function withoutCardNumbers(text: string): string {
  const normalized = text.normalize('NFKC');
  const ranges = cardRanges(normalized).sort((a, b) => a.start - b.start || b.end - a.end);
  if (ranges.length === 0) return text;
  let out = '';
  let at = 0;
  for (const r of ranges) {
    if (r.start < at) {
      // Overlaps the card number already removed: remove up to its end too.
      if (r.end > at) at = r.end;
      continue;
    }
    out += `${normalized.slice(at, r.start)}[card number removed]`;
    at = r.end;
  }
  return out + normalized.slice(at);
}
