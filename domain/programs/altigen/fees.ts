/** ALT-4: a $300 transfer fee per target system. */
import { formatMinor } from '../../../lib/money.js';
import { info, type Finding } from '../../finding.js';
import { ALTIGEN_CURRENCY, type AltigenRequest, type Fee } from './request.js';

/** 300.00 USD in cents. */
export const TRANSFER_FEE_MINOR = 30_000;

/**
 * One fee per distinct target system: a move is one or more licenses from one
 * system to one other system, so moving to n systems costs n fees.
 */
export function transferFees(targets: readonly string[]): Fee[] {
  const distinct = [...new Set(targets.map((t) => t.trim()).filter((t) => t !== ''))];
  return distinct.map((to) => ({
    rule: 'ALT-4',
    amountMinor: TRANSFER_FEE_MINOR,
    currency: ALTIGEN_CURRENCY,
    description: `License transfer fee for the move to system ${to}`,
  }));
}

/**
 * ALT-4 for one request: one License Transfer Form is one target (the case's
 * system), so one fee. No fee while the form is missing (nothing to charge for yet).
 */
export function checkTransferFee(req: AltigenRequest): { findings: Finding[]; fees: Fee[] } {
  if (!req.forms['license-transfer/v1']) return { findings: [], fees: [] };
  const fees = transferFees([req.registryCase.systemKey]);
  const findings = fees.map((f) =>
    info(
      'ALT-4',
      `A license transfer fee of ${formatMinor(f.amountMinor)} ${f.currency} applies to the move to system ${req.registryCase.systemKey}: one fee per target system, however many licenses move.`,
    ),
  );
  return { findings, fees };
}
