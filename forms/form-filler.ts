/**
 * Fills the desk's own blank forms with pdf-lib, the way a partner's tool
 * would: used by the demo, the benchmark and the tests.
 */
import { PDFCheckBox, PDFDocument, PDFDropdown, PDFTextField, type SaveOptions } from 'pdf-lib';
import { blankFormBytes } from './blank-writer.js';
import type { FormId } from './types.js';

/** `save`: pdf-lib's save options (the benchmark writes objects uncompressed to vary field values cheaply). */
export async function fillForm(
  formId: FormId,
  values: Record<string, string | boolean>,
  save: SaveOptions = {},
): Promise<Uint8Array> {
  // A pre-filled form's QR code carries its case number (DSK-9: a faxed form is filed by it).
  const caseNumber =
    typeof values.case_number === 'string' && /^\d{6,10}$/.test(values.case_number) ? values.case_number : undefined;
  const pdf = await PDFDocument.load(await blankFormBytes(formId, { caseNumber }));
  const form = pdf.getForm();
  for (const [name, value] of Object.entries(values)) {
    const field = form.getField(name);
    if (field instanceof PDFCheckBox) {
      if (value === true) field.check();
      else field.uncheck();
    } else if (field instanceof PDFDropdown) {
      field.select(String(value));
    } else if (field instanceof PDFTextField) {
      field.setText(String(value));
    } else {
      throw new Error(`fillForm: ${name} is not a field this filler knows`);
    }
  }
  return pdf.save(save);
}
