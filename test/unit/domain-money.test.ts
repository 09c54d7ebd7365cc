import { describe, expect, it } from 'vitest';
import {
  decimalFraction,
  divRoundHalfUp,
  formatMinor,
  formatMoney,
  money,
  MoneyError,
  mulDivRoundHalfUp,
  sumMinor,
  toMinor,
} from '../../lib/money.js';
import { dealPriceMinor, standardPriceMinor } from '../../domain/pricing.js';
import type { CatalogItem, Partner } from '../../domain/registry-model.js';

describe('money: exact minor units', () => {
  it.each([
    [0, 0],
    [12.5, 1250],
    ['12.50', 1250],
    [1500, 150_000],
    [0.07, 7],
    [0.1, 10],
    ['0.01', 1],
    [' 3 ', 300],
    ['-1.5', -150],
    [120.99, 12_099],
  ] as const)('toMinor(%j) = %i', (v, want) => {
    expect(toMinor(v)).toBe(want);
  });
  it.each(['1.005', 'abc', '', '1e3', '1,50'])('toMinor refuses %j', (v) => {
    expect(() => toMinor(v)).toThrow(MoneyError);
  });
  it('toMinor refuses a number with more than two decimals and non-finite numbers', () => {
    expect(() => toMinor(0.125)).toThrow(MoneyError);
    expect(() => toMinor(Number.NaN)).toThrow(MoneyError);
  });
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [99, '0.99'],
    [100, '1.00'],
    [30_000, '300.00'],
    [-150, '-1.50'],
    [123_456_789, '1234567.89'],
  ])('formatMinor(%i) = %s', (m, want) => {
    expect(formatMinor(m)).toBe(want);
  });
  it('formatMoney prints two decimals and the currency', () => {
    expect(formatMoney(money(45_041, 'USD'))).toBe('450.41 USD');
  });
  it.each([
    [5n, 2n, 3n], // exactly half: up
    [3n, 2n, 2n], // exactly half: up
    [4n, 2n, 2n],
    [149n, 100n, 1n], // 1.49 down
    [150n, 100n, 2n], // 1.50 up
    [151n, 100n, 2n],
    [0n, 7n, 0n],
    [182n, 365n, 0n], // 0.4986 down
    [183n, 365n, 1n], // 0.5014 up
  ])('divRoundHalfUp(%i, %i) = %i', (n, d, want) => {
    expect(divRoundHalfUp(n, d)).toBe(want);
  });
  it('divRoundHalfUp refuses negative values and a zero denominator', () => {
    expect(() => divRoundHalfUp(-1n, 2n)).toThrow(MoneyError);
    expect(() => divRoundHalfUp(1n, 0n)).toThrow(MoneyError);
  });
  it('mulDivRoundHalfUp multiplies exactly beyond 2^53 before dividing', () => {
    // the product 9.000000003e18 is far beyond 2^53: exact only in BigInt
    expect(mulDivRoundHalfUp([3_000_000_000, 3_000_000_001], 1_000_000_000)).toBe(9_000_000_003);
    expect(mulDivRoundHalfUp([15_000, 1, 366], 365)).toBe(15_041);
    expect(() => mulDivRoundHalfUp([1.5], 1)).toThrow(MoneyError);
    expect(() => mulDivRoundHalfUp([Number.MAX_SAFE_INTEGER, 2], 1)).toThrow(MoneyError);
  });
  it('sumMinor adds exactly (no 0.1 + 0.2 error)', () => {
    expect(sumMinor([toMinor(0.1), toMinor(0.2)])).toBe(30);
    expect(sumMinor([])).toBe(0);
  });
  it.each([
    [20, 20n, 1n],
    [12.5, 125n, 10n],
    ['7.25', 725n, 100n],
    [0, 0n, 1n],
    [1e-7, 1n, 10_000_000n],
    [1e21, 10n ** 21n, 1n],
  ] as const)('decimalFraction(%j) = %i / %i', (v, n, d) => {
    expect(decimalFraction(v)).toEqual({ numerator: n, denominator: d });
  });
});

describe('SWP-6 pricing: standard price never uses pricing exceptions', () => {
  const item = (listPrice: Record<string, number>, sku = 'ALTI-STATION-10'): CatalogItem => ({
    sku,
    kind: 'station',
    count: 10,
    lifecycle: 'orderable',
    listPrice,
  });
  const partner = (standardDiscountPct: number, pricingExceptions?: Record<string, number>): Partner => ({
    id: 'P-100',
    name: 'Acme',
    currency: 'USD',
    contacts: [],
    standardDiscountPct,
    ...(pricingExceptions ? { pricingExceptions } : {}),
  });

  it.each([
    // [list, discount %, standard minor]
    [1500, 20, 120_000],
    [1500, 0, 150_000],
    [1500, 100, 0],
    [0.05, 50, 3], // 2.5 cents: half-up
    [0.03, 50, 2], // 1.5 cents: half-up
    [0.01, 50, 1], // 0.5 cent: half-up
    [99.99, 12.5, 8_749], // 8749.125 → 8749
    [120.1, 33.3, 8_011], // 12010 × 0.667 = 8010.67 → 8011
    [0.1, 10, 9],
  ])('SWP-6 list %d at %d %% off is %i minor units', (list, pct, want) => {
    expect(standardPriceMinor(item({ USD: list }), partner(pct), 'USD')).toBe(want);
  });
  it('SWP-6 standard price ignores a pricing exception for the SKU', () => {
    expect(standardPriceMinor(item({ USD: 1500 }), partner(20, { 'ALTI-STATION-10': 900 }), 'USD')).toBe(120_000);
  });
  it('deal price applies the pricing exception, and falls back to the standard price', () => {
    const p = partner(20, { 'ALTI-STATION-10': 900 });
    expect(dealPriceMinor(item({ USD: 1500 }), p, 'USD')).toBe(90_000);
    expect(dealPriceMinor(item({ USD: 2000 }, 'ALTI-ACM-AGENT-5'), p, 'USD')).toBe(160_000);
    // an exception is in the partner's currency: another currency uses the standard price
    expect(dealPriceMinor(item({ USD: 1500, EUR: 1400 }), p, 'EUR')).toBe(112_000);
  });
  it('no list price in the currency gives undefined', () => {
    expect(standardPriceMinor(item({ GBP: 120 }), partner(20), 'USD')).toBeUndefined();
    expect(dealPriceMinor(item({ GBP: 120 }), partner(20), 'USD')).toBeUndefined();
  });
});
