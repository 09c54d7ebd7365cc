/**
 * SWP-6: every physical FROM feature key must be returned within 7 days of
 * the SWAP. If it is not, a sales order bills the licenses that were moved
 * at the partner's standard price (list price less the standard discount),
 * never at a pricing exception, with no credit for the physical key.
 */
import type { CatalogItem, Partner, System } from '../../registry-model.js';
import { hold, info, type Finding } from '../../finding.js';
import { formatMinor, mulDivRoundHalfUp, sumMinor } from '../../../lib/money.js';
import { standardPriceMinor } from '../../pricing.js';
import { KEY_RETURN_DAYS, type SwapReviewOptions } from './request.js';

/** SWP-6 for a physical FROM: the key return awaited, and the partner told where and by when. */
export function planKeyReturn(
  from: System,
  physical: boolean | undefined,
  options: SwapReviewOptions = {},
): {
  findings: Finding[];
  keyReturns: Array<{ fk: string; dueInDays: number }>;
} {
  if (physical !== true) return { findings: [], keyReturns: [] };
  const where = options.warehouseAddress?.trim() ? options.warehouseAddress.trim() : 'our returns warehouse';
  return {
    findings: [
      info(
        'SWP-6',
        `The physical feature key ${from.key} must be returned to ${where} within ${KEY_RETURN_DAYS} days of the SWAP. ` +
          `If it is not, a sales order is raised for every license moved off it, at your standard price list (pricing exceptions do not apply). No credit is given for the physical key.`,
      ),
    ],
    keyReturns: [{ fk: from.key, dueInDays: KEY_RETURN_DAYS }],
  };
}

export interface UnreturnedKeyBillInput {
  caseNumber: string;
  /** The physical FROM feature key that was not returned. */
  fk: string;
  partner: Partner;
  /** The licenses the SWAP moved off the key. */
  moved: Array<{ licenseKey: string; sku: string; quantity: number }>;
  catalog: ReadonlyMap<string, CatalogItem>;
  currency: string;
}

export interface UnreturnedKeyBillLine {
  licenseKey: string;
  sku: string;
  quantity: number;
  /** The partner's standard price of one unit, minor units. */
  unitPriceMinor: number;
  amountMinor: number;
}

export interface UnreturnedKeyBill {
  lines: UnreturnedKeyBillLine[];
  /** Sum of the lines that could be priced. */
  totalMinor: number;
  currency: string;
  /** An info describing the bill; a hold for every license that cannot be priced (the bill must wait for a rep). */
  findings: Finding[];
}

/**
 * SWP-6: the sales order for an unreturned key. Every moved license at the
 * partner's standard price (standardPriceMinor), never pricingExceptions;
 * no line credits the key. A SKU unknown to the catalog or without a list
 * price in `currency` is held for a rep and left out of the total.
 */
export function billUnreturnedKey(input: UnreturnedKeyBillInput): UnreturnedKeyBill {
  const { caseNumber, fk, partner, moved, catalog } = input;
  const currency = input.currency.trim().toUpperCase();
  const lines: UnreturnedKeyBillLine[] = [];
  const findings: Finding[] = [];
  for (const m of moved) {
    const item = catalog.get(m.sku);
    const unit = item ? standardPriceMinor(item, partner, currency) : undefined;
    if (unit === undefined) {
      const why = item ? `has no list price in ${currency}` : 'is not in our catalog';
      findings.push(
        hold(
          'SWP-6',
          `License ${m.licenseKey} (${m.quantity} × ${m.sku}) moved off the unreturned feature key ${fk} (case ${caseNumber}) cannot be billed: product ${m.sku} ${why}. A rep will price it before the sales order is issued.`,
        ),
      );
      continue;
    }
    lines.push({
      licenseKey: m.licenseKey,
      sku: m.sku,
      quantity: m.quantity,
      unitPriceMinor: unit,
      amountMinor: mulDivRoundHalfUp([unit, m.quantity], 1),
    });
  }
  const totalMinor = sumMinor(lines.map((l) => l.amountMinor));
  const detail = lines
    .map(
      (l) =>
        `${l.licenseKey} ${l.quantity} × ${l.sku} at ${formatMinor(l.unitPriceMinor)} = ${formatMinor(l.amountMinor)}`,
    )
    .join('; ');
  findings.unshift(
    info(
      'SWP-6',
      `Feature key ${fk} (case ${caseNumber}) was not returned within ${KEY_RETURN_DAYS} days, so a sales order bills the licenses moved off it to ${partner.name} (${partner.id}) at the standard price list ` +
        `(list price less ${partner.standardDiscountPct}%; pricing exceptions do not apply): ${detail || 'no line could be priced'}. Total ${formatMinor(totalMinor)} ${currency}. No credit is given for the physical key.`,
    ),
  );
  return { lines, totalMinor, currency, findings };
}
