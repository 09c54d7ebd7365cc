/**
 * The system the licenses move to: the one the case was opened for (DSK-2),
 * registered and on active software assurance on the day of the move (ALT-1).
 */
import type { RegistrySnapshot, System } from '../../registry-model.js';
import { dayOf, type Clock } from '../../clock.js';
import { finalFail, pass, type Finding } from '../../finding.js';
import { findSystem, normalKey } from './lookup.js';
import type { AltigenRequest } from './request.js';

/** The registry's target system: the system the case was opened for. */
export const targetSystem = (req: AltigenRequest, snap: RegistrySnapshot): System | undefined =>
  findSystem(snap, req.registryCase.systemKey);

/**
 * DSK-2: the License Transfer Form's to_system_key must be the case's system
 * key. Otherwise the form is rejected on this case, with that reason. Not
 * evaluated (no finding) while the form or the field is missing.
 */
export function checkCaseTarget(req: AltigenRequest): Finding[] {
  const to = req.forms['license-transfer/v1']?.toSystemKey;
  if (to === undefined || to.trim() === '') return [];
  const caseKey = req.registryCase.systemKey;
  if (normalKey(to) === normalKey(caseKey)) {
    return [
      pass(
        'DSK-2',
        `The License Transfer Form moves the licenses to ${caseKey}, the system case ${req.caseNumber} was opened for.`,
      ),
    ];
  }
  return [
    finalFail(
      'DSK-2',
      `Case ${req.caseNumber} was opened for system ${caseKey}, but the License Transfer Form moves the licenses to ${to.trim()}. ` +
        `A transfer case must be opened with the key of the system the licenses move to, so this form cannot be used on this case. ` +
        `To move licenses to ${to.trim()}, open a new case with that system's key and send the forms on the new case.`,
    ),
  ];
}

/**
 * ALT-1: the target system is registered (and an AltiGen system, not
 * disabled) and its SA runs on the day of the move: saExpiresOn >= today, so
 * SA that ends today still counts. No SA date on record fails. Never
 * fixable by mail: the system must be registered or its SA renewed first.
 */
export function checkTargetSa(req: AltigenRequest, snap: RegistrySnapshot, clock: Clock): Finding[] {
  const key = req.registryCase.systemKey;
  const system = targetSystem(req, snap);
  const today = dayOf(clock.now());
  const renew = `Once it is, open a new case for the move.`;
  if (!system) {
    return [
      finalFail(
        'ALT-1',
        `System ${key}, which the licenses would move to, is not registered with us. Licenses can only move to a registered system. ${renew}`,
      ),
    ];
  }
  if (!system.registered) {
    return [
      finalFail(
        'ALT-1',
        `System ${system.key}, which the licenses would move to, is not registered. Register the system first; licenses can only move to a registered system. ${renew}`,
      ),
    ];
  }
  if (system.program !== 'altigen') {
    return [
      finalFail('ALT-1', `System ${system.key} is not an AltiGen system, so AltiGen licenses cannot move to it.`),
    ];
  }
  if (system.disabled) {
    return [finalFail('ALT-1', `System ${system.key} is disabled and can no longer receive licenses.`)];
  }
  const sa = system.saExpiresOn;
  if (!sa) {
    return [
      finalFail(
        'ALT-1',
        `System ${system.key} has no software assurance (SA) on record. Licenses can only move to a system on active SA. Buy SA for ${system.key} first. ${renew}`,
      ),
    ];
  }
  if (sa < today) {
    return [
      finalFail(
        'ALT-1',
        `The software assurance (SA) of system ${system.key} ended on ${sa}. Licenses can only move to a system on active SA on the day of the move (${today}). Renew the SA of ${system.key} first. ${renew}`,
      ),
    ];
  }
  return [pass('ALT-1', `System ${system.key} is registered and its software assurance runs until ${sa}.`)];
}
