import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { PDFCheckBox, PDFDocument, PDFDropdown, PDFTextField } from 'pdf-lib';
import { blankFormBytes, writeBlankForms } from '../../forms/blank-writer.js';
import { FORM_SPECS, fieldSpec, isRequired } from '../../forms/specs.js';
import { looksLikeSecurityCode, readPdfForm } from '../../forms/pdf-reader.js';
import { FORM_IDS } from '../../forms/types.js';
import { tempDir } from '../fixtures/forms/tools.js';

const TEMPLATES = new URL('../../templates/forms/', import.meta.url);

describe('form specs', () => {
  it('cover the six forms of docs/forms.md, each with a form_id field and no dotted or duplicate names', () => {
    expect(Object.keys(FORM_SPECS).sort()).toEqual([...FORM_IDS].sort());
    for (const id of FORM_IDS) {
      const names = FORM_SPECS[id].fields.map((f) => f.name);
      expect(names[0]).toBe('form_id');
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
      // No field of ours may look like a security code, or the reader would drop it.
      for (const n of names) expect(looksLikeSecurityCode(n)).toBe(false);
      for (const f of FORM_SPECS[id].fields) {
        expect(f.label.length).toBeGreaterThan(3);
        if (f.kind === 'dropdown') expect(f.options?.length).toBeGreaterThan(1);
      }
    }
  });

  it('make rma_number required only for a physical FROM platform, deployment_name only for a deployment, ack_eos_forfeit never', () => {
    const rma = fieldSpec('swap-request/v1', 'rma_number');
    expect(isRequired(rma, { from_platform: 'physical' })).toBe(true);
    expect(isRequired(rma, { from_platform: 'virtual' })).toBe(false);
    const dep = fieldSpec('account-transfer/v1', 'deployment_name');
    expect(isRequired(dep, { transfer_kind: 'deployment' })).toBe(true);
    expect(isRequired(dep, { transfer_kind: 'sale' })).toBe(false);
    expect(fieldSpec('swap-request/v1', 'ack_eos_forfeit').required).toBe(false);
    expect(fieldSpec('swap-request/v1', 'ack_irrevocable').required).toBe(true);
    expect(fieldSpec('license-transfer/v1', 'software_only_upgrade').required).toBe(false);
  });
});

describe('blank forms', () => {
  it('writeBlankForms writes <form-name>-v1.pdf for each of the six forms', async () => {
    const dir = tempDir();
    const paths = await writeBlankForms(dir);
    expect(paths.map((p) => basename(p)).sort()).toEqual(
      [
        'account-transfer-v1.pdf',
        'card-authorization-v1.pdf',
        'license-transfer-v1.pdf',
        'sso-migration-v1.pdf',
        'swap-request-v1.pdf',
        'uninstall-declaration-v1.pdf',
      ].sort(),
    );
    for (const p of paths) expect(readFileSync(p).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  for (const id of FORM_IDS) {
    it(`${id}: has every field of docs/forms.md with its kind, options and a read-only pre-set form_id`, async () => {
      const doc = await PDFDocument.load(await blankFormBytes(id));
      expect(doc.getTitle()).toContain(FORM_SPECS[id].title);
      const form = doc.getForm();
      const names = form.getFields().map((f) => f.getName());
      expect(names.sort()).toEqual(FORM_SPECS[id].fields.map((f) => f.name).sort());
      for (const spec of FORM_SPECS[id].fields) {
        const field = form.getField(spec.name);
        expect(field.acroField.getWidgets().length).toBe(1);
        switch (spec.kind) {
          case 'text':
            expect(field).toBeInstanceOf(PDFTextField);
            expect((field as PDFTextField).isMultiline()).toBe(false);
            break;
          case 'multiline':
            expect(field).toBeInstanceOf(PDFTextField);
            expect((field as PDFTextField).isMultiline()).toBe(true);
            break;
          case 'dropdown':
            expect(field).toBeInstanceOf(PDFDropdown);
            expect((field as PDFDropdown).getOptions()).toEqual(spec.options);
            break;
          case 'checkbox':
            expect(field).toBeInstanceOf(PDFCheckBox);
            break;
        }
      }
      const formId = form.getTextField('form_id');
      expect(formId.getText()).toBe(id);
      expect(formId.isReadOnly()).toBe(true);
      // The blank reads back as the form it is, with nothing filled.
      const read = await readPdfForm(await blankFormBytes(id));
      expect(read.ok && read.form.formId).toBe(id);
    });
  }

  it('are deterministic, and the committed templates/forms/ files are up to date (regenerate: npm run build && node dist/forms/write-blank-forms.js)', async () => {
    for (const id of FORM_IDS) {
      const a = await blankFormBytes(id);
      const b = await blankFormBytes(id);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
      const committed = new URL(FORM_SPECS[id].fileName, TEMPLATES);
      expect(existsSync(committed), `${committed.pathname} is missing`).toBe(true);
      expect(Buffer.from(readFileSync(committed)).equals(Buffer.from(a)), `${FORM_SPECS[id].fileName} is stale`).toBe(
        true,
      );
    }
  });
});
