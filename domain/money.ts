/**
 * Exact money: integer minor units (cents) inside, two-decimal strings outside.
 * Registry prices arrive as JSON numbers; they are converted through their
 * decimal text so that 0.1 + 0.2 style float error can never enter a total.
 */
export interface Money {
  /** Integer minor units. */
  minor: number;
  currency: string;
}

export class MoneyError extends Error {
  readonly code = 'E_MONEY_INVALID';
}

/** 12.5 -> 1250, "12.50" -> 1250. Refuses more than two decimals. */
export function toMinor(value: number | string): number {
  const text = typeof value === 'number' ? numberToPlain(value) : value.trim();
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new MoneyError(`not an amount with at most two decimals: ${text}`);
  const minor = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`amount too large: ${text}`);
  return m[1] ? -minor : minor;
}

function numberToPlain(n: number): string {
  if (!Number.isFinite(n)) throw new MoneyError(`not a finite amount: ${n}`);
  // toString gives the shortest round-trip text (1500, 120.5, 0.07).
  return n.toString();
}

/** 1250 -> "12.50" */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const money = (minor: number, currency: string): Money => ({ minor, currency });

export function formatMoney(m: Money): string {
  return `${formatMinor(m.minor)} ${m.currency}`;
}

/** numerator/denominator rounded half-up, on non-negative integers (exact, BigInt). */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new MoneyError('divRoundHalfUp takes non-negative values');
  return (numerator * 2n + denominator) / (denominator * 2n);
}
