/**
 * The whole Avaya IP Office SWAP review of one request: every rule that can
 * be evaluated with what was received, so one reply lists every problem
 * (DSK-6). The plan's registry writes (moves, forfeits, the disabled FROM,
 * the key return) are filled only when the SWAP is whole (SWP-8); the
 * decision (domain/decision.ts) says whether they may be carried out.
 */
import type { RegistrySnapshot } from '../../registry-model.js';
import type { Clock } from '../../clock.js';
import { emptyPlan, type ProgramPlan } from '../../program-plan.js';
import { checkServiceFee } from './fees.js';
import { checkIrrevocable, finalSaleFindings } from './finality.js';
import { checkSwapFormFields, checkSwapFormReceived, swapDiscardedFieldFindings } from './forms.js';
import { checkSwapIdentifiers } from './identifiers.js';
import { planKeyReturn } from './key-return.js';
import { checkSwapLicenses, disableFinding } from './licenses.js';
import { checkSwapPlatform } from './platform.js';
import { SWAP_FORM, type SwapDetails, type SwapRequest, type SwapReviewOptions } from './request.js';
import { checkSwapCaseTarget } from './target.js';

/**
 * Pure: reads the request, the snapshot and (for future time rules) the
 * clock; writes nothing. `options` only changes wording (where keys go).
 */
export function reviewAvayaSwap(
  req: SwapRequest,
  snap: RegistrySnapshot,
  clock: Clock,
  options: SwapReviewOptions = {},
): ProgramPlan<SwapDetails> {
  void clock; // no SWAP rule depends on the day of the review; the SWP-6 deadline runs from completion.
  const plan = emptyPlan<SwapDetails>();
  const findings = plan.findings;

  const target = checkSwapCaseTarget(req); // DSK-2
  findings.push(...target);
  findings.push(...checkSwapFormReceived(req)); // SWP-4 (the form)
  findings.push(...checkSwapFormFields(req)); // DSK-6
  findings.push(...swapDiscardedFieldFindings(req)); // DSK-5 (security codes)
  findings.push(...checkIrrevocable(req)); // SWP-2

  const fee = checkServiceFee(req, snap); // SWP-1
  findings.push(...fee.findings);
  plan.fees.push(...fee.fees);

  const ids = checkSwapIdentifiers(req, snap); // SWP-4
  findings.push(...ids.findings);
  const caseTargetOk = !target.some((f) => f.outcome === 'fail');
  const from = ids.from;
  const to = caseTargetOk && ids.pairOk ? ids.to : undefined;

  const platform = checkSwapPlatform(req, from); // SWP-7
  const licenses = from ? checkSwapLicenses(req, snap, from, to) : undefined; // SWP-5, SWP-8
  findings.push(...(licenses?.findings ?? []));
  if (from) findings.push(disableFinding(from)); // SWP-3
  findings.push(...platform.findings);
  const keyReturn = from ? planKeyReturn(from, platform.physical, options) : undefined; // SWP-6
  findings.push(...(keyReturn?.findings ?? []));
  findings.push(...finalSaleFindings()); // SWP-9

  if (from && to && licenses?.whole) {
    plan.moves.push(...licenses.moves);
    plan.forfeit.push(...licenses.forfeit);
    plan.disableSystems.push(from.key);
    plan.keyReturns.push(...(keyReturn?.keyReturns ?? []));
  }
  const form = req.forms[SWAP_FORM];
  plan.extra = {
    from: from?.key ?? form?.fromFkSid,
    to: to?.key ?? req.registryCase.systemKey,
    physical: platform.physical,
    rmaNumber: form?.rmaNumber,
    ...(options.warehouseAddress ? { warehouseAddress: options.warehouseAddress } : {}),
  };
  return plan;
}
