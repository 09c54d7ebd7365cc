/**
 * AUD-5: there are no floating licenses. Every license is bound to one
 * machine: a move must name the machine the licenses go to, and a request to
 * leave them unassigned, floating or in a pool cannot be granted.
 */
import type { RegistrySnapshot } from '../../registry-model.js';
import { finalFail, fixableFail, pass, type Finding } from '../../finding.js';
import { findPool, sendAgain } from './lookup.js';
import { DECLARATION_FORM, TRANSFER_FORM, type AudiumRequest } from './request.js';

const FLOATING =
  /^(?:float(?:ing)?(?:[\s_-]*licen[cs]es?)?|pool(?:ed)?|shared|none|unassigned|not[\s_-]*assigned|any(?:[\s_-]*machine)?|n\/?a|tbd|-+)$/i;

/** A target that asks for no machine: "floating", "pool", "unassigned", "none", "n/a" … */
export function isFloatingTarget(value: string): boolean {
  const v = value.trim();
  return FLOATING.test(v) || /(?:^|\s)(?:floating|unassigned)(?:\s|$)/i.test(v);
}

/**
 * AUD-5. An empty to_system_key is fixable (name the new machine); a
 * target that asks for floating or unassigned licenses, or names a Call
 * Services session pool instead of a machine, is not. A pass when the move
 * binds the licenses to a named machine. No finding while the License
 * Transfer Form is missing.
 */
export function checkNoFloating(req: AudiumRequest, snap: RegistrySnapshot): Finding[] {
  const ltf = req.forms[TRANSFER_FORM];
  if (!ltf) return [];
  const decl = req.forms[DECLARATION_FORM];
  const findings: Finding[] = [];
  const targets: [string, string | undefined][] = [
    ['to_system_key on the License Transfer Form', ltf.toSystemKey],
    ['new_machine_id on the Declaration of uninstall', decl?.newMachineId],
  ];
  for (const [where, raw] of targets) {
    const value = raw?.trim();
    if (!value) continue;
    const pool = findPool(snap, value);
    if (pool) {
      findings.push(
        finalFail(
          'AUD-5',
          `${capital(where)} names ${pool.id}, a Call Services session pool, not a machine. Audium has no floating licenses: every license is bound to one machine, and sessions of a pool are claimed by activating an installation on a machine, not by a transfer.`,
        ),
      );
    } else if (isFloatingTarget(value)) {
      findings.push(
        finalFail(
          'AUD-5',
          `${capital(where)} is "${value}", which asks to leave the licenses floating or unassigned. Audium does not offer floating licenses: every license is bound to one machine. Your Account Representative can tell you about other licensing arrangements.`,
        ),
      );
    }
  }
  if (!ltf.toSystemKey?.trim()) {
    const unreadable = req.formProblems.some(
      (p) => p.formId === TRANSFER_FORM && p.field === 'to_system_key' && p.problem !== 'missing',
    );
    if (!unreadable) {
      findings.push(
        fixableFail(
          'AUD-5',
          'The License Transfer Form names no machine for the licenses (to_system_key is empty). Audium has no floating licenses: every license must be bound to one machine.',
          `Fill in "to_system_key" with the machine id of the new machine and ${sendAgain(req)}.`,
        ),
      );
    }
  }
  if (findings.length === 0) {
    findings.push(
      pass(
        'AUD-5',
        `The licenses are bound to machine ${ltf.toSystemKey?.trim()} after the move; none is left floating or unassigned.`,
      ),
    );
  }
  return findings;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
