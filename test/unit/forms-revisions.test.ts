/**
 * Multi-revision PDFs: pdf-lib parses front to back and ignores the xref, so
 * an object appended without being referenced by any xref overrides, for
 * pdf-lib only, what every viewer (and qpdf) shows. The parse child reads a
 * file with several revisions with qpdf too and lists the fields on which the
 * two readings differ in RawForm.disagreements, for a rep to look at (DSK-6).
 * A file with one revision never reaches qpdf.
 * The isolated reader runs the compiled dist/forms/pdf-read-child.js: run `npm run build` first.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFHexString, PDFName, PDFRef } from 'pdf-lib';
import { blankFormBytes } from '../../forms/blank-writer.js';
import { closeDefaultParserPool, readPdfInFreshProcess, readPdfIsolated } from '../../forms/pdf-read-client.js';
import { readPdfForm } from '../../forms/pdf-reader.js';
import { hasRedefinedObject, readPdfFormCrossChecked, revisionCount } from '../../forms/revisions.js';
import type { RawForm, ReadResult } from '../../forms/types.js';
import {
  SAMPLE_VALUES,
  appendIncrementalUpdate,
  appendUnreferencedObject,
  fillWithPdfLib,
  lowLevel,
  pdftkFieldValues,
  qpdfCheck,
  requireTool,
  saveClassic,
} from '../fixtures/forms/tools.js';

const LT = 'license-transfer/v1' as const;
const V = PDFName.of('V');

let scratch: string;
let filled: Uint8Array;
/** The filled form saved classic (no object streams), to_system_key SYS-OLD-1. */
let classic: Uint8Array;

beforeAll(async () => {
  requireTool('qpdf');
  requireTool('pdftk');
  scratch = mkdtempSync(join(tmpdir(), 'ld-revisions-test-'));
  filled = await fillWithPdfLib(await blankFormBytes(LT), LT, SAMPLE_VALUES[LT]);
  classic = await saveClassic(
    (
      await lowLevel(
        await fillWithPdfLib(await blankFormBytes(LT), LT, { ...SAMPLE_VALUES[LT], to_system_key: 'SYS-OLD-1' }),
      )
    ).doc,
  );
});

afterAll(async () => {
  await closeDefaultParserPool();
  rmSync(scratch, { recursive: true, force: true });
});

/** A stand-in for qpdf that only records that it was started, then fails. */
function recordingQpdf(): { path: string; ran: () => boolean } {
  const dir = mkdtempSync(join(scratch, 'fake-'));
  const marker = join(dir, 'ran');
  const path = join(dir, 'qpdf');
  writeFileSync(path, `#!/bin/sh\n: > ${marker}\nexit 2\n`, { mode: 0o755 });
  return { path, ran: () => existsSync(marker) };
}

function formOf(r: ReadResult): RawForm {
  if (!r.ok) throw new Error(`unreadable: ${r.error.code}`);
  return r.form;
}

type Edit = { field: string; value: PDFName | PDFHexString };

/** Applies `edits` to `pdf` one object a revision, each either a proper incremental update or an unreferenced appended object. */
async function revise(pdf: Uint8Array, edits: Edit[], how: 'incremental' | 'unreferenced'): Promise<Uint8Array> {
  let out = pdf;
  for (const { field, value } of edits) {
    const base = await lowLevel(out);
    const { ref, dict } = base.field(field);
    const revised = dict.clone();
    revised.set(V, value);
    const root = base.doc.context.trailerInfo.Root;
    if (!(root instanceof PDFRef)) throw new Error('no root ref');
    const size = base.doc.context.largestObjectNumber + 1;
    out =
      how === 'incremental'
        ? appendIncrementalUpdate(out, ref, revised, size, root)
        : appendUnreferencedObject(out, ref, revised, size, root);
  }
  return out;
}

describe('DSK-6 a form with one revision', () => {
  it('DSK-6 a normal filled form has no disagreements, and qpdf is not run', async () => {
    expect(revisionCount(filled)).toBe(1);
    expect(hasRedefinedObject(filled)).toBe(false);
    const fake = recordingQpdf();
    const r = await readPdfFormCrossChecked(filled, { qpdfPath: fake.path, tmpRoot: scratch });
    expect(fake.ran()).toBe(false);
    expect(r).toEqual(await readPdfForm(filled));
    expect(formOf(r).disagreements).toBeUndefined();
    // The real parse child too (pool and fresh process).
    expect(formOf(await readPdfIsolated(filled)).disagreements).toBeUndefined();
    expect(formOf(await readPdfInFreshProcess(filled)).disagreements).toBeUndefined();
  });
});

describe('DSK-6 a form saved with a proper incremental update', () => {
  it('DSK-6 the appended revision the xref points at is read, and pdf-lib and qpdf agree: no disagreements', async () => {
    const updated = await revise(
      classic,
      [{ field: 'to_system_key', value: PDFHexString.fromText('SYS-NEW-2') }],
      'incremental',
    );
    qpdfCheck(updated);
    expect(revisionCount(updated)).toBe(2);
    expect(pdftkFieldValues(updated)['to_system_key']).toBe('SYS-NEW-2');
    const form = formOf(await readPdfFormCrossChecked(updated, { tmpRoot: scratch }));
    expect(form.fields['to_system_key']).toBe('SYS-NEW-2');
    expect(form.disagreements).toEqual([]);
    const isolated = formOf(await readPdfIsolated(updated));
    expect(isolated.fields['to_system_key']).toBe('SYS-NEW-2');
    expect(isolated.disagreements).toEqual([]);
    expect(readdirSync(scratch).filter((n) => n.startsWith('ld-revisions-'))).toEqual([]); // the private dir is gone
  });

  it('DSK-6 checkbox and dropdown revisions agree too (on/off vs boolean, choice vs string)', async () => {
    const updated = await revise(
      classic,
      [
        { field: 'software_only_upgrade', value: PDFName.of('Off') },
        { field: 'to_chassis_model', value: PDFHexString.fromText('Office') },
      ],
      'incremental',
    );
    qpdfCheck(updated);
    expect(revisionCount(updated)).toBe(3);
    const form = formOf(await readPdfFormCrossChecked(updated, { tmpRoot: scratch }));
    expect(form.fields['software_only_upgrade']).toBe(false);
    expect(form.fields['to_chassis_model']).toBe('Office');
    expect(form.disagreements).toEqual([]);
  });
});

