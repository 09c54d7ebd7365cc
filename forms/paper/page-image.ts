/**
 * One page image of a desk form read back (DSK-9): the QR code found
 * (zbarimg: form, page, case number and which way up the page is), the
 * corner marks found and the page aligned to the form's boxes by them (an
 * affine fit, so a tilted phone photo or a fax's unequal resolutions are
 * placed too), then each box read: text by OCR, checkboxes and the
 * signature by ink. Every value carries a confidence; the crops of the boxes
 * go with them for a rep to look at (never those of card data, DSK-5).
 */
import { formLayout } from '../blank-writer.js';
import { FORM_SPECS, isFormId } from '../specs.js';
import type { FieldValue, FormId } from '../types.js';
import { MARK_SIZE, parseQrText, type FieldBox, type QrPayload } from '../paper-marks.js';
import { cardFieldsOf } from '../prefill.js';
import {
  cornerWindows,
  cut,
  findCornerMarks,
  fitAffine,
  inkMask,
  inkShare,
  normalise,
  parsePgm,
  toPng,
  type Grey,
  type Point,
} from './pixels.js';
import { ocrBoxes, type OcrItem, type OcrText } from './ocr.js';
import { dirname } from 'node:path';
import { TOOL, runTool } from './tools.js';

export interface PaperField {
  name: string;
  value: FieldValue;
  /** 0..1. */
  confidence: number;
}

export interface PaperPage {
  formId: FormId;
  page: number;
  /** From the QR code of a pre-filled form. */
  caseNumber?: string;
  source: 'image' | 'text';
  fields: PaperField[];
  /** Ink in the signature box (undefined: not looked at, e.g. a page read from its text). */
  signed?: boolean;
  /** Field name → grey PNG of its box (base64). Never for card data. */
  crops: Record<string, string>;
  /** CPU milliseconds this page took (the reader's and its tools'). */
  cpuMs?: number;
}

/** Why a page could not be placed. */
export type Unplaced = { unplaced: 'no-code' | 'no-marks' | 'unknown-form' | 'misaligned' };

/** Crops are cut at this resolution (300 dpi): tesseract reads 10 pt text best at about 40 px a line. */
const PX_PER_PT = 300 / 72;
/** A box with less ink than this (square points; one printed "1" is about 4) holds no value. */
const EMPTY_INK_PT2 = 1.5;

/** QR payload and orientation of a page image, by zbarimg. */
export async function findCode(
  pgmPath: string,
  deadline: number,
): Promise<{ qr: QrPayload; turns: number } | undefined> {
  const { stdout } = await runTool(TOOL.zbarimg, ['--xml', '-q', '-Sdisable', '-Sqrcode.enable', pgmPath], {
    deadline,
    okStatus: [4],
  });
  const xml = stdout.toString('utf8');
  for (const m of xml.matchAll(/<symbol[^>]*orientation='(\w+)'[^>]*><data><!\[CDATA\[([^\]]*)\]\]><\/data>/g)) {
    const qr = parseQrText(m[2] ?? '');
    if (!qr) continue;
    const turns = { UP: 0, RIGHT: 1, DOWN: 2, LEFT: 3 }[m[1] ?? 'UP'] ?? 0;
    return { qr, turns };
  }
  return undefined;
}

