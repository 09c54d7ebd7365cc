/**
 * The low-level reader against what partners' tools and mail really deliver:
 * odd checkbox states, array values, inherited and hierarchical fields,
 * incremental saves, flattened, encrypted, XFA, damaged, foreign and
 * many-page files, and security-code fields whose value must never come out
 * (DSK-5). Each unreadable kind is the reason of an incomplete reply (DSK-6).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString, StandardFonts } from 'pdf-lib';
import { blankFormBytes } from '../../forms/blank-writer.js';
import { MAX_PAGES, READ_ERROR_MESSAGES, looksLikeSecurityCode, readPdfForm } from '../../forms/pdf-reader.js';
import { typeForm } from '../../forms/typing.js';
import type { RawForm, ReadResult } from '../../forms/types.js';
import {
  SAMPLE_VALUES,
  appendIncrementalUpdate,
  encryptWithQpdf,
  fillWithPdfLib,
  lowLevel,
  pdftkFieldValues,
  qpdfCheck,
  requireTool,
  saveClassic,
} from '../fixtures/forms/tools.js';
import { flattenedForm, formWithBlankPages, xfaOnlyPdf } from '../fixtures/forms/bad-pdfs.js';

const V = PDFName.of('V');
const LT = 'license-transfer/v1' as const;

async function filledLicenseTransfer(over: Record<string, string | boolean> = {}): Promise<Uint8Array> {
  return fillWithPdfLib(await blankFormBytes(LT), LT, { ...SAMPLE_VALUES[LT], ...over });
}

async function readOk(pdf: Uint8Array): Promise<RawForm> {
  const r = await readPdfForm(pdf);
  if (!r.ok) throw new Error(`unreadable: ${r.error.code} ${r.error.message}`);
  return r.form;
}

function expectError(r: ReadResult, code: string): string {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('read ok');
  expect(r.error.code).toBe(code);
  expect(r.error.message).toMatch(/Please/); // always says what to send instead
  return r.error.message;
}

describe('checkbox and dropdown values as other tools write them', () => {
  it('a checkbox whose on-state is not Yes is read from the widget /AP /N keys', async () => {
    const ll = await lowLevel(await filledLicenseTransfer({ software_only_upgrade: false }));
    const { dict } = ll.field('software_only_upgrade');
    const widget = ll.widgets('software_only_upgrade')[0]!;
    const ap = widget.lookup(PDFName.of('AP'), PDFDict);
    for (const key of ['N', 'D']) {
      const states = ap.lookupMaybe(PDFName.of(key), PDFDict);
      if (!states) continue;
      states.set(PDFName.of('Ja'), states.get(PDFName.of('Yes'))!);
      states.delete(PDFName.of('Yes'));
    }
    const variants: [string, () => void, boolean][] = [
      ['V name /Ja', () => dict.set(V, PDFName.of('Ja')), true],
      ['V string (/Ja), pypdf style', () => dict.set(V, PDFString.of('/Ja')), true],
      ['V string (Ja)', () => dict.set(V, PDFString.of('Ja')), true],
      ["V /Yes, which is not this box's on-state", () => dict.set(V, PDFName.of('Yes')), false],
      ['V /Off', () => dict.set(V, PDFName.of('Off')), false],
    ];
    for (const [what, apply, checked] of variants) {
      apply();
      widget.set(PDFName.of('AS'), PDFName.of('Off')); // V is what counts, not the appearance
      const raw = await readOk(await ll.doc.save());
      expect(raw.fields['software_only_upgrade'], what).toBe(checked);
    }
  });

  it('a checkbox whose V and AS agree on a state it has no appearance for (LibreOffice: /Yes over an `on` appearance) reads checked', async () => {
    const ll = await lowLevel(await filledLicenseTransfer({ software_only_upgrade: false }));
    const { dict } = ll.field('software_only_upgrade');
    const widget = ll.widgets('software_only_upgrade')[0]!;
    const normal = widget.lookup(PDFName.of('AP'), PDFDict).lookup(PDFName.of('N'), PDFDict);
    normal.set(PDFName.of('on'), normal.get(PDFName.of('Yes'))!);
    normal.delete(PDFName.of('Yes'));
    dict.set(V, PDFName.of('Yes'));
    widget.set(PDFName.of('AS'), PDFName.of('Yes'));
    expect((await readOk(await ll.doc.save())).fields['software_only_upgrade']).toBe(true);
    widget.set(PDFName.of('AS'), PDFName.of('Off')); // V and AS disagree: the box shows Off
    expect((await readOk(await ll.doc.save())).fields['software_only_upgrade']).toBe(false);
  });

  it('a checkbox with no V anywhere falls back to the widget appearance state', async () => {
    const ll = await lowLevel(await filledLicenseTransfer({ software_only_upgrade: true }));
    ll.field('software_only_upgrade').dict.delete(V);
    expect((await readOk(await ll.doc.save())).fields['software_only_upgrade']).toBe(true);
  });

  it('a dropdown value written as an array reads as its first element', async () => {
    const ll = await lowLevel(await filledLicenseTransfer());
    const arr = PDFArray.withContext(ll.doc.context);
    arr.push(PDFString.of('Office'));
    arr.push(PDFString.of('Max2000'));
    ll.field('to_chassis_model').dict.set(V, arr);
    const raw = await readOk(await ll.doc.save());
    expect(raw.fields['to_chassis_model']).toBe('Office');
    const hex = PDFArray.withContext(ll.doc.context);
    hex.push(PDFHexString.fromText('SoftwareOnly'));
    ll.field('to_chassis_model').dict.set(V, hex);
    expect((await readOk(await ll.doc.save())).fields['to_chassis_model']).toBe('SoftwareOnly');
  });

  it('text is trimmed and CR/CRLF line ends become \\n', async () => {
    const ll = await lowLevel(await filledLicenseTransfer());
    ll.field('license_keys').dict.set(V, PDFHexString.fromText('  LK-1\r\nLK-2\rLK-3\r\n'));
    expect((await readOk(await ll.doc.save())).fields['license_keys']).toBe('LK-1\nLK-2\nLK-3');
  });
});

describe('field trees', () => {
  /** Moves `partner_id` under a new parent `partner` that holds FT and V; the old field becomes kid `id`. */
  async function hierarchical(listKidInFields: boolean): Promise<Uint8Array> {
    const ll = await lowLevel(await filledLicenseTransfer());
    const ctx = ll.doc.context;
    const { ref: kidRef, dict: kid } = ll.field('partner_id');
    const parent = PDFDict.withContext(ctx);
    parent.set(PDFName.of('T'), PDFString.of('partner'));
    parent.set(PDFName.of('FT'), PDFName.of('Tx'));
    parent.set(V, PDFHexString.fromText('P-INHERITED'));
    const kids = PDFArray.withContext(ctx);
    kids.push(kidRef);
    parent.set(PDFName.of('Kids'), kids);
    const parentRef = ctx.register(parent);
    kid.set(PDFName.of('T'), PDFString.of('id'));
    kid.delete(PDFName.of('FT'));
    kid.delete(V);
    kid.set(PDFName.of('Parent'), parentRef);
    for (let i = 0; i < ll.fields.size(); i++) {
      const r = ll.fields.get(i);
      if (r instanceof PDFRef && r === kidRef) ll.fields.set(i, listKidInFields ? kidRef : parentRef);
    }
    return ll.doc.save();
  }

  it('a field inherits FT and V from its parent and is named by its full dotted name', async () => {
    const raw = await readOk(await hierarchical(false));
    expect(raw.fields['partner.id']).toBe('P-INHERITED');
    expect(raw.fields).not.toHaveProperty('partner_id');
    expect(raw.fields).not.toHaveProperty('partner');
    expect(raw.fields['to_system_key']).toBe('SYS-0002');
  });

  it('a kid listed directly in /AcroForm /Fields still gets its full name and inherited value by walking /Parent', async () => {
    const raw = await readOk(await hierarchical(true));
    expect(raw.fields['partner.id']).toBe('P-INHERITED');
  });

  it('the typed form reports the partner_id as missing when a tool renamed it (DSK-6)', async () => {
    const typed = typeForm(await readOk(await hierarchical(false)), { now: new Date('2025-06-15T00:00:00Z') });
    if ('unknownFormId' in typed) throw new Error('unknown');
    expect(typed.problems.map((p) => `${p.field}:${p.problem}`)).toEqual(['partner_id:missing']);
  });
});

