/**
 * The whole AltiGen review of one request: every rule that can be evaluated
 * with what was received, so one reply lists everything (DSK-6). Money is
 * computed only on known data.
 */
import type { RegistrySnapshot } from '../../registry-model.js';
import type { Clock } from '../../clock.js';
import type { Finding } from '../../finding.js';
import { formatMinor, sumMinor } from '../../../lib/money.js';
import { checkCapacity } from './capacity.js';
import { checkCardAuthorization, discardedFieldFindings, type AmountDue } from './card.js';
import { deadlineFinding, moveDeadline } from './deadline.js';
import { checkTransferFee } from './fees.js';
import { checkFormFields, checkRequiredForms, isSoftwareOnlyUpgrade } from './forms.js';
import { checkWholeKeys } from './keys.js';
import { checkOwnership } from './ownership.js';
import { ALTIGEN_CURRENCY, type AltigenRequest, type AltigenReview } from './request.js';
import { checkSaCharges } from './sa-charge.js';
import { planSoftwareOnly } from './software-only.js';
import { checkCaseTarget, checkTargetSa } from './target.js';

export function reviewAltigen(
  req: AltigenRequest,
  snap: RegistrySnapshot,
  clock: Clock,
  completeAt?: Date,
): AltigenReview {
  const softwareOnly = isSoftwareOnlyUpgrade(req);
  const findings: Finding[] = [];

  findings.push(...checkCaseTarget(req)); // DSK-2
  findings.push(...checkRequiredForms(req)); // ALT-6
  findings.push(...checkFormFields(req)); // DSK-6
  findings.push(...discardedFieldFindings(req)); // DSK-5 (security codes)
  findings.push(...checkTargetSa(req, snap, clock)); // ALT-1
  findings.push(...checkOwnership(req, snap)); // ALT-2
  const keys = checkWholeKeys(req, snap); // ALT-3
  findings.push(...keys.findings);
  findings.push(...checkCapacity(req, snap, keys.moves, softwareOnly)); // ALT-5
  const sso = planSoftwareOnly(req, snap, keys.moves, softwareOnly, keys.complete); // ALT-7
  findings.push(...sso.findings);

  const fee = checkTransferFee(req); // ALT-4
  findings.push(...fee.findings);
  const sa = checkSaCharges(snap, clock, keys.moves); // ALT-10
  findings.push(...sa.findings);

  // The card must cover the total only once every amount is known.
  const moneyKnown = fee.fees.length > 0 && keys.complete && sa.complete;
  let due: AmountDue | undefined;
  if (moneyKnown) {
    const feeMinor = sumMinor(fee.fees.map((f) => f.amountMinor));
    const saMinor = sumMinor(sa.charges.map((c) => c.amountMinor));
    due = {
      totalMinor: feeMinor + saMinor,
      currency: ALTIGEN_CURRENCY,
      breakdown:
        sa.charges.length > 0
          ? `transfer fee ${formatMinor(feeMinor)} + pro-rated SA ${formatMinor(saMinor)}`
          : `transfer fee ${formatMinor(feeMinor)}`,
    };
  }
  findings.push(...checkCardAuthorization(req, clock, due)); // DSK-5

  const review: AltigenReview = {
    findings,
    fees: fee.fees,
    charges: sa.charges,
    moves: keys.moves,
    conversions: sso.conversions,
    softwareOnly,
  };
  if (completeAt) {
    findings.push(deadlineFinding(completeAt)); // ALT-8
    review.deadlineAt = moveDeadline(completeAt);
  }
  return review;
}
