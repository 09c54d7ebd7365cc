/**
 * Forms on paper made from the desk's own forms (DSK-9), the way paper
 * arrives: filled with pdf-lib, flattened with pdftk, then rendered with
 * pdftoppm and ImageMagick and written with libtiff-tools as a scanner, a
 * fax or a phone would: grey scans at 200 and 300 dpi, a 1-bit fax at
 * 204×196 dpi in a multi-page TIFF, a phone photo (JPEG q70, tilted, uneven
 * light), a page upside down, a scan in a PDF, and a print to PDF. A value
 * can be written in a script font (handwriting-like) over the rendered page.
 * Used by the tests and `npm run bench:paper`; every file is made in a
 * private folder removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { formLayout } from '../forms/blank-writer.js';
import { fillForm } from '../forms/form-filler.js';
import type { FormId } from '../forms/types.js';

export type PaperKindName = 'scan200' | 'scan300' | 'fax' | 'photo' | 'upside-down' | 'scan-pdf' | 'print-pdf';

export interface PaperPage {
  formId: FormId;
  values: Record<string, string | boolean>;
  /** Fields written by hand (a script font) instead of typed. */
  handwritten?: string[];
}

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
}

function inTemp<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ld-paper-corpus-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The form filled (handwritten fields left empty) and flattened, as printed. */
async function printedPdf(page: PaperPage): Promise<Uint8Array> {
  const typed = Object.fromEntries(Object.entries(page.values).filter(([k]) => !page.handwritten?.includes(k)));
  const filled = await fillForm(page.formId, typed);
  return inTemp((dir) => {
    writeFileSync(join(dir, 'in.pdf'), filled);
    run('pdftk', [join(dir, 'in.pdf'), 'output', join(dir, 'flat.pdf'), 'flatten']);
    return new Uint8Array(readFileSync(join(dir, 'flat.pdf')));
  });
}

/** `convert -annotate` arguments writing the handwritten values in their boxes on a page rendered at `dpi`. */
async function handwriting(page: PaperPage, dpi: number): Promise<string[]> {
  if (!page.handwritten?.length) return [];
  const layout = await formLayout(page.formId);
  const px = dpi / 72;
  const args = [
    '-font',
    'Z003-MediumItalic',
    '-pointsize',
    String(Math.round(15 * (dpi / 72) * (72 / dpi))),
    '-density',
    String(dpi),
    '-fill',
    'black',
  ];
  for (const name of page.handwritten) {
    const box = layout.boxes.find((b) => b.name === name);
    const value = page.values[name];
    if (!box || typeof value !== 'string') continue;
    const x = Math.round((box.x + 3) * px);
    const y = Math.round((layout.pageH - box.y - 4) * px);
    args.push('-annotate', `+${x}+${y}`, value);
  }
  return args;
}

/** One page as a grey PNG at `dpi`, as a flatbed scanner gives it. */
async function greyPng(page: PaperPage, dpi: number, dir: string, name: string): Promise<string> {
  writeFileSync(join(dir, `${name}.pdf`), await printedPdf(page));
  run('pdftoppm', [
    '-r',
    String(dpi),
    '-gray',
    '-png',
    '-singlefile',
    join(dir, `${name}.pdf`),
    join(dir, `${name}-raw`),
  ]);
  const out = join(dir, `${name}.png`);
  run('convert', [join(dir, `${name}-raw.png`), ...(await handwriting(page, dpi)), out]);
  return out;
}

export interface PaperFile {
  name: string;
  bytes: Uint8Array;
  contentType: string;
}

/** The pages as one file of the given kind (several pages: a multi-page TIFF or PDF, else the first page). */
export async function paperFile(kind: PaperKindName, pages: PaperPage[]): Promise<PaperFile> {
  const dir = mkdtempSync(join(tmpdir(), 'ld-paper-corpus-'));
  try {
    if (kind === 'print-pdf') {
      const page = pages[0]!;
      return { name: 'printed.pdf', bytes: await printedPdf(page), contentType: 'application/pdf' };
    }
    if (kind === 'fax') {
      const tiffs: string[] = [];
      for (const [i, page] of pages.entries()) {
        // Rendered at 408×392 and halved, so handwriting is drawn at square pixels first; then 1-bit at 204×196 dpi.
        const png = await greyPng(page, 200, dir, `f${i}`);
        const tif = join(dir, `f${i}.tif`);
        run('convert', [
          png,
          '-resize',
          '102%x98%',
          '-threshold',
          '55%',
          '-monochrome',
          '-units',
          'PixelsPerInch',
          '-density',
          '204x196',
          '-compress',
          'Group4',
          tif,
        ]);
        tiffs.push(tif);
      }
      run('tiffcp', ['-c', 'g4', ...tiffs, join(dir, 'fax.tif')]);
      return { name: 'fax.tif', bytes: new Uint8Array(readFileSync(join(dir, 'fax.tif'))), contentType: 'image/tiff' };
    }
    const dpi = kind === 'scan300' ? 300 : 200;
    const pngs: string[] = [];
    for (const [i, page] of pages.entries()) pngs.push(await greyPng(page, dpi, dir, `p${i}`));
    if (kind === 'scan-pdf') {
      // A scanner's PDF: each page one image, no text, no fields.
      const pdf = await PDFDocument.create();
      for (const png of pngs) {
        const img = await pdf.embedPng(readFileSync(png));
        pdf.addPage([595.28, 841.89]).drawImage(img, { x: 0, y: 0, width: 595.28, height: 841.89 });
      }
      return { name: 'scan.pdf', bytes: await pdf.save(), contentType: 'application/pdf' };
    }
    const first = pngs[0]!;
    if (kind === 'photo') {
      const out = join(dir, 'photo.jpg');
      // Tilted 1–3°, the light falling off across the page, JPEG quality 70.
      const angle = 1 + ((pages[0]!.values.case_number?.toString().charCodeAt(5) ?? 0) % 21) / 10;
      run('convert', [
        first,
        '-background',
        'white',
        '-rotate',
        String(angle),
        '(',
        '+clone',
        '-sparse-color',
        'Barycentric',
        '0,0 white %w,%h gray62',
        ')',
        '-compose',
        'multiply',
        '-composite',
        '-attenuate',
        '0.4',
        '+noise',
        'Gaussian',
        '-quality',
        '70',
        out,
      ]);
      return { name: 'photo.jpg', bytes: new Uint8Array(readFileSync(out)), contentType: 'image/jpeg' };
    }
    if (kind === 'upside-down') {
      const out = join(dir, 'upside.png');
      run('convert', [first, '-rotate', '180', out]);
      return { name: 'scan.png', bytes: new Uint8Array(readFileSync(out)), contentType: 'image/png' };
    }
    return { name: `scan-${dpi}.png`, bytes: new Uint8Array(readFileSync(first)), contentType: 'image/png' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
