/**
 * Exact money: integer minor units (cents) inside, two-decimal strings outside.
 * Registry prices arrive as JSON numbers; they are converted through their
 * decimal text so that 0.1 + 0.2 style float error can never enter a total.
 */
import { CODES } from '../lib/errors.js';

export interface Money {
  /** Integer minor units. */
  minor: number;
  currency: string;
}

export class MoneyError extends Error {
  readonly code = CODES.E_MONEY_INVALID;
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

/**
 * product(factors) / denominator, rounded half-up, exact (BigInt inside).
 * Every factor must be a non-negative safe integer; the result must fit a
 * safe integer. Used for pro-rating (ALT-10) and discounts.
 */
export function mulDivRoundHalfUp(factors: readonly (number | bigint)[], denominator: number | bigint): number {
  let product = 1n;
  for (const f of factors) product *= toBigIntChecked(f);
  const result = divRoundHalfUp(product, toBigIntChecked(denominator));
  if (result > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyError('amount too large');
  return Number(result);
}

function toBigIntChecked(v: number | bigint): bigint {
  if (typeof v === 'bigint') return v;
  if (!Number.isSafeInteger(v)) throw new MoneyError(`not a whole number: ${v}`);
  return BigInt(v);
}

/** Sum of integer minor units (exact as long as each stays a safe integer). */
export function sumMinor(amounts: readonly number[]): number {
  const total = amounts.reduce((s, a) => s + BigInt(toBigIntChecked(a)), 0n);
  if (total > BigInt(Number.MAX_SAFE_INTEGER) || total < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MoneyError('amount too large');
  }
  return Number(total);
}

/**
 * A non-negative decimal (JSON number or text, e.g. a percentage 12.5) as an
 * exact fraction `numerator / 10^scale`, read through its decimal text.
 */
export function decimalFraction(value: number | string): { numerator: bigint; denominator: bigint } {
  let text = typeof value === 'number' ? numberToPlain(value) : value.trim();
  const exp = /^(\d+(?:\.\d+)?)e([+-]?\d+)$/i.exec(text);
  if (exp) {
    // 1e-7 style: shift the decimal point by hand, no float arithmetic.
    const [int, frac = ''] = (exp[1] ?? '').split('.');
    const e = Number(exp[2]);
    const digits = `${int}${frac}`;
    const point = (int ?? '').length + e;
    text =
      point <= 0
        ? `0.${'0'.repeat(-point)}${digits}`
        : point >= digits.length
          ? `${digits}${'0'.repeat(point - digits.length)}`
          : `${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new MoneyError(`not a non-negative decimal: ${text}`);
  const frac = m[2] ?? '';
  return { numerator: BigInt(`${m[1]}${frac}`), denominator: 10n ** BigInt(frac.length) };
}
