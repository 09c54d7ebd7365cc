/** SWP-1: a service fee of 50 GBP or 50 EUR per SWAP request, in the partner's currency. */
import type { RegistrySnapshot } from '../../registry-model.js';
import { fixableFail, hold, info, pass, type Finding } from '../../finding.js';
import { formatMinor } from '../../../lib/money.js';
import type { PlannedFee } from '../../program-plan.js';
import { resendForm } from './lookup.js';
import { SWAP_FEE_CURRENCIES, SWAP_FEE_MINOR, SWAP_FORM, type SwapFeeCurrency, type SwapRequest } from './request.js';

export const isSwapFeeCurrency = (c: string): c is SwapFeeCurrency =>
  (SWAP_FEE_CURRENCIES as readonly string[]).includes(c);

/** The fee of one SWAP request in `currency` (GBP or EUR). */
export function swapServiceFee(caseNumber: string, currency: SwapFeeCurrency): PlannedFee {
  return {
    rule: 'SWP-1',
    amountMinor: SWAP_FEE_MINOR,
    currency,
    description: `SWAP service fee for the SWAP request of case ${caseNumber}`,
  };
}

/**
 * SWP-1. One fee per request, in the partner's registry currency. A partner
 * billed in neither GBP nor EUR (or unknown) is held for a rep, with no fee.
 * The form's currency must be the partner's (fixable otherwise); a form
 * without a currency still owes the fee (DSK-6 asks for the field). No fee
 * while the form is missing.
 */
export function checkServiceFee(req: SwapRequest, snap: RegistrySnapshot): { findings: Finding[]; fees: PlannedFee[] } {
  const form = req.forms[SWAP_FORM];
  if (!form) return { findings: [], fees: [] };
  const partnerId = req.registryCase.partnerId;
  const partner = snap.partners.get(partnerId);
  if (!partner) {
    return {
      findings: [
        hold(
          'SWP-1',
          `Partner ${partnerId} of case ${req.caseNumber} is not in our records, so the currency of the SWAP service fee is unknown. A rep will decide it.`,
        ),
      ],
      fees: [],
    };
  }
  const currency = partner.currency.trim().toUpperCase();
  if (!isSwapFeeCurrency(currency)) {
    return {
      findings: [
        hold(
          'SWP-1',
          `Partner ${partner.name} (${partner.id}) is billed in ${currency}, but the SWAP service fee is charged only in GBP or EUR. A rep will decide how to charge it.`,
        ),
      ],
      fees: [],
    };
  }
  const fee = swapServiceFee(req.caseNumber, currency);
  const amount = `${formatMinor(fee.amountMinor)} ${currency}`;
  const what = `A service fee of ${amount} applies to this SWAP request (one fee per request, in ${currency}, the currency of partner ${partner.name}).`;
  const typed = form.currency;
  let finding: Finding;
  if (typed !== undefined && typed.toUpperCase() !== currency) {
    finding = fixableFail(
      'SWP-1',
      `The License SWAP Request Form gives the fee currency as ${typed}, but partner ${partner.name} (${partner.id}) is billed in ${currency}. The service fee is ${amount}, charged in the partner's currency.`,
      resendForm(req, `currency set to ${currency}`),
    );
  } else if (typed !== undefined) {
    finding = pass('SWP-1', what);
  } else {
    finding = info('SWP-1', what);
  }
  return { findings: [finding], fees: [fee] };
}
