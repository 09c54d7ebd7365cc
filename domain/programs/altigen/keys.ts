/**
 * ALT-3: a license key moves whole. Reads the License Transfer Form's
 * `license_keys` lines and plans one move per key found on the from system.
 */
import type { License, RegistrySnapshot } from '../../registry-model.js';
import { finalFail, fixableFail, hold, pass, type Finding } from '../../finding.js';
import { catalogItem, describeKey, findLicense, findSystem, listWords, normalKey, seatsOf } from './lookup.js';
import type { AltigenRequest, PlannedMove } from './request.js';
import { targetSystem } from './target.js';

export { parseKeyLine, type CountUnit, type KeyLine } from '../../key-line.js';
import { parseKeyLine, type CountUnit, type KeyLine } from '../../key-line.js';

export type Coverage = 'whole' | 'part' | 'more';

/**
 * Whether a requested count covers the whole key: seats are compared with
 * count × quantity, units with quantity; an unspecified number is whole when
 * it equals either, part when it is fewer than the seats, else more.
 */
export function coverage(requested: { count: number; unit: CountUnit }, seats: number, quantity: number): Coverage {
  const n = requested.count;
  switch (requested.unit) {
    case 'seats':
      return n === seats ? 'whole' : n < seats ? 'part' : 'more';
    case 'units':
      return n === quantity ? 'whole' : n < quantity ? 'part' : 'more';
    case 'unspecified':
      return n === seats || n === quantity ? 'whole' : n < seats ? 'part' : 'more';
  }
}

export interface KeyCheck {
  findings: Finding[];
  /** One move per distinct key found on the from system (the whole key). */
  moves: PlannedMove[];
  /** True when every line named a key on the from system (money can be computed). */
  complete: boolean;
}

/**
 * ALT-3. A line asking for part of a key is an unfixable fail; a key that is
 * unknown or not on the from system, an unreadable line, a count above what
 * the key carries, or no keys at all are fixable fails. No finding while the
 * License Transfer Form is missing.
 */
export function checkWholeKeys(req: AltigenRequest, snap: RegistrySnapshot): KeyCheck {
  const ltf = req.forms['license-transfer/v1'];
  if (!ltf) return { findings: [], moves: [], complete: false };
  const resend = `Send the License Transfer Form again with the corrected license_keys, with "[Case ${req.caseNumber}]" in the subject.`;
  const lines = ltf.licenseKeys.map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) {
    return {
      findings: [
        fixableFail(
          'ALT-3',
          'The License Transfer Form lists no license keys to move.',
          'Send the License Transfer Form again with the license keys to move, one a line, in license_keys, with ' +
            `"[Case ${req.caseNumber}]" in the subject.`,
        ),
      ],
      moves: [],
      complete: false,
    };
  }
  const fromKey = ltf.fromSystemKey?.trim();
  const from = findSystem(snap, fromKey);
  const to = targetSystem(req, snap);
  const toKey = to?.key ?? req.registryCase.systemKey;
  const findings: Finding[] = [];
  const moves: PlannedMove[] = [];
  const whole: string[] = [];
  let complete = from !== undefined;

  for (const raw of lines) {
    const parsed = parseKeyLine(raw);
    if (!parsed) {
      complete = false;
      findings.push(
        fixableFail(
          'ALT-3',
          `We cannot read the license_keys line "${raw}". Each line holds one license key, optionally followed by its number of stations.`,
          `Write one license key a line, e.g. "LK-7F3A-0001" or "LK-7F3A-0001 10". ${resend}`,
        ),
      );
      continue;
    }
    const license = findLicense(snap, parsed.key);
    if (!license) {
      complete = false;
      findings.push(
        fixableFail(
          'ALT-3',
          `We cannot find license key ${parsed.key} in our records. Please check it; it may be mistyped.`,
          resend,
        ),
      );
      continue;
    }
    if (!from) continue; // ALT-2 reports the unknown or missing from system.
    if (license.forfeited) {
      complete = false;
      findings.push(
        fixableFail(
          'ALT-3',
          `License key ${license.key} was forfeited and can no longer be moved.`,
          `Remove ${license.key} from license_keys. ${resend}`,
        ),
      );
      continue;
    }
    if (normalKey(license.systemKey) !== normalKey(from.key)) {
      complete = false;
      findings.push(
        fixableFail(
          'ALT-3',
          `License key ${license.key} is on system ${license.systemKey}, not on ${from.key}, the system the form moves licenses from.`,
          `List only keys now on ${from.key}, or correct from_system_key. ${resend}`,
        ),
      );
      continue;
    }
    const item = catalogItem(snap, license.sku);
    if (!item) {
      complete = false;
      findings.push(
        hold(
          'ALT-3',
          `License key ${license.key} is of product ${license.sku}, which is not in our catalog, so we cannot tell how many stations it carries. A rep will check it.`,
        ),
      );
    } else if (parsed.requested) {
      const seats = seatsOf(license, item);
      const c = coverage(parsed.requested, seats, license.quantity);
      if (c === 'part') {
        findings.push(
          finalFail(
            'ALT-3',
            `License key ${license.key} carries ${describeKey(license, item)}, but the form asks to move only ${describeRequest(parsed)} of it ("${parsed.line}"). ` +
              `A license key moves whole: all ${seats} or none; part of a key cannot stay on ${from.key}.`,
          ),
        );
      } else if (c === 'more') {
        findings.push(
          fixableFail(
            'ALT-3',
            `The form asks to move ${describeRequest(parsed)} on license key ${license.key} ("${parsed.line}"), but the key carries only ${describeKey(license, item)}.`,
            `Correct the line for ${license.key} (the key alone is enough: it moves whole). ${resend}`,
          ),
        );
      } else {
        whole.push(`${license.key} with ${describeKey(license, item)}`);
      }
    } else {
      whole.push(`${license.key} with ${describeKey(license, item)}`);
    }
    if (!moves.some((m) => m.licenseKey === license.key)) moves.push(moveOf(license, from.key, toKey));
  }

  if (findings.length === 0 && whole.length > 0) {
    findings.push(pass('ALT-3', `Every listed key moves whole: ${listWords(unique(whole))}.`));
  }
  return { findings, moves, complete: complete && moves.length > 0 };
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

function describeRequest(k: KeyLine): string {
  const r = k.requested;
  if (!r) return 'all';
  return r.unit === 'units' ? `${r.count} unit${r.count === 1 ? '' : 's'}` : `${r.count}`;
}

const moveOf = (license: License, from: string, to: string): PlannedMove => ({
  licenseKey: license.key,
  from,
  to,
  sku: license.sku,
  quantity: license.quantity,
});
