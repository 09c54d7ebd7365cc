/**
 * Writes the desk's blank forms (docs/forms.md) as fillable AcroForm PDFs with
 * pdf-lib: a visible title, a label per field, the widgets, `form_id` pre-set
 * and read-only. The output is deterministic (no dates, no random IDs), so
 * the committed files in templates/forms/ only change when the specs do.
 *
 * Every page is also made to be read back from paper (DSK-9): a QR code
 * beside the title (form id, version, page and, on a pre-filled form, the case
 * number), a solid mark at each corner, a clear frame around each field box
 * and a signature box. formLayout gives the reader where all of these are.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, PDFFont, PDFHexString, PDFName, PDFPage, StandardFonts, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import { QR_SIZE, cornerMarks, qrText, type Box, type FieldBox, type PageLayout } from './paper-marks.js';
import { FORM_IDS, type FormId } from './types.js';
import { FORM_SPECS, type FieldSpec, type FormSpec } from './specs.js';

const PAGE_W = 595.28; // A4
const PAGE_H = 841.89;
const MARGIN = 40;
const LABEL_W = 215;
const WIDGET_X = MARGIN + LABEL_W + 15;
const WIDGET_W = PAGE_W - MARGIN - WIDGET_X;
const LABEL_SIZE = 9;
const NAME_SIZE = 7;
const LINE = 11;

export interface BlankOptions {
  /** A pre-filled form's case number, carried by its QR code. */
  caseNumber?: string;
}

/** The bytes of one blank form. Same specs (and case number), same bytes. */
export async function blankFormBytes(formId: FormId, opts: BlankOptions = {}): Promise<Uint8Array> {
  const spec = FORM_SPECS[formId];
  if (!spec) throw new Error(`unknown form id: ${String(formId)}`);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`${spec.title} (${spec.id})`, { showInWindowTitleBar: true });
  doc.setSubject(`Licensedesk form ${spec.id}`);
  doc.setCreator('licensedesk');
  doc.setProducer('licensedesk forms/blank-writer (pdf-lib)');
  const { regular } = await drawForm(doc, spec, opts, true);
  // Appearances are generated with the embedded Helvetica so every viewer shows the values.
  doc.getForm().updateFieldAppearances(regular);
  return doc.save({ useObjectStreams: false });
}

const layouts = new Map<FormId, Promise<PageLayout>>();

/** Where the QR code, the corner marks and every field box of `formId` sit on its page (computed once). */
export function formLayout(formId: FormId): Promise<PageLayout> {
  let layout = layouts.get(formId);
  if (!layout) {
    layout = PDFDocument.create({ updateMetadata: false }).then(
      async (doc) => (await drawForm(doc, FORM_SPECS[formId], {}, false)).layout,
    );
    layouts.set(formId, layout);
  }
  return layout;
}

async function drawForm(
  doc: PDFDocument,
  spec: FormSpec,
  opts: BlankOptions,
  widgets: boolean,
): Promise<{ regular: PDFFont; layout: PageLayout }> {
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([PAGE_W, PAGE_H]);
  const form = doc.getForm();
  const layout: PageLayout = {
    formId: spec.id,
    page: 1,
    pageW: PAGE_W,
    pageH: PAGE_H,
    boxes: [],
    signature: { x: 0, y: 0, width: 0, height: 0 },
    qr: { x: PAGE_W - MARGIN - QR_SIZE, y: PAGE_H - MARGIN - QR_SIZE + 8, width: QR_SIZE, height: QR_SIZE },
    marks: cornerMarks(PAGE_W, PAGE_H),
    labels: [],
  };
  for (const m of layout.marks) page.drawRectangle({ ...m, color: rgb(0, 0, 0) });
  drawQr(page, qrText({ formId: spec.id, page: 1, caseNumber: opts.caseNumber }), layout.qr);

  const textW = PAGE_W - 2 * MARGIN - QR_SIZE - 12;
  let y = PAGE_H - MARGIN - 16;
  for (const part of wrap(spec.title, bold, 16, textW)) {
    page.drawText(part, { x: MARGIN, y, size: 16, font: bold });
    y -= 18;
  }
  y += 2;
  for (const line of [
    `Form ${spec.id}. Fill in the fields and email this PDF with the case number in the subject, or print it, sign it and send a scan, a photo or a fax of it.`,
    'Fields marked * are required. Dates as YYYY-MM-DD. Never write a card security code anywhere on a form.',
  ]) {
    for (const part of wrap(line, regular, LABEL_SIZE, textW)) {
      page.drawText(part, { x: MARGIN, y, size: LABEL_SIZE, font: regular, color: rgb(0.25, 0.25, 0.25) });
      y -= LINE;
    }
  }
  y = Math.min(y, layout.qr.y - 6) - 10;

  for (const field of spec.fields) {
    y = drawRow(page, form, spec, field, y, regular, bold, layout, widgets);
  }
  // The signature box: on paper it counts as signed when it holds ink (docs/forms.md "On paper").
  const sigH = 34;
  page.drawText('Signature (on paper)', { x: MARGIN, y: y - LABEL_SIZE, size: LABEL_SIZE, font: bold });
  layout.signature = { x: WIDGET_X, y: y - sigH, width: WIDGET_W, height: sigH };
  drawFrame(page, layout.signature);
  y -= sigH + 10;
  if (y < MARGIN) throw new Error(`form ${spec.id} does not fit on one page`);
  return { regular, layout };
}

