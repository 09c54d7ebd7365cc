/**
 * DSK-2: the case was opened with the FK/SID the licenses move TO, so the
 * form's to_fk_sid must be the case's system key.
 */
import { finalFail, pass, type Finding } from '../../finding.js';
import { normalKey } from './lookup.js';
import { SWAP_FORM, type SwapRequest } from './request.js';

/**
 * DSK-2. Not evaluated while to_fk_sid is missing. When to_fk_sid differs
 * from the case key but to_fk_sid_confirm is the case key, the two typings
 * disagree: SWP-4 asks for a corrected form, and DSK-2 says nothing. When
 * neither typing is the case key the form cannot be used on this case
 * (not fixable: a new case must be opened with the TO FK/SID).
 */
export function checkSwapCaseTarget(req: SwapRequest): Finding[] {
  const form = req.forms[SWAP_FORM];
  const to = form?.toFkSid?.trim();
  if (!form || !to) return [];
  const caseKey = req.registryCase.systemKey;
  if (normalKey(to) === normalKey(caseKey)) {
    return [
      pass(
        'DSK-2',
        `The License SWAP Request Form moves the licenses to ${caseKey}, the FK/SID case ${req.caseNumber} was opened with.`,
      ),
    ];
  }
  const confirm = form.toFkSidConfirm?.trim();
  if (confirm && normalKey(confirm) === normalKey(caseKey)) return [];
  return [
    finalFail(
      'DSK-2',
      `Case ${req.caseNumber} was opened with FK/SID ${caseKey}, but the License SWAP Request Form moves the licenses to ${to}. ` +
        `A SWAP case must be opened with the FK/SID the licenses move to, so this form cannot be used on this case. ` +
        `To SWAP licenses to ${to}, open a new case with that FK/SID and send the form on the new case.`,
    ),
  ];
}
