/**
 * Which forms a case needs (ALT-6) and whether their fields can be used
 * (DSK-6). Every problem is one finding that says what to send.
 */
import type { FormId } from '../../../forms/types.js';
import { fieldProblemFinding, sendAgain } from '../../wording.js';
import { fixableFail, hold, pass, type Finding } from '../../finding.js';
import { FORM_TITLES, listWords, normalCaseNumber, normalKey } from './lookup.js';
import type { AltigenRequest } from './request.js';

const LTF = 'license-transfer/v1';
const CARD = 'card-authorization/v1';
const SSO = 'sso-migration/v1';

/**
 * ALT-6: a software-only upgrade when the License Transfer Form's
 * software_only_upgrade box is checked or the case says so.
 */
export function isSoftwareOnlyUpgrade(req: AltigenRequest): boolean {
  return req.forms[LTF]?.softwareOnlyUpgrade === true || req.registryCase.softwareOnlyUpgrade === true;
}

/** ALT-6: the forms this case needs, in the order a partner fills them. */
export function requiredForms(req: AltigenRequest): FormId[] {
  return isSoftwareOnlyUpgrade(req) ? [LTF, CARD, SSO] : [LTF, CARD];
}

function upgradeReason(req: AltigenRequest): string {
  const byForm = req.forms[LTF]?.softwareOnlyUpgrade === true;
  const byCase = req.registryCase.softwareOnlyUpgrade === true;
  if (byForm && byCase)
    return 'the case and the License Transfer Form both say this is an upgrade to a software-only solution';
  if (byForm) return "the License Transfer Form's software-only upgrade box is checked";
  return 'the case says this is an upgrade to a software-only solution';
}

/** ALT-6: License Transfer Form and Credit Card Authorization, plus the worksheet for a software-only upgrade. */
export function checkRequiredForms(req: AltigenRequest): Finding[] {
  const findings: Finding[] = [];
  const needed = requiredForms(req);
  for (const id of needed) {
    if (req.forms[id]) continue;
    const title = FORM_TITLES[id];
    const why = id === SSO ? ` It is needed because ${upgradeReason(req)}.` : '';
    findings.push(
      fixableFail(
        'ALT-6',
        `We have not received the ${title} (${id}) for case ${req.caseNumber}.${why}`,
        `Fill in the ${title} and ${sendAgain(req)}.`,
      ),
    );
  }
  // A worksheet or a SoftwareOnly chassis without the upgrade marked: a rep
  // confirms, rather than silently moving licenses that should be converted.
  const ltf = req.forms[LTF];
  if (!isSoftwareOnlyUpgrade(req)) {
    const signs: string[] = [];
    if (req.forms[SSO]) signs.push('a Software Only Solution License Migration Worksheet was sent');
    if (ltf?.toChassisModel === 'SoftwareOnly')
      signs.push('the License Transfer Form gives the target model as SoftwareOnly');
    if (signs.length > 0) {
      findings.push(
        hold(
          'ALT-6',
          `${capital(listWords(signs))}, but neither the case nor the form's software-only upgrade box says this is an upgrade to a software-only solution. A rep will confirm whether the licenses are to be converted.`,
        ),
      );
    }
  }
  if (findings.length === 0) {
    findings.push(
      pass('ALT-6', `Every form this case needs was received: ${listWords(needed.map((id) => FORM_TITLES[id]))}.`),
    );
  }
  return findings;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** DSK-6: one fixable finding for each field problem the reader reported. */
export function fieldProblemFindings(req: AltigenRequest): Finding[] {
  return req.formProblems.map((p) => fieldProblemFinding(req.caseNumber, p, FORM_TITLES[p.formId] ?? p.formId));
}

/** DSK-6: every form must carry this case's number. */
export function formCaseNumberFindings(req: AltigenRequest): Finding[] {
  const findings: Finding[] = [];
  for (const [id, form] of Object.entries(req.forms) as [FormId, { caseNumber?: string } | undefined][]) {
    if (!form || form.caseNumber === undefined || form.caseNumber.trim() === '') continue;
    if (normalCaseNumber(form.caseNumber) === normalCaseNumber(req.caseNumber)) continue;
    const title = FORM_TITLES[id] ?? id;
    findings.push(
      fixableFail(
        'DSK-6',
        `The ${title} names case ${form.caseNumber}, but it was sent on case ${req.caseNumber}.`,
        `Send the ${title} for this move with case_number ${req.caseNumber}; ${sendAgain(req)}.`,
      ),
    );
  }
  return findings;
}

/** DSK-6: the worksheet must name the same systems as the License Transfer Form. */
export function formsAgreeFindings(req: AltigenRequest): Finding[] {
  const ltf = req.forms[LTF];
  const sso = req.forms[SSO];
  if (!ltf || !sso) return [];
  const findings: Finding[] = [];
  const pairs: [string, string | undefined, string | undefined][] = [
    ['from_system_key', ltf.fromSystemKey, sso.fromSystemKey],
    ['to_system_key', ltf.toSystemKey, sso.toSystemKey],
  ];
  for (const [field, a, b] of pairs) {
    if (a === undefined || b === undefined || normalKey(a) === normalKey(b)) continue;
    findings.push(
      fixableFail(
        'DSK-6',
        `The License Transfer Form gives ${field} as ${a}, but the Software Only Solution License Migration Worksheet gives ${b}.`,
        `Correct ${field} so both forms name the same system, and ${sendAgain(req)}.`,
      ),
    );
  }
  return findings;
}

/**
 * DSK-6 for the forms received: field problems, wrong case numbers, forms
 * that disagree. A pass when forms were received and none of these fail.
 */
export function checkFormFields(req: AltigenRequest): Finding[] {
  const findings = [...fieldProblemFindings(req), ...formCaseNumberFindings(req), ...formsAgreeFindings(req)];
  const received = Object.values(req.forms).filter(Boolean).length;
  if (findings.length === 0 && received > 0) {
    findings.push(
      pass('DSK-6', `Every field needed on the ${received === 1 ? 'form' : `${received} forms`} received can be read.`),
    );
  }
  return findings;
}
