/**
 * DSK-6 for the LumenVox form: it was received, its fields can be read and it
 * carries this case's number. Every problem is one fixable finding that says
 * what to send. Empty quantities (LVX-2) and a missing deployment_name
 * (LVX-4) are reported by their own rules, not here.
 */
import type { FieldProblem } from '../../../forms/types.js';
import { fieldProblemFinding } from '../../wording.js';
import { fixableFail, pass, type Finding } from '../../finding.js';
import { FORM_TITLES, listWords, normalCaseNumber, sendAgain } from './lookup.js';
import { ACCOUNT_FORM, type LumenvoxRequest } from './request.js';

const TITLE = FORM_TITLES[ACCOUNT_FORM];

/** Fields whose absence a LumenVox rule reports itself. */
export const RULE_OWNED_FIELDS: Readonly<Record<string, string>> = { quantities: 'LVX-2', deployment_name: 'LVX-4' };

/** The reader's problems on the account-transfer form that DSK-6 reports. */
export function accountFormProblems(req: LumenvoxRequest): FieldProblem[] {
  return req.formProblems.filter(
    (p) => p.formId === ACCOUNT_FORM && !(p.problem === 'missing' && Object.hasOwn(RULE_OWNED_FIELDS, p.field)),
  );
}

/**
 * DSK-6: the form is missing (one finding, nothing else to check); each field
 * problem the reader reported; each field the rules need that is empty and
 * not already reported; a case number that is not this case's. A pass when
 * none of these fail.
 */
export function checkAccountForm(req: LumenvoxRequest): Finding[] {
  const form = req.forms[ACCOUNT_FORM];
  if (!form) {
    return [
      fixableFail(
        'DSK-6',
        `We have not received the ${TITLE} (${ACCOUNT_FORM}) for case ${req.caseNumber}, so we cannot sell or transfer any licenses yet.`,
        `Fill in the ${TITLE} and ${sendAgain(req)}.`,
      ),
    ];
  }
  const problems = accountFormProblems(req);
  const findings = problems.map((p) => fieldProblemFinding(req.caseNumber, p, TITLE));
  const reported = new Set(problems.map((p) => p.field));
  const needed: [string, string, unknown][] = [
    ['transfer_kind', 'the kind of transfer (sale, deployment or linked-transfer)', form.transferKind],
    ['from_account_id', 'the account the licenses leave', form.fromAccountId],
    ['to_account_id', 'the account that receives the licenses', form.toAccountId],
  ];
  const empty = needed.filter(
    ([field, , value]) =>
      !reported.has(field) && (value === undefined || (typeof value === 'string' && value.trim() === '')),
  );
  if (empty.length > 0) {
    findings.push(
      fixableFail(
        'DSK-6',
        `The ${TITLE} does not say ${listWords(empty.map(([field, words]) => `${words} ("${field}")`))}.`,
        `Fill in ${listWords(empty.map(([field]) => `"${field}"`))} on the ${TITLE} and ${sendAgain(req)}.`,
      ),
    );
  }
  if (
    form.caseNumber !== undefined &&
    form.caseNumber.trim() !== '' &&
    normalCaseNumber(form.caseNumber) !== normalCaseNumber(req.caseNumber)
  ) {
    findings.push(
      fixableFail(
        'DSK-6',
        `The ${TITLE} names case ${form.caseNumber}, but it was sent on case ${req.caseNumber}.`,
        `Send the ${TITLE} for this sale or transfer with case_number ${req.caseNumber}; ${sendAgain(req)}.`,
      ),
    );
  }
  if (findings.length === 0) findings.push(pass('DSK-6', `Every field needed on the ${TITLE} can be read.`));
  return findings;
}
