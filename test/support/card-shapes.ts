/**
 * The shapes a partner may type a card number in (DSK-5): every separator,
 * full-width and Arabic-Indic digits, uneven groups. The unit test checks
 * each one field by field; the end-to-end test drives a subset through the
 * desk.
 */
const FULL_WIDTH = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
/** Digits in groups of four with `sep` between. */
export const group = (digits: string, sep: string): string => digits.match(/.{1,4}/g)!.join(sep);

export const SHAPES: Array<[string, (digits: string) => string]> = [
  ['plain', (d) => d],
  ['spaces', (d) => group(d, ' ')],
  ['double spaces', (d) => group(d, '  ')],
  ['dots', (d) => group(d, '.')],
  ['slashes', (d) => group(d, '/')],
  ['dashes', (d) => group(d, '-')],
  ['underscores', (d) => group(d, '_')],
  ['spaced dashes', (d) => group(d, ' - ')],
  ['tabs', (d) => group(d, '\t')],
  ['no-break spaces', (d) => group(d, '\u00a0')],
  ['en dashes', (d) => group(d, '\u2013')],
  ['full-width digits', (d) => FULL_WIDTH(d)],
  ['full-width digits, ideographic spaces', (d) => group(FULL_WIDTH(d), '\u3000')],
  ['full-width digits and dots', (d) => group(FULL_WIDTH(d), '\uff0e')],
  ['arabic-indic digits', (d) => d.replace(/[0-9]/g, (c) => String.fromCharCode(0x0660 + Number(c)))],
  ['uneven groups', (d) => `${d.slice(0, 2)} ${d.slice(2, 9)}.${d.slice(9)}`],
  ['one digit a group', (d) => d.split('').join(' ')],
];
