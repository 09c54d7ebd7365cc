/**
 * SWP-7: a SWAP from a physical server needs a valid, approved RMA number
 * given with the request; afterwards that server is no longer fully
 * operational. Whether the FROM is physical also decides SWP-6.
 */
import type { System } from '../../registry-model.js';
import { fixableFail, hold, info, pass, type Finding } from '../../finding.js';
import { resendForm } from './lookup.js';
import { SWAP_FORM, type SwapRequest } from './request.js';

/** Letters, digits and dashes, at least 5 characters, starting and ending with a letter or digit. */
const RMA_RE = /^[A-Z0-9][A-Z0-9-]{3,}[A-Z0-9]$/i;

/** An RMA number's shape (the desk cannot see whether it was approved). */
export function isRmaNumber(value: string | undefined): boolean {
  return value !== undefined && RMA_RE.test(value.trim()) && /[0-9]/.test(value);
}

export interface PlatformCheck {
  findings: Finding[];
  /** True when the form or the registry says physical; undefined when neither says. */
  physical?: boolean;
}

/**
 * SWP-7. `from` is the registry FROM system when SWP-4 found it. The form's
 * from_platform and the registry's platform disagreeing is held for a rep;
 * either saying physical makes the FROM physical (the safe reading). No
 * finding while neither says (DSK-6 asks for from_platform).
 */
export function checkSwapPlatform(req: SwapRequest, from: System | undefined): PlatformCheck {
  const form = req.forms[SWAP_FORM];
  if (!form) return { findings: [] };
  const findings: Finding[] = [];
  const typed = form.fromPlatform;
  const recorded = from?.platform;
  const name = from?.key ?? form.fromFkSid?.trim() ?? 'the FROM system';
  if (typed && recorded && typed !== recorded) {
    findings.push(
      hold(
        'SWP-7',
        `The form gives the platform of ${name} as ${typed}, but our records show ${recorded}. A rep will confirm it; it is treated as physical until then (an RMA number is needed and the feature key must be returned).`,
      ),
    );
  }
  const physical =
    typed === 'physical' || recorded === 'physical'
      ? true
      : typed === 'virtual' || recorded === 'virtual'
        ? false
        : undefined;
  if (physical === undefined) return { findings };
  if (!physical) {
    findings.push(pass('SWP-7', `${name} is a virtual system, so no RMA number is needed.`));
    return { findings, physical };
  }
  const rma = form.rmaNumber?.trim();
  const fix = resendForm(req, 'the RMA number in rma_number');
  if (!rma) {
    findings.push(
      fixableFail(
        'SWP-7',
        `${name} is a physical server. A SWAP from a physical server needs a valid RMA approval from ScanSource Communications or Avaya before the request, and its RMA number must be given with the request; the form has no rma_number.`,
        `Obtain the RMA approval first, then ${fix.charAt(0).toLowerCase()}${fix.slice(1)}`,
      ),
    );
  } else if (!isRmaNumber(rma)) {
    findings.push(
      fixableFail(
        'SWP-7',
        `The RMA number "${rma}" given for the physical server ${name} is not a valid RMA number (letters, digits and dashes, at least 5 characters, with at least one digit).`,
        resendForm(req, 'the approved RMA number, exactly as issued, in rma_number'),
      ),
    );
  } else {
    findings.push(pass('SWP-7', `RMA number ${rma} is given for the SWAP from the physical server ${name}.`));
  }
  findings.push(
    info(
      'SWP-7',
      `After the SWAP the physical server ${name} will not be fully operational: once its SID is disabled, license changes can no longer be applied to it.`,
    ),
  );
  return { findings, physical };
}
