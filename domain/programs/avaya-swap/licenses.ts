/**
 * SWP-5: every license on the FROM key must be current and orderable;
 * End-of-Sale licenses do not go to a key that already holds licenses: they
 * are forfeited if the form accepts it. SWP-8: all licenses move or are
 * forfeited, never part. SWP-3: the FROM key is disabled on completion.
 */
import { licensesOn, type License, type RegistrySnapshot, type System } from '../../registry-model.js';
import { finalFail, fixableFail, hold, info, pass, type Finding } from '../../finding.js';
import type { PlannedLicenseMove } from '../../program-plan.js';
import { listWords, replyOnCase } from './lookup.js';
import { SWAP_FORM, type SwapRequest } from './request.js';

export interface LicenseCheck {
  findings: Finding[];
  /** Every license that leaves FROM for TO (empty unless the SWAP is whole). */
  moves: PlannedLicenseMove[];
  /** Every End-of-Sale license forfeited (empty unless the SWAP is whole). */
  forfeit: Array<{ licenseKey: string; from: string }>;
  /** True when every license on FROM is either moved or forfeited (SWP-8). */
  whole: boolean;
}

const described = (l: License): string => `${l.key} (${l.quantity} × ${l.sku})`;

/**
 * SWP-5 and SWP-8 for a known FROM. `to` is the TO system when known; without
 * it the End-of-Sale question cannot be answered and the SWAP is not whole.
 * A license whose SKU is not in the catalog is held for a rep and planned to
 * move (if the rep approves, it moves like the others, never left behind).
 */
export function checkSwapLicenses(
  req: SwapRequest,
  snap: RegistrySnapshot,
  from: System,
  to: System | undefined,
): LicenseCheck {
  const form = req.forms[SWAP_FORM];
  const onFrom = licensesOn(snap, from.key);
  if (onFrom.length === 0) {
    return {
      findings: [finalFail('SWP-8', `There is nothing to SWAP: FK/SID ${from.key} holds no licenses.`)],
      moves: [],
      forfeit: [],
      whole: false,
    };
  }
  const findings: Finding[] = [];
  const moving: License[] = [];
  const forfeiting: License[] = [];
  const unresolved: License[] = [];
  const unknown: License[] = [];
  const eos: License[] = [];
  for (const l of onFrom) {
    const item = snap.catalog.get(l.sku);
    if (!item) {
      unknown.push(l);
      moving.push(l);
    } else if (item.lifecycle === 'end-of-sale') eos.push(l);
    else moving.push(l);
  }
  for (const l of unknown) {
    findings.push(
      hold(
        'SWP-5',
        `License ${described(l)} on ${from.key} is of a product that is not in our catalog, so we cannot tell whether it is current and orderable. A rep will check it before the SWAP; if approved, it moves with the other licenses.`,
      ),
    );
  }
  if (eos.length > 0) {
    const list = listWords(eos.map(described));
    const are = eos.length === 1 ? 'is' : 'are';
    if (!to) {
      unresolved.push(...eos);
    } else {
      const onTo = licensesOn(snap, to.key);
      if (onTo.length === 0) {
        moving.push(...eos);
        findings.push(
          info(
            'SWP-5',
            `${list} on ${from.key} ${are} End-of-Sale. ${to.key} holds no licenses yet, so ${eos.length === 1 ? 'it moves' : 'they move'} with the others.`,
          ),
        );
      } else if (form?.ackEosForfeit) {
        forfeiting.push(...eos);
        findings.push(
          info(
            'SWP-5',
            `${list} on ${from.key} ${are} End-of-Sale and ${to.key} already holds licenses, so ${eos.length === 1 ? 'it is' : 'they are'} not transferred. As the form accepts it (ack_eos_forfeit is ticked), ${eos.length === 1 ? 'it is' : 'they are'} forfeited when the SWAP completes.`,
          ),
        );
      } else {
        unresolved.push(...eos);
        findings.push(
          fixableFail(
            'SWP-5',
            `${list} on ${from.key} ${are} End-of-Sale, and ${to.key} already holds ${onTo.length} license${onTo.length === 1 ? '' : 's'}. End-of-Sale licenses are not transferred to an FK/SID that already holds licenses: the SWAP can go ahead only if you accept that they are forfeited.`,
            `If you still want the SWAP, tick ack_eos_forfeit on the License SWAP Request Form (the End-of-Sale licenses are then forfeited and lost) and ${replyOnCase(req)}; if you do not want to lose them, do not SWAP.`,
          ),
        );
      }
    }
  }
  if (unknown.length === 0 && eos.length === 0) {
    findings.push(
      pass('SWP-5', `Every license on ${from.key} is current and orderable: ${listWords(onFrom.map(described))}.`),
    );
  }

  const whole = unresolved.length === 0 && to !== undefined;
  if (!whole) return { findings, moves: [], forfeit: [], whole: false };
  findings.push(
    pass(
      'SWP-8',
      `All ${onFrom.length} license${onFrom.length === 1 ? '' : 's'} on ${from.key} are accounted for: ${moving.length} move${moving.length === 1 ? 's' : ''} to ${to.key}` +
        `${forfeiting.length > 0 ? `, ${forfeiting.length} ${forfeiting.length === 1 ? 'is' : 'are'} forfeited` : ''}; nothing stays on ${from.key} (no partial SWAP).`,
    ),
  );
  return {
    findings,
    moves: moving.map((l) => ({ licenseKey: l.key, from: from.key, to: to.key, sku: l.sku, quantity: l.quantity })),
    forfeit: forfeiting.map((l) => ({ licenseKey: l.key, from: from.key })),
    whole: true,
  };
}

/** SWP-3: the FROM FK/SID is disabled when the SWAP completes. */
export function disableFinding(from: System): Finding {
  return info(
    'SWP-3',
    `When the SWAP completes, FK/SID ${from.key} is disabled by Avaya: it can no longer be used or changed, and nothing can be added to it afterwards.`,
  );
}