describe('saved with an incremental update', () => {
  beforeAll(() => {
    requireTool('qpdf');
    requireTool('pdftk');
  });

  it('the latest revision of a field counts', async () => {
    const ll = await lowLevel(await filledLicenseTransfer({ to_system_key: 'SYS-OLD-1' }));
    const classic = await saveClassic(ll.doc);
    const base = await lowLevel(classic);
    const { ref, dict } = base.field('to_system_key');
    const revised = dict.clone();
    revised.set(V, PDFHexString.fromText('SYS-NEW-2'));
    const root = base.doc.context.trailerInfo.Root;
    if (!(root instanceof PDFRef)) throw new Error('no root ref');
    const updated = appendIncrementalUpdate(classic, ref, revised, base.doc.context.largestObjectNumber + 1, root);

    expect(Buffer.from(updated.subarray(0, classic.length)).equals(Buffer.from(classic))).toBe(true);
    qpdfCheck(updated); // a valid PDF, not just something pdf-lib tolerates
    expect(pdftkFieldValues(updated)['to_system_key']).toBe('SYS-NEW-2');
    expect((await readOk(classic)).fields['to_system_key']).toBe('SYS-OLD-1');
    expect((await readOk(updated)).fields['to_system_key']).toBe('SYS-NEW-2');
  });
});

