/**
 * Intake's part for forms on paper (DSK-9): what the case keeps of a form
 * read from paper (each value's confidence, never card data), and where a fax
 * gateway's mail is filed (the case number its forms carry).
 */
import type { PaperRecord } from '../../domain/case-doc.js';
import { FORM_SPECS, isFormId } from '../../forms/specs.js';
import type { RawForm } from '../../forms/types.js';
import { quarantined, type MailFacts, type Outcome, type ReadForms } from '../../workflows/intake-steps.js';

/** The case's record of one form read from paper (or any form from a fax gateway). */
export function paperRecord(file: string, raw: RawForm, fax: boolean): PaperRecord {
  const spec = isFormId(raw.formId) ? FORM_SPECS[raw.formId] : undefined;
  const secret = new Set(spec?.fields.filter((f) => f.sensitive).map((f) => f.name) ?? []);
  const fields: PaperRecord['fields'] = [];
  for (const [name, value] of Object.entries(raw.fields)) {
    if (name === 'form_id') continue;
    const confidence = raw.paper?.confidence[name] ?? 1;
    // Card data is never kept as read (DSK-5): only how sure the reader was.
    fields.push(secret.has(name) ? { name, confidence } : { name, value, confidence });
  }
  return {
    file,
    formId: raw.formId,
    page: raw.paper?.page ?? 1,
    source: raw.paper?.source ?? 'text',
    ...(fax ? { fax: true } : {}),
    ...(raw.paper?.caseNumber ? { caseNumber: raw.paper.caseNumber } : {}),
    ...(raw.paper?.signed !== undefined ? { signed: raw.paper.signed } : {}),
    fields,
  };
}

/** The case a fax is for: the one case number its forms carry (QR code or `case_number` box). */
export function routeFax(mail: MailFacts, messageId: string, read: ReadForms): { caseNumber: string } | Outcome {
  const numbers = new Set<string>();
  for (const form of Object.values(read.forms) as Array<{ caseNumber?: unknown } | undefined>) {
    if (typeof form?.caseNumber === 'string' && /^\d{6,10}$/.test(form.caseNumber)) numbers.add(form.caseNumber);
  }
  for (const rec of read.paper ?? []) {
    if (rec.caseNumber) numbers.add(rec.caseNumber);
    const n = rec.fields.find((f) => f.name === 'case_number')?.value;
    if (typeof n === 'string' && /^\d{6,10}$/.test(n.trim())) numbers.add(n.trim());
  }
  if (numbers.size === 1) return { caseNumber: [...numbers][0]! };
  return quarantined(
    mail,
    messageId,
    'fax without one case number',
    `${mail.from}: the faxed forms carry ${numbers.size === 0 ? 'no case number' : `several case numbers (${[...numbers].join(', ')})`} (DSK-9)`,
    false,
  );
}
