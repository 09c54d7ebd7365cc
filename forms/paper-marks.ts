/**
 * What a page of the desk's forms carries so that it can be read back from
 * paper (DSK-9, docs/forms.md "On paper"): the text of its QR code and where
 * the code, the corner marks and the field boxes sit on the page. The writer
 * draws from these; the paper reader finds and aligns by them.
 */
import type { FieldKind } from './specs.js';

/** A rectangle in PDF points, origin at the page's bottom-left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FieldBox extends Box {
  name: string;
  kind: FieldKind;
}

/** Where things are on one page of a desk form (A4, points). */
export interface PageLayout {
  formId: string;
  page: number;
  pageW: number;
  pageH: number;
  /** Each field's widget rectangle (the frame drawn on the page is 1.5 pt outside it). */
  boxes: FieldBox[];
  /** The signature box (ink in it: signed). */
  signature: Box;
  qr: Box;
  /** Solid squares at the four corners: top-left, top-right, bottom-right, bottom-left. */
  marks: Box[];
  /** The small grey field names printed under each label (anchors for a page read from its text). */
  labels: Array<{ name: string; x: number; y: number }>;
}

/** The side of a corner mark, in points. */
export const MARK_SIZE = 14;
/** How far a corner mark sits from the page edges, in points. */
export const MARK_INSET = 20;
/** The QR code's side, in points. */
export const QR_SIZE = 64;

/** The four corner marks of an A4-sized page. */
export function cornerMarks(pageW: number, pageH: number): Box[] {
  const s = MARK_SIZE;
  const i = MARK_INSET;
  return [
    { x: i, y: pageH - i - s, width: s, height: s },
    { x: pageW - i - s, y: pageH - i - s, width: s, height: s },
    { x: pageW - i - s, y: i, width: s, height: s },
    { x: i, y: i, width: s, height: s },
  ];
}

/** What the QR code of a page says. */
export interface QrPayload {
  formId: string;
  page: number;
  caseNumber?: string;
}

const QR_PREFIX = 'licensedesk-form';

/** `licensedesk-form;license-transfer/v1;p1;c100001` (the case only on a pre-filled form). */
export function qrText(p: QrPayload): string {
  return [QR_PREFIX, p.formId, `p${p.page}`, ...(p.caseNumber ? [`c${p.caseNumber}`] : [])].join(';');
}

/** The payload of a code the desk printed, or undefined for any other code. */
export function parseQrText(text: string): QrPayload | undefined {
  const parts = text.trim().split(';');
  if (parts[0] !== QR_PREFIX || parts.length < 3 || parts.length > 4) return undefined;
  const formId = parts[1] ?? '';
  const page = /^p(\d{1,2})$/.exec(parts[2] ?? '');
  if (!/^[a-z-]{3,40}\/v\d{1,3}$/.test(formId) || !page) return undefined;
  const c = parts[3] === undefined ? undefined : /^c(\d{6,10})$/.exec(parts[3]);
  if (parts[3] !== undefined && !c) return undefined;
  return { formId, page: Number(page[1]), ...(c ? { caseNumber: c[1] } : {}) };
}
