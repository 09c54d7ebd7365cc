/**
 * Partner prices (docs/registry-file.md). Exact: integer minor units, rounded half-up
 * to the cent once, at the end.
 *
 * - standard price = listPrice × (1 − standardDiscountPct/100). It never uses
 *   `pricingExceptions`: bills for unreturned keys are at the standard price
 *   list, with no pricing exceptions (SWP-6).
 * - deal price = the partner's pricing exception for the SKU where one
 *   exists, else the standard price (orders).
 */
import { decimalFraction, divRoundHalfUp, toMinor } from '../lib/money.js';
import type { CatalogItem, Partner } from './registry-model.js';
import { ownValue } from './registry-lookup.js';

/** listPrice × (1 − standardDiscountPct/100) in minor units; undefined when the SKU has no list price in `currency`. */
export function standardPriceMinor(item: CatalogItem, partner: Partner, currency: string): number | undefined {
  const list = ownValue(item.listPrice, currency);
  if (list === undefined) return undefined;
  const listMinor = BigInt(toMinor(list));
  const pct = decimalFraction(partner.standardDiscountPct); // pct = n / d
  // list × (1 − n/(100·d)) = list × (100·d − n) / (100·d)
  const denominator = 100n * pct.denominator;
  const keep = denominator - pct.numerator;
  if (keep < 0n) return 0; // a discount above 100 % is refused by the schema; never negative
  return Number(divRoundHalfUp(listMinor * keep, denominator));
}

/**
 * The price an order is made at: the partner's pricing exception for the SKU
 * (a deal price, in the partner's own currency) where there is one, else the
 * standard price. Never use this for an SWP-6 bill.
 */
export function dealPriceMinor(item: CatalogItem, partner: Partner, currency: string): number | undefined {
  const exception = ownValue(partner.pricingExceptions, item.sku);
  if (exception !== undefined && currency === partner.currency) return toMinor(exception);
  return standardPriceMinor(item, partner, currency);
}
