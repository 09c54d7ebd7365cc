/**
 * DSK-6 for the Audium forms (License Transfer Form and Declaration of
 * uninstall): both received, fields readable, this case's number; and DSK-2:
 * the licenses move to the machine the case was opened for. Fields a rule
 * reports itself (to_system_key: AUD-5; the declaration's signature: AUD-2;
 * an invalid reason: AUD-1) are not repeated here, and the AltiGen-only
 * fields of the License Transfer Form (to_chassis_model,
 * software_only_upgrade) are not needed.
 */
import type { FieldProblem, FormId } from '../../../forms/types.js';
import { fieldProblemFinding } from '../../wording.js';
import { finalFail, fixableFail, pass, type Finding } from '../../finding.js';
import { isFloatingTarget } from './floating.js';
import { FORM_TITLES, listWords, normalCaseNumber, sameKey, sendAgain } from './lookup.js';
import { AUDIUM_FORMS, DECLARATION_FORM, TRANSFER_FORM, type AudiumRequest } from './request.js';

/** Fields of the License Transfer Form an Audium move does not use. */
const UNUSED: Readonly<Partial<Record<FormId, readonly string[]>>> = {
  [TRANSFER_FORM]: ['to_chassis_model', 'software_only_upgrade'],
};

/** Fields whose absence (or, for `reason`, any problem) a rule reports itself. */
function ruleOwned(p: FieldProblem): boolean {
  if (p.formId === TRANSFER_FORM) return p.field === 'to_system_key' && p.problem === 'missing';
  if (p.formId === DECLARATION_FORM) {
    if (p.field === 'reason') return p.problem !== 'missing';
    return (p.field === 'signer_name' || p.field === 'signed_on') && p.problem === 'missing';
  }
  return false;
}

/** The reader's problems on the Audium forms that DSK-6 reports. */
export function audiumFormProblems(req: AudiumRequest): FieldProblem[] {
  return req.formProblems.filter(
    (p) =>
      (AUDIUM_FORMS as readonly string[]).includes(p.formId) &&
      !(UNUSED[p.formId] ?? []).includes(p.field) &&
      !ruleOwned(p),
  );
}

const blank = (v: unknown): boolean =>
  v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/**
 * DSK-6: each missing form; each field problem the reader reported; each
 * field the rules need that is empty and not already reported; a case number
 * that is not this case's. A pass when none of these fail.
 */
export function checkAudiumForms(req: AudiumRequest): Finding[] {
  const findings: Finding[] = [];
  for (const id of AUDIUM_FORMS) {
    if (req.forms[id]) continue;
    const title = FORM_TITLES[id];
    findings.push(
      fixableFail(
        'DSK-6',
        `We have not received the ${title} (${id}) for case ${req.caseNumber}. Moving an Audium license to another machine needs both the License Transfer Form and the signed Declaration of uninstall.`,
        `Fill in the ${title} and ${sendAgain(req)}.`,
      ),
    );
  }
  const problems = audiumFormProblems(req);
  findings.push(...problems.map((p) => fieldProblemFinding(req.caseNumber, p, FORM_TITLES[p.formId] ?? p.formId)));
  // Every field the reader reported (here or by its rule) is not reported again as empty.
  const reported = new Set(req.formProblems.map((p) => `${p.formId}:${p.field}`));
  const ltf = req.forms[TRANSFER_FORM];
  const decl = req.forms[DECLARATION_FORM];
  const needed: [FormId, string, string, unknown][] = [];
  if (ltf) {
    needed.push([TRANSFER_FORM, 'from_system_key', 'the machine the licenses leave', ltf.fromSystemKey]);
    needed.push([
      TRANSFER_FORM,
      'license_keys',
      'the license keys to move',
      ltf.licenseKeys.filter((l) => l.trim() !== ''),
    ]);
  }
  if (decl) {
    needed.push([
      DECLARATION_FORM,
      'old_machine_id',
      'the machine the software was uninstalled from',
      decl.oldMachineId,
    ]);
    needed.push([DECLARATION_FORM, 'new_machine_id', 'the machine the licenses move to', decl.newMachineId]);
    needed.push([DECLARATION_FORM, 'reason', 'the reason for the move (defective, obsolete or retired)', decl.reason]);
    needed.push([DECLARATION_FORM, 'uninstalled_on', 'the date the software was uninstalled', decl.uninstalledOn]);
  }
  for (const id of AUDIUM_FORMS) {
    const empty = needed.filter(
      ([form, field, , value]) => form === id && !reported.has(`${form}:${field}`) && blank(value),
    );
    if (empty.length === 0) continue;
    const title = FORM_TITLES[id];
    findings.push(
      fixableFail(
        'DSK-6',
        `The ${title} does not give ${listWords(empty.map(([, field, words]) => `${words} ("${field}")`))}.`,
        `Fill in ${listWords(empty.map(([, field]) => `"${field}"`))} on the ${title} and ${sendAgain(req)}.`,
      ),
    );
  }
  for (const id of AUDIUM_FORMS) {
    const form = req.forms[id];
    if (!form?.caseNumber || form.caseNumber.trim() === '') continue;
    if (normalCaseNumber(form.caseNumber) === normalCaseNumber(req.caseNumber)) continue;
    const title = FORM_TITLES[id];
    findings.push(
      fixableFail(
        'DSK-6',
        `The ${title} names case ${form.caseNumber}, but it was sent on case ${req.caseNumber}.`,
        `Send the ${title} for this move with case_number ${req.caseNumber}; ${sendAgain(req)}.`,
      ),
    );
  }
  if (findings.length === 0)
    findings.push(
      pass('DSK-6', 'Every field needed on the License Transfer Form and the Declaration of uninstall can be read.'),
    );
  return findings;
}

/**
 * DSK-2: the License Transfer Form's to_system_key (the new machine) must be
 * the machine the case was opened for; otherwise the form is rejected on this
 * case. Not evaluated while to_system_key is empty or asks for floating
 * licenses (AUD-5 reports those).
 */
export function checkCaseTarget(req: AudiumRequest): Finding[] {
  const to = req.forms[TRANSFER_FORM]?.toSystemKey?.trim();
  if (!to || isFloatingTarget(to)) return [];
  const caseKey = req.registryCase.systemKey;
  if (sameKey(to, caseKey)) {
    return [
      pass(
        'DSK-2',
        `The License Transfer Form moves the licenses to machine ${caseKey}, the machine case ${req.caseNumber} was opened for.`,
      ),
    ];
  }
  return [
    finalFail(
      'DSK-2',
      `Case ${req.caseNumber} was opened for machine ${caseKey}, but the License Transfer Form moves the licenses to machine ${to}. ` +
        `A transfer case must be opened with the id of the machine the licenses move to, so this form cannot be used on this case. ` +
        `To move licenses to ${to}, open a new case with that machine's id and send the forms on the new case.`,
    ),
  ];
}