/** Reads one page image (a PGM file) of a desk form. */
export async function readPageImage(pgmPath: string, pgm: Buffer, deadline: number): Promise<PaperPage | Unplaced> {
  const code = await findCode(pgmPath, deadline);
  if (!code) return { unplaced: 'no-code' };
  if (!isFormId(code.qr.formId)) return { unplaced: 'unknown-form' };
  const formId = code.qr.formId;
  const layout = await formLayout(formId);
  const img = parsePgm(pgm);
  const mask = inkMask(img, cornerWindows(img));
  const sideways = code.turns % 2 === 1;
  const pxPerPtGuess = (sideways ? img.h : img.w) / layout.pageW;
  const found = findCornerMarks(img, mask, MARK_SIZE * pxPerPtGuess);
  if (!found) return { unplaced: 'no-marks' };
  // Image corners in order TL, TR, BR, BL; turned `turns` quarter turns clockwise, form corner i is at image corner i + turns.
  const formMarks: Point[] = layout.marks.map((m) => ({
    x: m.x + m.width / 2,
    y: layout.pageH - (m.y + m.height / 2),
  }));
  const imageMarks = formMarks.map((_, i) => found[(i + code.turns) % 4]!);
  const t = fitAffine(formMarks, imageMarks);
  // Four points fit by six numbers: a mark found in the wrong place shows as a residual.
  const scale = Math.hypot(t[0], t[3]);
  const worst = Math.max(
    ...formMarks.map((p, i) => {
      const q = imageMarks[i]!;
      return Math.hypot(t[0] * p.x + t[1] * p.y + t[2] - q.x, t[3] * p.x + t[4] * p.y + t[5] - q.y) / scale;
    }),
  );
  if (worst > 6) return { unplaced: 'misaligned' };

  const spec = FORM_SPECS[formId];
  const secret = new Set(cardFieldsOf(formId).filter((n) => spec.fields.find((f) => f.name === n)?.sensitive));
  const fields: PaperField[] = [];
  const crops: Record<string, string> = {};
  const region = (b: { x: number; y: number; width: number; height: number }, inset: number): Grey =>
    cut(
      img,
      t,
      { x: b.x + inset, y: layout.pageH - (b.y + b.height) + inset },
      b.width - 2 * inset,
      b.height - 2 * inset,
      PX_PER_PT,
    );
  const pending: Array<{ box: FieldBox; options?: readonly string[]; item: OcrItem }> = [];
  for (const box of layout.boxes) {
    const fs = spec.fields.find((f) => f.name === box.name);
    if (!fs) continue;
    const crop = region(box, box.kind === 'checkbox' ? 2.5 : 2);
    if (!secret.has(box.name)) crops[box.name] = toPng(crop).toString('base64');
    const byInk = readByInk(box, crop);
    if (byInk) fields.push(byInk);
    else
      pending.push({
        box,
        options: fs.options,
        item: { img: normalise(crop), format: fs.format, multiline: box.kind === 'multiline' },
      });
  }
  const texts = await ocrBoxes(
    pending.map((p) => p.item),
    dirname(pgmPath),
    deadline,
  );
  pending.forEach((p, i) => fields.push(fromText(p.box, p.options, texts[i]!)));
  const signed = inkShare(region(layout.signature, 2)) > 0.01;
  return {
    formId,
    page: code.qr.page,
    ...(code.qr.caseNumber ? { caseNumber: code.qr.caseNumber } : {}),
    source: 'image',
    fields,
    signed,
    crops,
  };
}

/** A checkbox, or a box empty of ink: read without OCR. */
function readByInk(box: FieldBox, crop: Grey): PaperField | undefined {
  const ink = inkShare(crop);
  if (box.kind === 'checkbox') {
    // A tick or a cross fills far more of the box than speckle does; in between is for a rep.
    if (ink > 0.1) return { name: box.name, value: true, confidence: 0.99 };
    if (ink < 0.025) return { name: box.name, value: false, confidence: 0.99 };
    return { name: box.name, value: ink > 0.06, confidence: 0.5 };
  }
  // Empty only when next to no ink at all; a little ink (one short key in a large box, a faint mark) is read,
  // and what reads as nothing there is uncertain.
  const inkPt2 = (ink * crop.w * crop.h) / (PX_PER_PT * PX_PER_PT);
  if (inkPt2 < EMPTY_INK_PT2) return { name: box.name, value: '', confidence: inkPt2 < 0.2 ? 0.97 : 0.5 };
  return undefined;
}

function fromText(box: FieldBox, options: readonly string[] | undefined, read: OcrText): PaperField {
  if (!read.text) return { name: box.name, value: '', confidence: 0 }; // ink, but nothing OCR can read: a rep's
  if (box.kind === 'dropdown' && options) {
    const exact = options.find((o) => o.toLowerCase() === read.text.replace(/\s+/g, '').toLowerCase());
    return exact
      ? { name: box.name, value: exact, confidence: read.confidence }
      : { name: box.name, value: read.text, confidence: Math.min(read.confidence, 0.4) };
  }
  return { name: box.name, value: read.text, confidence: read.confidence };
}
