/**
 * The SWAP needs one form, the License SWAP Request Form (SWP-4: the SWAP is
 * requested strictly from its data), and its fields must be usable (DSK-6).
 */
import type { FormId } from '../../../forms/types.js';
import { fieldProblemFinding } from '../../wording.js';
import type { SwapRequestForm } from '../../../forms/typed-forms.js';
import { fixableFail, info, pass, type Finding } from '../../finding.js';
import { isRmaNumber } from './platform.js';
import { listWords, normalCaseNumber, replyOnCase } from './lookup.js';
import { SWAP_FORM, SWAP_FORM_TITLE, type SwapRequest } from './request.js';

const TITLES: Partial<Record<FormId, string>> = {
  'license-transfer/v1': 'License Transfer Form',
  'card-authorization/v1': 'Credit Card Authorization',
  'sso-migration/v1': 'Software Only Solution License Migration Worksheet',
  'uninstall-declaration/v1': 'Declaration of uninstall',
  'account-transfer/v1': 'License sale or transfer form',
};

/** SWP-4: without the License SWAP Request Form nothing can be SWAPped (fixable: send it). */
export function checkSwapFormReceived(req: SwapRequest): Finding[] {
  if (req.forms[SWAP_FORM]) return [];
  return [
    fixableFail(
      'SWP-4',
      `We have not received the ${SWAP_FORM_TITLE} (${SWAP_FORM}) for case ${req.caseNumber}. A SWAP is made strictly from the information on that form.`,
      `Fill in the current ${SWAP_FORM_TITLE} (your account manager can send it) and ${replyOnCase(req)}.`,
    ),
  ];
}

/**
 * Fields whose problem a SWAP rule already explains with its own finding, so
 * DSK-6 does not say it twice: an unticked ack_irrevocable (SWP-2), a missing
 * or malformed rma_number on a physical FROM (SWP-7), a missing FK/SID or
 * its confirmation (SWP-4).
 */
export function fieldsExplainedByRules(form: SwapRequestForm): Set<string> {
  const explained = new Set<string>();
  if (!form.ackIrrevocable) explained.add('ack_irrevocable');
  if (form.fromPlatform === 'physical' && !isRmaNumber(form.rmaNumber)) explained.add('rma_number');
  const fk: [string, string | undefined][] = [
    ['from_fk_sid', form.fromFkSid],
    ['from_fk_sid_confirm', form.fromFkSidConfirm],
    ['to_fk_sid', form.toFkSid],
    ['to_fk_sid_confirm', form.toFkSidConfirm],
  ];
  for (const [field, value] of fk) if (value === undefined || value.trim() === '') explained.add(field);
  return explained;
}

/**
 * DSK-6 for the License SWAP Request Form: one fixable finding per field
 * problem (except those a SWAP rule explains), a case number that is not
 * this case's; other forms are not needed and only noted. A pass when the
 * form was received and none of these fail. Nothing while it is missing.
 */
export function checkSwapFormFields(req: SwapRequest): Finding[] {
  const form = req.forms[SWAP_FORM];
  if (!form) return [];
  const findings: Finding[] = [];
  const explained = fieldsExplainedByRules(form);
  const seen = new Set<string>();
  for (const p of req.formProblems) {
    if (p.formId !== SWAP_FORM || explained.has(p.field) || seen.has(p.field)) continue;
    seen.add(p.field);
    findings.push(fieldProblemFinding(req.caseNumber, p, SWAP_FORM_TITLE));
  }
  if (
    form.caseNumber !== undefined &&
    form.caseNumber.trim() !== '' &&
    normalCaseNumber(form.caseNumber) !== normalCaseNumber(req.caseNumber)
  ) {
    findings.push(
      fixableFail(
        'DSK-6',
        `The ${SWAP_FORM_TITLE} names case ${form.caseNumber.trim()}, but it was sent on case ${req.caseNumber}.`,
        `Send the ${SWAP_FORM_TITLE} for this SWAP with case_number ${req.caseNumber}; ${replyOnCase(req)}.`,
      ),
    );
  }
  if (findings.length === 0) {
    findings.push(pass('DSK-6', `Every field needed on the ${SWAP_FORM_TITLE} can be read.`));
  }
  const others = (Object.keys(req.forms) as FormId[]).filter((id) => id !== SWAP_FORM && req.forms[id]);
  if (others.length > 0) {
    const names = listWords(others.map((id) => `the ${TITLES[id] ?? id}`));
    findings.push(
      info(
        'DSK-6',
        `A SWAP needs only the ${SWAP_FORM_TITLE}; ${names} ${others.length === 1 ? 'was' : 'were'} not needed and ${others.length === 1 ? 'was' : 'were'} not used.`,
      ),
    );
  }
  return findings;
}

/** docs/forms.md: security-code-like fields were discarded unread; the partner is told so (DSK-5). */
export function swapDiscardedFieldFindings(req: SwapRequest): Finding[] {
  if (req.discardedFields.length === 0) return [];
  const names = listWords([...new Set(req.discardedFields)].map((f) => `"${f}"`));
  return [
    info(
      'DSK-5',
      `A filled field that looked like a card security code (${names}) was discarded without being stored. We never need a security code: please do not send one.`,
    ),
  ];
}
