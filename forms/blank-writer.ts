/**
 * Writes the desk's blank forms (docs/forms.md) as fillable AcroForm PDFs with
 * pdf-lib: a visible title, a label per field, the widgets, `form_id` pre-set
 * and read-only. The output is deterministic (no dates, no random IDs), so
 * the committed files in templates/forms/ only change when the specs do.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, PDFFont, PDFHexString, PDFName, PDFPage, StandardFonts, rgb } from 'pdf-lib';
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

/** The bytes of one blank form. Same specs, same bytes. */
export async function blankFormBytes(formId: FormId): Promise<Uint8Array> {
  const spec = FORM_SPECS[formId];
  if (!spec) throw new Error(`unknown form id: ${String(formId)}`);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`${spec.title} (${spec.id})`, { showInWindowTitleBar: true });
  doc.setSubject(`Licensedesk form ${spec.id}`);
  doc.setCreator('licensedesk');
  doc.setProducer('licensedesk forms/blank-writer (pdf-lib)');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([PAGE_W, PAGE_H]);
  const form = doc.getForm();

  let y = PAGE_H - MARGIN - 16;
  page.drawText(spec.title, { x: MARGIN, y, size: 16, font: bold });
  y -= 16;
  for (const line of [
    `Form ${spec.id}. Fill in the fields and email this PDF (not a scan or a print) with the case number in the subject.`,
    'Fields marked * are required. Dates as YYYY-MM-DD. Never write a card security code anywhere on a form.',
  ]) {
    for (const part of wrap(line, regular, LABEL_SIZE, PAGE_W - 2 * MARGIN)) {
      page.drawText(part, { x: MARGIN, y, size: LABEL_SIZE, font: regular, color: rgb(0.25, 0.25, 0.25) });
      y -= LINE;
    }
  }
  y -= 10;

  for (const field of spec.fields) {
    y = drawRow(page, form, spec, field, y, regular, bold);
  }
  if (y < MARGIN) throw new Error(`form ${spec.id} does not fit on one page`);

  // Appearances are generated with the embedded Helvetica so every viewer shows the values.
  form.updateFieldAppearances(regular);
  return doc.save({ useObjectStreams: false });
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

  const rect = {
    x: WIDGET_X,
    y: top - widgetH,
    width: field.kind === 'checkbox' ? 14 : WIDGET_W,
    height: widgetH,
    font: regular,
  };
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
