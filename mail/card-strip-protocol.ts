/**
 * What passes between the desk and a card-strip child (mail/card-strip-child.ts): the
 * mail, intake's verdicts on the PDFs it read (SHA-256 → card / other) and why
 * the card form is removed; back comes the stripped mail, or the PDFs the child
 * has no verdict for (the desk reads them in a PDF child and asks again), or an
 * error code.
 */
import { createHash } from 'node:crypto';
import { CODES, type ErrorCode } from '../lib/errors.js';

export type CardPdfVerdict = 'card' | 'other';

/** A PDF's verdict key: the SHA-256 of its bytes (a name proves nothing). */
export const pdfDigest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface StripRequest {
  raw: Uint8Array;
  verdicts: Record<string, CardPdfVerdict>;
  /** Said in the text part that replaces the card form: "… from this message <why>: …". */
  why: string;
}

export type StripResult =
  | { ok: true; stripped: { raw: Uint8Array; removed: string[] } | null }
  | { ok: true; needVerdicts: Uint8Array[] }
  | { ok: false; error: { code: ErrorCode } };

export function isStripResult(x: unknown): x is StripResult {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as { ok?: unknown; stripped?: unknown; needVerdicts?: unknown; error?: { code?: unknown } };
  if (r.ok === true)
    return (
      r.stripped === null || (typeof r.stripped === 'object' && r.stripped !== null) || Array.isArray(r.needVerdicts)
    );
  return (
    r.ok === false && typeof r.error?.code === 'string' && Object.values(CODES).includes(r.error.code as ErrorCode)
  );
}

export const stripError = (code: ErrorCode): StripResult => ({ ok: false, error: { code } });

/** The text part left in place of what was removed (DSK-5). */
export function cardFormRemovedNote(removed: string[], why: string): string {
  return (
    `licensedesk removed ${removed.join(', ')} from this message ${why}: ` +
    'it carried a Credit Card Authorization form, or a PDF the desk could not read, and card data is not kept once it has been read (DSK-5). ' +
    "A case keeps only the card's last four digits and a payment token.\n"
  );
}
