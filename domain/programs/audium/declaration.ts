/**
 * AUD-2: a move needs a signed declaration that the software was uninstalled
 * from the original machine, and the old machine's reactivation to confirm
 * its deactivation before the move completes.
 */
import type { System } from '../../registry-model.js';
import { dayOf, type Clock } from '../../clock.js';
import { fixableFail, info, pass, type Finding } from '../../finding.js';
import { sameKey, sendAgain } from './lookup.js';
import { DECLARATION_FORM, TRANSFER_FORM, type AudiumRequest } from './request.js';

/**
 * AUD-2 for the Declaration of uninstall: signed (signer_name and signed_on),
 * naming the same old and new machines as the License Transfer Form, and
 * declaring an uninstall that already happened (uninstalled_on not after
 * today nor after signed_on). All fixable. No finding while the declaration
 * is missing (DSK-6 says so).
 */
export function checkDeclaration(req: AudiumRequest, clock: Clock): Finding[] {
  const decl = req.forms[DECLARATION_FORM];
  if (!decl) return [];
  const ltf = req.forms[TRANSFER_FORM];
  const findings: Finding[] = [];
  const resend = `send the Declaration of uninstall again with "[Case ${req.caseNumber}]" in the subject`;
  const unreadable = (field: string) =>
    req.formProblems.some((p) => p.formId === DECLARATION_FORM && p.field === field && p.problem !== 'missing');

  const unsigned = [
    ...(!decl.signerName?.trim() ? ['the name of the person signing ("signer_name")'] : []),
    ...(!decl.signedOn?.trim() && !unreadable('signed_on') ? ['the date it was signed ("signed_on")'] : []),
  ];
  if (unsigned.length > 0) {
    findings.push(
      fixableFail(
        'AUD-2',
        `The Declaration of uninstall is not signed: it has no ${unsigned.join(' and no ')}. A move needs a signed declaration that the software was uninstalled from the original machine.`,
        `Sign the Declaration of uninstall (fill in signer_name and signed_on) and ${sendAgain(req)}.`,
      ),
    );
  }
  if (ltf) {
    const pairs: [string, string | undefined, string, string | undefined][] = [
      ['old_machine_id', decl.oldMachineId, 'from_system_key', ltf.fromSystemKey],
      ['new_machine_id', decl.newMachineId, 'to_system_key', ltf.toSystemKey],
    ];
    for (const [declField, a, ltfField, b] of pairs) {
      if (!a?.trim() || !b?.trim() || sameKey(a, b)) continue;
      findings.push(
        fixableFail(
          'AUD-2',
          `The Declaration of uninstall gives ${declField} as ${a.trim()}, but the License Transfer Form gives ${ltfField} as ${b.trim()}. Both forms must name the same machines.`,
          `Correct ${declField} or ${ltfField} so both forms name the same machine, and ${sendAgain(req)}.`,
        ),
      );
    }
  }
  const today = dayOf(clock.now());
  if (decl.uninstalledOn && decl.uninstalledOn > today) {
    findings.push(
      fixableFail(
        'AUD-2',
        `The Declaration of uninstall says the software was uninstalled on ${decl.uninstalledOn}, which is after today (${today}). The declaration must be made once the software has been uninstalled.`,
        `Uninstall the software from the old machine, then correct uninstalled_on and ${resend}.`,
      ),
    );
  } else if (decl.uninstalledOn && decl.signedOn && decl.uninstalledOn > decl.signedOn) {
    findings.push(
      fixableFail(
        'AUD-2',
        `The Declaration of uninstall was signed on ${decl.signedOn}, before the day it gives for the uninstall (${decl.uninstalledOn}). It can only declare an uninstall that has already happened.`,
        `Correct uninstalled_on or signed_on and ${resend}.`,
      ),
    );
  }
  if (findings.length === 0 && decl.signerName && decl.signedOn) {
    const from = decl.oldMachineId?.trim() || ltf?.fromSystemKey?.trim();
    const on = decl.uninstalledOn ? ` on ${decl.uninstalledOn}` : '';
    findings.push(
      pass(
        'AUD-2',
        `The Declaration of uninstall, signed by ${decl.signerName} on ${decl.signedOn}, declares the software uninstalled from machine ${from ?? '(not given)'}${on}.`,
      ),
    );
  }
  return findings;
}

/**
 * AUD-2: the move completes only after the old machine is reactivated, so
 * that its deactivation is confirmed. The machine to wait for (put in
 * `plan.extra.requiresReactivationOf`) and the finding that says so.
 */
export function reactivationRequirement(old: System | undefined): { findings: Finding[]; machineId?: string } {
  if (!old) return { findings: [] };
  return {
    machineId: old.key,
    findings: [
      info(
        'AUD-2',
        `The move completes only after the software on the old machine ${old.key} has been reactivated once more, so that we can confirm the machine has been deactivated. Reactivate it after the uninstall; the licenses then move.`,
      ),
    ],
  };
}