/** The QR code drawn as vector squares (crisp at any print resolution). */
function drawQr(page: PDFPage, text: string, box: Box): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = box.width / n;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      page.drawRectangle({
        x: box.x + c * cell,
        y: box.y + box.height - (r + 1) * cell,
        width: cell,
        height: cell,
        color: rgb(0, 0, 0),
      });
    }
  }
}

/** A clear frame 1.5 pt outside a box, so the box's ink can be read inside it. */
function drawFrame(page: PDFPage, b: Box): void {
  page.drawRectangle({
    x: b.x - 1.5,
    y: b.y - 1.5,
    width: b.width + 3,
    height: b.height + 3,
    borderColor: rgb(0, 0, 0),
    borderWidth: 0.8,
  });
}

/** Writes the six blank forms into `dir` as `<form-name>-v1.pdf`; returns the paths written. */
export async function writeBlankForms(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const id of FORM_IDS) {
    const path = join(dir, FORM_SPECS[id].fileName);
    await writeFile(path, await blankFormBytes(id));
    written.push(path);
  }
  return written;
}

function drawRow(
  page: PDFPage,
  form: ReturnType<PDFDocument['getForm']>,
  spec: FormSpec,
  field: FieldSpec,
  top: number,
  regular: PDFFont,
  bold: PDFFont,
  layout: PageLayout,
  widgets: boolean,
): number {
  const widgetH = field.kind === 'multiline' ? 90 : field.kind === 'checkbox' ? 14 : 18;
  const marker = field.required
    ? ' *'
    : field.requiredWhen
      ? ` * (when ${field.requiredWhen.field} is ${field.requiredWhen.equals})`
      : '';
  const labelLines = wrap(capitalise(field.label) + marker, bold, LABEL_SIZE, LABEL_W);
  const labelH = labelLines.length * LINE + NAME_SIZE + 3;
  const rowH = Math.max(widgetH, labelH);

  let ly = top - LABEL_SIZE;
  for (const line of labelLines) {
    page.drawText(line, { x: MARGIN, y: ly, size: LABEL_SIZE, font: bold });
    ly -= LINE;
  }
  // The field's exact name, for partners who fill the form with a script.
  page.drawText(field.name, { x: MARGIN, y: ly + 2, size: NAME_SIZE, font: regular, color: rgb(0.4, 0.4, 0.4) });
  layout.labels.push({ name: field.name, x: MARGIN, y: ly + 2 });

  const rect = {
    x: WIDGET_X,
    y: top - widgetH,
    width: field.kind === 'checkbox' ? 14 : WIDGET_W,
    height: widgetH,
    font: regular,
  };
  const box: FieldBox = {
    name: field.name,
    kind: field.kind,
    x: rect.x,
    y: rect.y,
    width: rect.width,
    height: rect.height,
  };
  layout.boxes.push(box);
  drawFrame(page, box);
  if (!widgets) return top - rowH - 10;
  const tooltip = `${capitalise(field.label)} (${field.name})`;
  switch (field.kind) {
    case 'text':
    case 'multiline': {
      const tf = form.createTextField(field.name);
      if (field.kind === 'multiline') tf.enableMultiline();
      tf.addToPage(page, rect);
      tf.setFontSize(10);
      if (field.name === 'form_id') {
        tf.setText(spec.id);
        tf.enableReadOnly();
      }
      tf.acroField.dict.set(PDFName.of('TU'), PDFHexString.fromText(tooltip));
      break;
    }
    case 'dropdown': {
      const dd = form.createDropdown(field.name);
      dd.addOptions([...(field.options ?? [])]);
      dd.addToPage(page, rect);
      dd.setFontSize(10);
      dd.acroField.dict.set(PDFName.of('TU'), PDFHexString.fromText(tooltip));
      break;
    }
    case 'checkbox': {
      const cb = form.createCheckBox(field.name);
      cb.addToPage(page, rect);
      cb.acroField.dict.set(PDFName.of('TU'), PDFHexString.fromText(tooltip));
      break;
    }
  }
  return top - rowH - 10;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Greedy word wrap to `width` points. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    const candidate = current ? `${current} ${word}` : word;
    if (current && font.widthOfTextAtSize(candidate, size) > width) {
      lines.push(current);
      current = word;
    } else {
      current = candidate;
    }
  }
  if (current) lines.push(current);
  return lines;
}
