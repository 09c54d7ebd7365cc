/**
 * ALT-2: source and target systems belong to the same end user, and that end
 * user is one of the case partner's. Licenses never move between end users.
 */
import type { RegistrySnapshot } from '../../registry-model.js';
import { finalFail, fixableFail, info, pass, type Finding } from '../../finding.js';
import { findSystem, normalKey } from './lookup.js';
import type { AltigenRequest } from './request.js';
import { targetSystem } from './target.js';

/**
 * Needs the License Transfer Form's from_system_key (no finding while it is
 * missing: ALT-6/DSK-6 say so). An unknown from system is fixable (likely a
 * typo); an unknown target is ALT-1's failure and not repeated here.
 */
export function checkOwnership(req: AltigenRequest, snap: RegistrySnapshot): Finding[] {
  const ltf = req.forms['license-transfer/v1'];
  const fromKey = ltf?.fromSystemKey?.trim();
  if (!ltf || !fromKey) return [];
  const resend = `Send the License Transfer Form again with the right from_system_key, with "[Case ${req.caseNumber}]" in the subject.`;
  const from = findSystem(snap, fromKey);
  if (!from) {
    return [
      fixableFail(
        'ALT-2',
        `We cannot find system ${fromKey} (the system the licenses leave) in our records. Please check the key; it may be mistyped.`,
        resend,
      ),
    ];
  }
  const to = targetSystem(req, snap);
  if (!to) return [];
  if (normalKey(from.key) === normalKey(to.key)) {
    return [
      fixableFail(
        'ALT-2',
        `The License Transfer Form moves licenses from ${from.key} to ${to.key}, which is the same system.`,
        resend,
      ),
    ];
  }
  const findings: Finding[] = [];
  if (from.endUserId !== to.endUserId) {
    const fromUser = snap.endUsers.get(from.endUserId)?.name ?? from.endUserId;
    const toUser = snap.endUsers.get(to.endUserId)?.name ?? to.endUserId;
    findings.push(
      finalFail(
        'ALT-2',
        `System ${from.key} belongs to end user ${fromUser} (${from.endUserId}) and system ${to.key} to end user ${toUser} (${to.endUserId}). ` +
          `Licenses can only move between systems of the same end user, never from one end user to another.`,
      ),
    );
    return findings;
  }
  const endUser = snap.endUsers.get(to.endUserId);
  const partnerId = req.registryCase.partnerId;
  if (!endUser || endUser.partnerId !== partnerId) {
    findings.push(
      finalFail(
        'ALT-2',
        `Systems ${from.key} and ${to.key} belong to end user ${endUser?.name ?? to.endUserId} (${to.endUserId}), who is not an end user of partner ${partnerId}, the partner of case ${req.caseNumber}. Only the end user's own partner can move these licenses.`,
      ),
    );
    return findings;
  }
  if (ltf.endUserId && normalKey(ltf.endUserId) !== normalKey(endUser.id)) {
    findings.push(
      info(
        'ALT-2',
        `The License Transfer Form names end user ${ltf.endUserId}; our records show ${from.key} and ${to.key} belong to ${endUser.name} (${endUser.id}). We go by our records.`,
      ),
    );
  }
  findings.push(
    pass(
      'ALT-2',
      `Systems ${from.key} and ${to.key} both belong to end user ${endUser.name} (${endUser.id}) of partner ${partnerId}.`,
    ),
  );
  return findings;
}