describe('PDFs that are not readable forms', () => {
  it('DSK-6 a flattened form (pdf-lib form.flatten()) is E_PDF_FLATTENED', async () => {
    expectError(await readPdfForm(await flattenedForm(LT, SAMPLE_VALUES[LT])), 'E_PDF_FLATTENED');
  });

  it('DSK-6 a PDF with no AcroForm at all (printed to PDF) is E_PDF_FLATTENED', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage();
    page.drawText('License Transfer Form', { x: 50, y: 700, font: await doc.embedFont(StandardFonts.Helvetica) });
    expectError(await readPdfForm(await doc.save()), 'E_PDF_FLATTENED');
  });

  it("DSK-6 an XFA-only form is E_PDF_XFA, asking for a standard (AcroForm) PDF or the desk's form", async () => {
    for (const asArray of [false, true]) {
      const pdf = await xfaOnlyPdf(asArray);
      const acro = (await PDFDocument.load(pdf)).catalog.lookup(PDFName.of('AcroForm'), PDFDict);
      expect(acro.get(PDFName.of('XFA'))).toBeDefined(); // really there, with no fields
      const msg = expectError(await readPdfForm(pdf), 'E_PDF_XFA');
      expect(msg).toBe(READ_ERROR_MESSAGES.xfa);
      expect(msg).toMatch(/XFA/);
      expect(msg).toMatch(/standard \(AcroForm\) PDF/);
      expect(msg).toMatch(/desk's own blank form/);
    }
  });

  it('a form with XFA beside its AcroForm fields (a hybrid form) is read from the fields', async () => {
    const ll = await lowLevel(await filledLicenseTransfer());
    ll.acroForm.set(
      PDFName.of('XFA'),
      ll.doc.context.register(ll.doc.context.flateStream('<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"/>')),
    );
    expect((await readOk(await ll.doc.save())).fields['to_system_key']).toBe('SYS-0002');
  });

  it('DSK-6 an encrypted PDF is E_PDF_ENCRYPTED in process: a user password is needed, or pdf-lib cannot decrypt (owner-password-only is read by the isolated reader, forms-decrypt.test.ts)', async () => {
    requireTool('qpdf');
    const filled = await filledLicenseTransfer();
    expect(expectError(await readPdfForm(encryptWithQpdf(filled, 'user', 'owner')), 'E_PDF_ENCRYPTED')).toMatch(
      /password/,
    );
    expectError(await readPdfForm(encryptWithQpdf(filled, '', 'owner')), 'E_PDF_ENCRYPTED');
  });

  it('DSK-6 a file that is not a PDF though named .pdf is E_PDF_CORRUPT', async () => {
    for (const bytes of [
      new Uint8Array(0),
      Buffer.from('<!DOCTYPE html><html><body>Your download will start shortly</body></html>'),
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), // a .docx (zip)
      Buffer.from('%PDF'), // just a prefix
    ]) {
      const msg = expectError(await readPdfForm(new Uint8Array(bytes)), 'E_PDF_CORRUPT');
      expect(msg).toBe(READ_ERROR_MESSAGES.notPdf);
    }
  });

  it('DSK-6 a truncated file is E_PDF_CORRUPT', async () => {
    const filled = await filledLicenseTransfer();
    for (const cut of [0.2, 0.6, 0.99]) {
      const msg = expectError(await readPdfForm(filled.subarray(0, Math.floor(filled.length * cut))), 'E_PDF_CORRUPT');
      expect(msg).toBe(READ_ERROR_MESSAGES.truncated);
    }
  });

  it('DSK-6 a damaged file with a header and an end but no document is E_PDF_CORRUPT', async () => {
    const junk = Buffer.concat([
      Buffer.from('%PDF-1.7\n'),
      Buffer.alloc(3000, 'x( ] >> obj'),
      Buffer.from('\n%%EOF\n'),
    ]);
    expectError(await readPdfForm(new Uint8Array(junk)), 'E_PDF_CORRUPT');
  });

  it('DSK-6 a form without form_id, or with an unknown one, is E_PDF_UNKNOWN_FORM', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage();
    doc.getForm().createTextField('case_number').addToPage(page, { x: 50, y: 700 });
    expect(expectError(await readPdfForm(await doc.save()), 'E_PDF_UNKNOWN_FORM')).toBe(READ_ERROR_MESSAGES.noFormId);

    const old = await PDFDocument.load(await filledLicenseTransfer());
    old.getForm().getTextField('form_id').setText('license-transfer/v0');
    expect(expectError(await readPdfForm(await old.save()), 'E_PDF_UNKNOWN_FORM')).toContain("'license-transfer/v0'");

    const typed = typeForm({ formId: 'license-transfer/v0', fields: {}, discarded: [] }, { now: new Date() });
    expect(typed).toEqual({ unknownFormId: 'license-transfer/v0' });
  });
});

