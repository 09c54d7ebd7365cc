/**
 * A form on paper read like a fillable one (DSK-9): a PDF without fields
 * (read from its text layer when it has one, else rendered with pdftoppm) or
 * a page image (PNG, JPEG, TIFF including a multi-page fax TIFF, turned into
 * grey pages by ImageMagick at square pixels). Each page the desk can place
 * becomes a RawForm with the confidence of every value and the crops of its
 * boxes; a page it cannot place is counted, for the partner to be told.
 *
 * Runs in the parse child (forms/pdf-read-child.ts) within the read's
 * deadline and a budget per page; every file (page images of a card form
 * are card data) lives in a private folder removed in `finally`.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PaperRead, RawForm } from '../types.js';
import { readPageImage, type PaperPage, type Unplaced } from './page-image.js';
import { readTextPage, textPages, type InkAt } from './page-text.js';
import { cut, inkShare, parsePgm, type Grey } from './pixels.js';
import { TOOL, ToolTimeout, inPaperTemp, runTool } from './tools.js';

export type PaperKind = 'pdf' | 'png' | 'jpeg' | 'tiff';

/** What the bytes are, by their first bytes. */
export function paperKind(bytes: Uint8Array): PaperKind | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  if (b.includes('%PDF-', 0, 'latin1')) return 'pdf';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  const head = b.subarray(0, 4).toString('latin1');
  if (head === 'II*\0' || head === 'MM\0*') return 'tiff';
  return undefined;
}

/** The most pages of one file read from paper (a fax of the forms is a few pages). */
export const MAX_PAPER_PAGES = 8;
/** Wall-clock budget of one page image (OCR of every box: about 1.5 s of CPU on an idle core). */
export const PAGE_BUDGET_MS = 12_000;
/** Pages are rendered at this resolution (pdftoppm) or resampled to it (a fax TIFF's 204×196 dpi). */
const DPI = 200;
/** An A4 page's long side at DPI. */
const LONG_SIDE_PX = Math.round((297 / 25.4) * DPI);

export interface PaperResult {
  forms: RawForm[];
  /** 1-based numbers of pages the desk could not place (no code, no marks, not a desk form). */
  unplaced: number[];
  /** The reader ran out of time before the last page. */
  timedOut: boolean;
  /** 1-based numbers of pages whose budget ran out before they were read. */
  overtime: number[];
  /** Wall-clock milliseconds each page image took (none for a page read from text). */
  pageMs: number[];
}

const isPage = (p: PaperPage | Unplaced): p is PaperPage => !('unplaced' in p);

/** Reads every page of a paper form, within `deadline` (epoch ms). */
export async function readPaper(
  bytes: Uint8Array,
  kind: PaperKind,
  deadline: number,
  opts: { pageBudgetMs?: number } = {},
): Promise<PaperResult> {
  return inPaperTemp(async (dir) => {
    const input = join(dir, `in.${kind === 'jpeg' ? 'jpg' : kind === 'tiff' ? 'tif' : kind}`);
    await writeFile(input, bytes);
    const out: PaperResult = { forms: [], unplaced: [], overtime: [], timedOut: false, pageMs: [] };
    try {
      if (kind === 'pdf') {
        const text = await textPages(input, MAX_PAPER_PAGES, deadline);
        const read: Array<PaperPage | Unplaced> = [];
        for (const [i, p] of text.entries())
          read.push(await readTextPage(p, i + 1, inkOfPage(input, dir, i + 1, deadline)));
        if (read.some(isPage)) {
          read.forEach((p, i) => (isPage(p) ? out.forms.push(rawFormOf(p)) : out.unplaced.push(i + 1)));
          return out;
        }
        // No text to read by: a scan or a fax in a PDF, rendered as grey pages.
        await runTool(
          TOOL.pdftoppm,
          // The long side at an A4 page's pixels at 200 dpi, whatever size the PDF claims: a page is never a huge bitmap.
          [
            '-r',
            String(DPI),
            '-scale-to',
            String(LONG_SIDE_PX),
            '-gray',
            '-f',
            '1',
            '-l',
            String(MAX_PAPER_PAGES),
            input,
            join(dir, 'p'),
          ],
          {
            deadline,
          },
        );
      } else {
        const frames = kind === 'tiff' ? `${input}[0-${MAX_PAPER_PAGES - 1}]` : input;
        // A fax's pixels are not square (204×196 dpi): resampled to square pixels first.
        const resample = kind === 'tiff' ? ['-units', 'PixelsPerInch', '-resample', `${DPI}x${DPI}`] : [];
        await runTool(
          TOOL.convert,
          [
            '-limit',
            'memory',
            '256MiB',
            '-limit',
            'disk',
            '512MiB',
            '-limit',
            'area',
            '64MP',
            frames,
            ...resample,
            '-auto-orient',
            '-colorspace',
            'Gray',
            '-depth',
            '8',
            join(dir, 'p-%d.pgm'),
          ],
          { deadline },
        );
      }
      const pages = (await readdir(dir)).filter((f) => /^p-\d+\.pgm$/.test(f)).sort((a, b) => pageNo(a) - pageNo(b));
      for (const [i, name] of pages.entries()) {
        const path = join(dir, name);
        const pageDeadline = Math.min(deadline, Date.now() + (opts.pageBudgetMs ?? PAGE_BUDGET_MS));
        const started = Date.now();
        try {
          const page = await readPageImage(path, await readFile(path), pageDeadline);
          out.pageMs.push(Date.now() - started);
          if (isPage(page)) out.forms.push(rawFormOf(page));
          else out.unplaced.push(i + 1);
        } catch (err) {
          if (!(err instanceof ToolTimeout) || Date.now() >= deadline - 400) throw err;
          out.overtime.push(i + 1); // this page's budget ran out; the others are still read
        }
      }
    } catch (err) {
      if (!(err instanceof ToolTimeout)) throw err;
      out.timedOut = true;
    }
    return out;
  });
}

/** Renders page `n` once (grey, 2 px a point) when a region's ink is first asked for. */
function inkOfPage(pdf: string, dir: string, n: number, deadline: number): InkAt {
  let page: Promise<Grey> | undefined;
  return async (x, y, width, height) => {
    page ??= runTool(
      TOOL.pdftoppm,
      ['-r', '144', '-gray', '-f', String(n), '-l', String(n), '-singlefile', pdf, join(dir, `t-${n}`)],
      {
        deadline,
      },
    ).then(async () => parsePgm(await readFile(join(dir, `t-${n}.pgm`))));
    const img = await page;
    return inkShare(cut(img, [2, 0, 0, 0, 2, 0], { x, y }, width, height, 2));
  };
}

const pageNo = (name: string): number => Number(/(\d+)\.pgm$/.exec(name)?.[1] ?? 0);

function rawFormOf(p: PaperPage): RawForm {
  const fields: RawForm['fields'] = { form_id: p.formId };
  const confidence: Record<string, number> = {};
  for (const f of p.fields) {
    if (f.name === 'form_id') continue; // the code says which form this is, whatever the box reads
    fields[f.name] = f.value;
    confidence[f.name] = f.confidence;
  }
  const paper: PaperRead = {
    source: p.source,
    page: p.page,
    confidence,
    crops: p.crops,
    ...(p.caseNumber ? { caseNumber: p.caseNumber } : {}),
    ...(p.signed !== undefined ? { signed: p.signed } : {}),
  };
  return { formId: p.formId, fields, discarded: [], paper };
}
