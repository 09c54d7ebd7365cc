/**
 * One line of a form's `license_keys` field as partners write it: a key and
 * perhaps a count. Shared by every program whose forms list keys.
 */

/** How the number after a key is meant: seats (stations, agents …), units of the SKU, or not said. */
export type CountUnit = 'seats' | 'units' | 'unspecified';

/** One `license_keys` line. */
export interface KeyLine {
  /** The line as written (trimmed). */
  line: string;
  key: string;
  /** The number written after the key, if any. */
  requested?: { count: number; unit: CountUnit };
}

const COUNT_RE =
  /^(?:(?:qty|quantity)\s*[:=]?\s*)?[x×*:=-]?\s*(\d+)\s*[x×]?\s*(?:(station|seat|agent|user|port)s?)?\s*(?:(unit|licen[cs]e|pc|piece)s?)?$/i;

/**
 * `LK-1`, `LK-1 5`, `LK-1 x5`, `LK-1 (5 stations)`, `LK-1 - 2 units`,
 * `LK-1, 10`. Returns undefined when the text after the key is not a count.
 * A number with a seat word (stations, seats, agents, users, ports) counts
 * seats; with `units`/`pcs` counts units of the SKU; otherwise (a bare
 * number, `x5`, `5 licenses`) it is unspecified.
 */
export function parseKeyLine(line: string): KeyLine | undefined {
  const text = line.trim();
  const m = /^(\S+?)[,;:]?(?:\s+(.*))?$/.exec(text);
  const key = m?.[1];
  if (!key) return undefined;
  let rest = (m?.[2] ?? '').trim();
  if (rest === '') return { line: text, key };
  rest = rest
    .replace(/^[([{]\s*/, '')
    .replace(/\s*[)\]}]$/, '')
    .trim();
  const c = COUNT_RE.exec(rest);
  if (!c) return undefined;
  const count = Number(c[1]);
  if (!Number.isSafeInteger(count) || count < 1) return undefined;
  const unit: CountUnit = c[2] ? 'seats' : c[3] && /^(unit|pc|piece)/i.test(c[3]) ? 'units' : 'unspecified';
  return { line: text, key, requested: { count, unit } };
}