describe('page count', () => {
  /** The filled license-transfer form with `extra` blank pages after it (pdf-lib), its fields filled. */
  const withBlankPages = (extra: number): Promise<Uint8Array> => formWithBlankPages(LT, SAMPLE_VALUES[LT], extra);

  it('DSK-6 a 500-page PDF (the filled form plus 499 blank pages) is E_PDF_TOO_LARGE, asking for only the filled form', async () => {
    const pdf = await withBlankPages(499);
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(500);
    const started = Date.now();
    const msg = expectError(await readPdfForm(pdf), 'E_PDF_TOO_LARGE');
    expect(msg).toBe(READ_ERROR_MESSAGES.tooManyPages(MAX_PAGES));
    expect(msg).toMatch(/only the filled form/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a form of 1, 2, 3 or MAX_PAGES pages reads as the one-page form; one page more is refused', async () => {
    const expected = await readOk(await filledLicenseTransfer());
    for (const extra of [0, 1, 2, MAX_PAGES - 1]) {
      expect(await readOk(await withBlankPages(extra)), `${extra + 1} pages`).toEqual(expected);
    }
    expectError(await readPdfForm(await withBlankPages(MAX_PAGES)), 'E_PDF_TOO_LARGE');
  });

  it('DSK-6 a page tree whose /Count understates its pages is still counted by its leaves', async () => {
    const ll = await lowLevel(await withBlankPages(MAX_PAGES + 9));
    ll.doc.catalog.lookup(PDFName.of('Pages'), PDFDict).set(PDFName.of('Count'), ll.doc.context.obj(1));
    expectError(await readPdfForm(await ll.doc.save()), 'E_PDF_TOO_LARGE');
  });
});

describe('security codes (DSK-5)', () => {
  it('DSK-5 recognises security-code field names, and only those', () => {
    for (const n of [
      'cvv',
      'CVV2',
      'cvc',
      'CVC2',
      'csc',
      'CID',
      'security_code',
      'SecurityCode',
      'securitycode',
      'card_code',
      'cardCode',
      'card-cvv',
      'payment.cvv',
      'Card Verification Value',
      'card_security_code',
      'sec_code',
    ]) {
      expect(looksLikeSecurityCode(n), n).toBe(true);
    }
    for (const n of [
      'case_number',
      'card_number',
      'card_expiry',
      'billing_postcode',
      'decided_on',
      'accident',
      'incidents',
      'end_user_id',
      'currency',
    ]) {
      expect(looksLikeSecurityCode(n), n).toBe(false);
    }
  });

  it('DSK-5 drops a filled security-code field, lists only its name, and its value appears nowhere (result, typed form, console)', async () => {
    const CODE = '9731';
    const id = 'card-authorization/v1' as const;
    const doc = await PDFDocument.load(await fillWithPdfLib(await blankFormBytes(id), id, SAMPLE_VALUES[id]));
    const form = doc.getForm();
    const page = doc.getPage(0);
    let y = 30;
    for (const name of ['CVV2', 'card_security_code', 'payment.cvc']) {
      const f = form.createTextField(name);
      f.addToPage(page, { x: 400, y, width: 60, height: 14 });
      f.setText(CODE);
      y += 16;
    }
    form.createTextField('cid').addToPage(page, { x: 470, y: 30, width: 60, height: 14 }); // empty: dropped, not listed
    const pdf = await doc.save();
    expect((await PDFDocument.load(pdf)).getForm().getTextField('CVV2').getText()).toBe(CODE); // it is in the file

    const logged: string[] = [];
    const saved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
    for (const k of ['log', 'warn', 'error', 'info'] as const)
      console[k] = (...a: unknown[]) => void logged.push(a.map(String).join(' '));
    let result: ReadResult;
    try {
      result = await readPdfForm(pdf);
    } finally {
      Object.assign(console, saved);
    }
    if (!result.ok) throw new Error(result.error.code);
    expect(result.form.discarded).toEqual(['CVV2', 'card_security_code', 'payment.cvc']);
    expect(Object.keys(result.form.fields).some((k) => looksLikeSecurityCode(k))).toBe(false);
    expect(JSON.stringify(result)).not.toContain(CODE);
    expect(logged.join('\n')).not.toContain(CODE);
    const typed = typeForm(result.form, { now: new Date('2025-06-15T00:00:00Z') });
    expect(JSON.stringify(typed)).not.toContain(CODE);
  });
});
