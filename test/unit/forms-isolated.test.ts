/**
 * The isolated reader: a child process per PDF with a time and memory budget.
 * Runs the compiled dist/forms/pdf-read-child.js: run `npm run build` first.
 */
import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { blankFormBytes } from '../../forms/blank-writer.js';
import { childScriptPath, readPdfIsolated } from '../../forms/pdf-read-client.js';
import { MAX_PAGES, READ_ERROR_MESSAGES, readPdfForm } from '../../forms/pdf-reader.js';
import { SAMPLE_VALUES, fillWithPdfLib } from '../fixtures/forms/tools.js';
import { formWithBlankPages, parserBomb } from '../fixtures/forms/bad-pdfs.js';

describe('isolated reader', () => {
  it('finds the compiled child script (npm run build)', () => {
    expect(existsSync(childScriptPath()), 'run npm run build first').toBe(true);
  });

  it('reads a filled form exactly as the in-process reader does', async () => {
    const id = 'card-authorization/v1' as const;
    const doc = await PDFDocument.load(await fillWithPdfLib(await blankFormBytes(id), id, SAMPLE_VALUES[id]));
    doc.getForm().createTextField('cvv').addToPage(doc.getPage(0), { x: 400, y: 30, width: 50, height: 14 });
    doc.getForm().getTextField('cvv').setText('9731');
    const pdf = await doc.save();
    const isolated = await readPdfIsolated(pdf);
    expect(isolated).toEqual(await readPdfForm(pdf));
    expect(isolated.ok && isolated.form.discarded).toEqual(['cvv']);
    expect(JSON.stringify(isolated)).not.toContain('9731'); // DSK-5: not even over IPC
  });

  it('DSK-6 classifies a damaged file in the child as E_PDF_CORRUPT', async () => {
    const r = await readPdfIsolated(new Uint8Array(Buffer.from('GIF89a not a pdf')));
    expect(r).toMatchObject({ ok: false, error: { code: 'E_PDF_CORRUPT' } });
  });

  it('DSK-6 kills a child that runs over its time budget (a compression bomb): E_PDF_TIMEOUT', async () => {
    const started = Date.now();
    const r = await readPdfIsolated(parserBomb(20_000_000), { timeoutMs: 400, maxOldSpaceMb: 4096 });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_PDF_TIMEOUT' } });
    expect(r.ok === false && r.error.message).toMatch(/too long/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('DSK-6 a child that runs out of its heap budget (a compression bomb) is E_PDF_TOO_LARGE, and the caller lives on', async () => {
    const r = await readPdfIsolated(parserBomb(20_000_000), { timeoutMs: 30_000, maxOldSpaceMb: 48 });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_PDF_TOO_LARGE' } });
    // The same worker goes on reading the next attachment.
    const next = await readPdfIsolated(await blankFormBytes('sso-migration/v1'));
    expect(next.ok).toBe(true);
  });

  it('DSK-6 a 500-page PDF (the filled form plus 499 blank pages) is E_PDF_TOO_LARGE, asking for only the filled form', async () => {
    const id = 'license-transfer/v1' as const;
    const pdf = await formWithBlankPages(id, SAMPLE_VALUES[id], 499);
    const r = await readPdfIsolated(pdf);
    expect(r).toEqual({
      ok: false,
      error: { code: 'E_PDF_TOO_LARGE', message: READ_ERROR_MESSAGES.tooManyPages(MAX_PAGES) },
    });
  });

  it('DSK-6 an input over maxBytes is E_PDF_TOO_LARGE without parsing', async () => {
    const r = await readPdfIsolated(new Uint8Array(2048), { maxBytes: 1024 });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_PDF_TOO_LARGE' } });
  });

  it('reads several PDFs at once, each in its own child', async () => {
    const pdfs = await Promise.all(
      ['license-transfer/v1', 'swap-request/v1', 'account-transfer/v1'].map((id) => blankFormBytes(id as never)),
    );
    const results = await Promise.all(pdfs.map((p) => readPdfIsolated(p)));
    expect(results.map((r) => r.ok && r.form.formId)).toEqual([
      'license-transfer/v1',
      'swap-request/v1',
      'account-transfer/v1',
    ]);
  });
});
