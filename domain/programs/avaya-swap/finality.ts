/**
 * SWP-2: a SWAP is irrevocable once submitted, and the form must say the
 * partner knows it. SWP-9: all sales are final; the desk offers no refund
 * or credit path.
 */
import { fixableFail, info, pass, type Finding } from '../../finding.js';
import { resendForm } from './lookup.js';
import { SWAP_FORM, type SwapRequest } from './request.js';

export const IRREVOCABLE_NOTICE =
  'A SWAP is irrevocable: once it is submitted it cannot be undone, and nothing at this desk can reverse it.';

/** SWP-2: ack_irrevocable must be ticked (fixable), and the partner is always told that a SWAP cannot be undone. */
export function checkIrrevocable(req: SwapRequest): Finding[] {
  const form = req.forms[SWAP_FORM];
  const notice = info('SWP-2', IRREVOCABLE_NOTICE);
  if (!form) return [notice];
  if (!form.ackIrrevocable) {
    return [
      fixableFail(
        'SWP-2',
        `The License SWAP Request Form does not have ack_irrevocable ticked. A SWAP cannot be undone once it is submitted, so we only act on a form that acknowledges it.`,
        resendForm(req, 'ack_irrevocable ticked (only if you accept that the SWAP cannot be undone)'),
      ),
      notice,
    ];
  }
  return [
    pass(
      'SWP-2',
      'The License SWAP Request Form acknowledges that the SWAP is irrevocable (ack_irrevocable is ticked).',
    ),
    notice,
  ];
}

/** SWP-9: no refund, no credit. */
export function finalSaleFindings(): Finding[] {
  return [
    info(
      'SWP-9',
      'All Avaya software sales are final: this desk gives no refund or credit for the service fee, for the licenses, or for a returned feature key. ' +
        'A request for credit on licensing can only be made through the OOP process, not through this desk.',
    ),
  ];
}
