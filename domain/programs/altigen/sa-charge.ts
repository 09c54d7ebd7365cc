/**
 * ALT-10: pro-rated SA charge per license key moved. Where the source
 * system's SA has expired and ended before the target's SA end date, SA is
 * charged from the source's expiry to the target's expiry:
 *   saYearly × quantity × days / 365, rounded half-up to the cent per key
 * (docs/interfaces.md "Money"), exact integer arithmetic.
 */
import type { RegistrySnapshot } from '../../registry-model.js';
import { dayOf, daysBetween, type Clock } from '../../clock.js';
import { hold, info, pass, type Finding } from '../../finding.js';
import { formatMinor, mulDivRoundHalfUp, toMinor } from '../../../lib/money.js';
import { catalogItem, findSystem, ownValue } from './lookup.js';
import { ALTIGEN_CURRENCY, type Charge, type PlannedMove } from './request.js';

/** saYearly (minor units) × quantity × days / 365, rounded half-up to the minor unit. */
export function proRatedSaMinor(saYearlyMinor: number, quantity: number, days: number): number {
  if (days <= 0) return 0;
  return mulDivRoundHalfUp([saYearlyMinor, quantity, days], 365);
}

export interface SaCheck {
  findings: Finding[];
  charges: Charge[];
  /** False when some key's charge could not be worked out (held or not evaluable). */
  complete: boolean;
}

/**
 * ALT-10 for the planned moves. Source SA current (expires today or later):
 * no charge. Source SA expired on or after the target's end date: no charge.
 * No SA date on the source: held for a rep (the start of the charge is
 * unknown). No USD SA rate for the product: info, no charge.
 */
export function checkSaCharges(snap: RegistrySnapshot, clock: Clock, moves: readonly PlannedMove[]): SaCheck {
  const today = dayOf(clock.now());
  const findings: Finding[] = [];
  const charges: Charge[] = [];
  const noCharge: string[] = [];
  let complete = true;
  for (const m of moves) {
    const source = findSystem(snap, m.from);
    const target = findSystem(snap, m.to);
    const targetDay = target?.saExpiresOn;
    if (!source || !target || !targetDay) {
      complete = false;
      continue;
    } // ALT-1/ALT-2 report these.
    const sourceDay = source.saExpiresOn;
    if (!sourceDay) {
      complete = false;
      findings.push(
        hold(
          'ALT-10',
          `System ${source.key} has no software assurance date on record, so the pro-rated SA charge for license key ${m.licenseKey} cannot be worked out. A rep will decide it.`,
        ),
      );
      continue;
    }
    if (sourceDay >= today) {
      noCharge.push(`${m.licenseKey}: the SA of ${source.key} runs until ${sourceDay}`);
      continue;
    }
    if (sourceDay >= targetDay) {
      noCharge.push(
        `${m.licenseKey}: the SA of ${source.key} ended on ${sourceDay}, not before the SA of ${target.key} ends (${targetDay})`,
      );
      continue;
    }
    const yearly = ownValue(catalogItem(snap, m.sku)?.saYearly, ALTIGEN_CURRENCY);
    if (yearly === undefined) {
      findings.push(
        info(
          'ALT-10',
          `No yearly SA rate in ${ALTIGEN_CURRENCY} is known for product ${m.sku} (license key ${m.licenseKey}), so no pro-rated SA charge is made for it.`,
        ),
      );
      continue;
    }
    const yearlyMinor = toMinor(yearly);
    const days = daysBetween(sourceDay, targetDay);
    const amountMinor = proRatedSaMinor(yearlyMinor, m.quantity, days);
    const description =
      `Pro-rated SA for license key ${m.licenseKey} (${m.quantity} × ${m.sku}): ${formatMinor(yearlyMinor)} ${ALTIGEN_CURRENCY} a year × ${m.quantity} × ${days} days / 365, ` +
      `from ${sourceDay} (SA of ${source.key} ended) to ${targetDay} (SA of ${target.key} ends)`;
    charges.push({
      rule: 'ALT-10',
      amountMinor,
      currency: ALTIGEN_CURRENCY,
      description,
      licenseKey: m.licenseKey,
      sku: m.sku,
      quantity: m.quantity,
      days,
      fromDay: sourceDay,
      toDay: targetDay,
    });
    findings.push(info('ALT-10', `${description} = ${formatMinor(amountMinor)} ${ALTIGEN_CURRENCY}.`));
  }
  if (noCharge.length > 0 && charges.length === 0 && findings.length === 0) {
    findings.push(pass('ALT-10', `No pro-rated SA charge applies (${noCharge.join('; ')}).`));
  } else if (noCharge.length > 0) {
    findings.push(info('ALT-10', `No pro-rated SA charge for ${noCharge.join('; ')}.`));
  }
  return { findings, charges, complete };
}