describe('DSK-6 an object appended without being referenced by the xref', () => {
  it('DSK-6 pdf-lib reads the appended value, viewers and qpdf the old one: the field is in disagreements', async () => {
    const crafted = await revise(
      classic,
      [{ field: 'to_system_key', value: PDFHexString.fromText('SYS-EVIL-9') }],
      'unreferenced',
    );
    qpdfCheck(crafted); // a valid PDF
    expect(revisionCount(crafted)).toBe(2);
    expect(pdftkFieldValues(crafted)['to_system_key']).toBe('SYS-OLD-1'); // what the partner's viewer shows
    expect(formOf(await readPdfForm(crafted)).fields['to_system_key']).toBe('SYS-EVIL-9'); // the trap: pdf-lib alone

    const form = formOf(await readPdfFormCrossChecked(crafted, { tmpRoot: scratch }));
    expect(form.disagreements).toEqual(['to_system_key']);
    expect(formOf(await readPdfIsolated(crafted)).disagreements).toEqual(['to_system_key']);
    expect(formOf(await readPdfInFreshProcess(crafted)).disagreements).toEqual(['to_system_key']);
  });

  it('DSK-6 a checkbox and a dropdown changed that way are listed too', async () => {
    const crafted = await revise(
      classic,
      [
        { field: 'software_only_upgrade', value: PDFName.of('Off') },
        { field: 'to_chassis_model', value: PDFHexString.fromText('Office') },
      ],
      'unreferenced',
    );
    qpdfCheck(crafted);
    const form = formOf(await readPdfFormCrossChecked(crafted, { tmpRoot: scratch }));
    expect(form.fields['software_only_upgrade']).toBe(false);
    expect(form.disagreements?.slice().sort()).toEqual(['software_only_upgrade', 'to_chassis_model']);
  });

  it('DSK-6 an object appended after the last %%EOF with no new revision at all is caught as a redefined object', async () => {
    const base = await lowLevel(classic);
    const { ref, dict } = base.field('to_system_key');
    const revised = dict.clone();
    revised.set(V, PDFHexString.fromText('SYS-EVIL-9'));
    const junk = Buffer.from(
      `${ref.objectNumber} ${ref.generationNumber} obj\n${revised.toString()}\nendobj\n`,
      'latin1',
    );
    const crafted = new Uint8Array(Buffer.concat([Buffer.from(classic), junk]));
    expect(revisionCount(crafted)).toBe(1);
    expect(hasRedefinedObject(crafted)).toBe(true);
    expect(formOf(await readPdfForm(crafted)).fields['to_system_key']).toBe('SYS-EVIL-9');
    expect(formOf(await readPdfFormCrossChecked(crafted, { tmpRoot: scratch })).disagreements).toEqual([
      'to_system_key',
    ]);
  });
});

describe('DSK-6 when qpdf cannot answer, a rep must look', () => {
  it('DSK-6 qpdf missing or failing gives disagreements [*]', async () => {
    const updated = await revise(
      classic,
      [{ field: 'to_system_key', value: PDFHexString.fromText('SYS-NEW-2') }],
      'incremental',
    );
    const missing = formOf(
      await readPdfFormCrossChecked(updated, { qpdfPath: '/nonexistent/bin/qpdf', tmpRoot: scratch }),
    );
    expect(missing.disagreements).toEqual(['*']);
    expect(missing.fields['to_system_key']).toBe('SYS-NEW-2');
    const fake = recordingQpdf();
    expect(
      formOf(await readPdfFormCrossChecked(updated, { qpdfPath: fake.path, tmpRoot: scratch })).disagreements,
    ).toEqual(['*']);
    expect(fake.ran()).toBe(true);
  });

  it('DSK-6 a qpdf still running near the deadline is killed before it, and disagreements is [*]', async () => {
    const updated = await revise(
      classic,
      [{ field: 'to_system_key', value: PDFHexString.fromText('SYS-NEW-2') }],
      'incremental',
    );
    const pidFile = join(scratch, 'slow-qpdf.pid');
    const slowQpdf = join(scratch, 'slow-qpdf');
    writeFileSync(slowQpdf, `#!/bin/sh\necho $$ > ${pidFile}\nexec /bin/sleep 30\n`, { mode: 0o755 });
    const started = Date.now();
    const r = await readPdfFormCrossChecked(updated, {
      qpdfPath: slowQpdf,
      deadline: Date.now() + 1500,
      timeoutMs: 1500,
      tmpRoot: scratch,
    });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(formOf(r).disagreements).toEqual(['*']);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(() => process.kill(pid, 0)).toThrow(); // gone, not orphaned
  });
});
