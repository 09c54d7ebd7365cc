/**
 * AUD-1: licenses are bound to a machine; a move takes only licenses now
 * bound to the old machine. Reads the License Transfer Form's license_keys and
 * plans one move per key.
 */
import { licensesOn, type RegistrySnapshot, type System } from '../../registry-model.js';
import { parseKeyLine } from '../../key-line.js';
import { fixableFail, info, pass, type Finding } from '../../finding.js';
import type { PlannedLicenseMove } from '../../program-plan.js';
import { findLicense, listWords, sameKey, sendAgain } from './lookup.js';
import { TRANSFER_FORM, type AudiumRequest } from './request.js';

export interface MoveCheck {
  findings: Finding[];
  moves: PlannedLicenseMove[];
  /** True when every listed key is on the old machine and both machines are known. */
  complete: boolean;
}

/**
 * AUD-1 for the keys listed. An unreadable line, an unknown or forfeited key,
 * or a key bound to another machine is fixable. Keys left on the old machine
 * are reported (they stay bound to it). No finding while the form, the old
 * machine or the keys are missing (DSK-6 and checkMachines report those).
 */
export function checkMoves(
  req: AudiumRequest,
  snap: RegistrySnapshot,
  old: System | undefined,
  next: System | undefined,
): MoveCheck {
  const ltf = req.forms[TRANSFER_FORM];
  const lines = (ltf?.licenseKeys ?? []).map((l) => l.trim()).filter((l) => l !== '');
  if (!ltf || !old || lines.length === 0) return { findings: [], moves: [], complete: false };
  const resend = `Correct license_keys on the License Transfer Form (one license key a line) and ${sendAgain(req)}.`;
  const findings: Finding[] = [];
  const moves: PlannedLicenseMove[] = [];
  let complete = next !== undefined;
  for (const raw of lines) {
    const key = parseKeyLine(raw)?.key;
    const license = key ? findLicense(snap, key) : undefined;
    if (!key) {
      complete = false;
      findings.push(
        fixableFail('AUD-1', `We cannot read the license_keys line "${raw}". Each line holds one license key.`, resend),
      );
    } else if (!license) {
      complete = false;
      findings.push(
        fixableFail(
          'AUD-1',
          `We cannot find license key ${key} in our records. Please check it; it may be mistyped.`,
          resend,
        ),
      );
    } else if (license.forfeited) {
      complete = false;
      findings.push(
        fixableFail(
          'AUD-1',
          `License key ${license.key} was forfeited and can no longer be moved.`,
          `Remove ${license.key} from license_keys. ${resend}`,
        ),
      );
    } else if (!sameKey(license.systemKey, old.key)) {
      complete = false;
      findings.push(
        fixableFail(
          'AUD-1',
          `License key ${license.key} is bound to machine ${license.systemKey}, not to machine ${old.key}, the machine the licenses leave. Only licenses bound to the old machine can move with it.`,
          `List only keys bound to ${old.key}, or correct from_system_key. ${resend}`,
        ),
      );
    } else if (next && !moves.some((m) => m.licenseKey === license.key)) {
      moves.push({
        licenseKey: license.key,
        from: old.key,
        to: next.key,
        sku: license.sku,
        quantity: license.quantity,
      });
    }
  }
  if (findings.length === 0 && next && moves.length > 0) {
    findings.push(
      pass(
        'AUD-1',
        `License key${moves.length === 1 ? '' : 's'} ${listWords(moves.map((m) => `${m.licenseKey} (${m.quantity} × ${m.sku})`))} ${moves.length === 1 ? 'is' : 'are'} bound to machine ${old.key} and move${moves.length === 1 ? 's' : ''} to machine ${next.key}.`,
      ),
    );
    const moved = new Set(moves.map((m) => m.licenseKey));
    const staying = licensesOn(snap, old.key)
      .filter((l) => !moved.has(l.key))
      .map((l) => l.key);
    if (staying.length > 0) {
      findings.push(
        info(
          'AUD-1',
          `License key${staying.length === 1 ? '' : 's'} ${listWords(staying)} ${staying.length === 1 ? 'is' : 'are'} not listed and stay${staying.length === 1 ? 's' : ''} bound to machine ${old.key}.`,
        ),
      );
    }
  }
  return { findings, moves, complete: complete && moves.length > 0 };
}
