/**
 * A flattened PDF with a text layer (a desk form printed to PDF, or flattened
 * with `pdftk … flatten`) read from its text positions, without OCR (DSK-9):
 * poppler's `pdftotext -bbox` gives every word and its box; the form is
 * known by the `Form <id>.` line the desk prints under the title, the page is
 * aligned to the form's layout by the grey field names printed under each
 * label (a print driver may scale or shift the page), and each field takes
 * the words whose centres lie inside its box. Values come from the text
 * itself, so they are certain; what they say is still checked (DSK-9, SWP-4).
 * A checkbox's tick is no text: it is read by the ink of the rendered page.
 */
import { formLayout } from '../blank-writer.js';
import { FORM_SPECS, isFormId } from '../specs.js';
import type { FormId } from '../types.js';
import type { PaperField, PaperPage, Unplaced } from './page-image.js';
import { TOOL, runTool } from './tools.js';

interface Word {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

interface TextPage {
  width: number;
  height: number;
  words: Word[];
}

const decode = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The pages of `pdftotext -bbox` output. */
export function parseBbox(html: string): TextPage[] {
  const pages: TextPage[] = [];
  for (const pm of html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const words: Word[] = [];
    for (const wm of (pm[3] ?? '').matchAll(
      /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g,
    )) {
      words.push({
        x0: Number(wm[1]),
        y0: Number(wm[2]),
        x1: Number(wm[3]),
        y1: Number(wm[4]),
        text: decode(wm[5] ?? ''),
      });
    }
    pages.push({ width: Number(pm[1]), height: Number(pm[2]), words });
  }
  return pages;
}

/** The text pages of a PDF (at most `maxPages`). */
export async function textPages(pdfPath: string, maxPages: number, deadline: number): Promise<TextPage[]> {
  const { stdout } = await runTool(TOOL.pdftotext, ['-bbox', '-f', '1', '-l', String(maxPages), pdfPath, '-'], {
    deadline,
  });
  return parseBbox(stdout.toString('utf8'));
}

/** The form a page's text names: `Form license-transfer/v1.` under its title. */
function formOf(page: TextPage): FormId | undefined {
  for (let i = 0; i + 1 < page.words.length; i++) {
    if (page.words[i]!.text !== 'Form') continue;
    const id = page.words[i + 1]!.text.replace(/\.$/, '');
    if (isFormId(id)) return id;
  }
  return undefined;
}

/** Least squares of v = a u + b. */
function fit1(u: number[], v: number[]): [number, number] | undefined {
  const n = u.length;
  if (n < 2) return undefined;
  const mu = u.reduce((s, x) => s + x, 0) / n;
  const mv = v.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (u[i]! - mu) * (v[i]! - mv);
    den += (u[i]! - mu) ** 2;
  }
  if (den === 0) return undefined;
  const a = num / den;
  return [a, mv - a * mu];
}

/** Reads one text page of a desk form; a page that is not one is unplaced. */
/**
 * The share of ink in a region of the page (points, origin top-left): a
 * checkbox's tick is drawn, not written (ZapfDingbats has no text), so it is
 * read from the rendered page.
 */
export type InkAt = (x: number, y: number, width: number, height: number) => Promise<number>;

export async function readTextPage(page: TextPage, pageNo: number, inkAt: InkAt): Promise<PaperPage | Unplaced> {
  const formId = formOf(page);
  if (!formId) return { unplaced: 'unknown-form' };
  const layout = await formLayout(formId);
  // Anchors: each printed field name's left edge and baseline, against where the layout put it.
  const us: number[] = [];
  const vxs: number[] = [];
  const uy: number[] = [];
  const vy: number[] = [];
  for (const label of layout.labels) {
    const w = page.words.find((x) => x.text === label.name && x.x0 < page.width * 0.45);
    if (!w) continue;
    us.push(label.x);
    vxs.push(w.x0);
    // pdftotext's yMax is the baseline plus the descent (about 0.21 em of 7 pt).
    uy.push(layout.pageH - label.y);
    vy.push(w.y1 - 7 * 0.212);
  }
  // A form's labels all sit at one x: the x scale is taken from the y fit (a print keeps the aspect ratio).
  const fy = fit1(uy, vy);
  if (!fy || us.length < 4) return { unplaced: 'misaligned' };
  const ax = fy[0];
  const bx = vxs.reduce((s, x) => s + x, 0) / vxs.length - ax * (us.reduce((s, x) => s + x, 0) / us.length);
  const spec = FORM_SPECS[formId];
  const fields: PaperField[] = [];
  const used = new Set<Word>();
  for (const box of layout.boxes) {
    const fs = spec.fields.find((f) => f.name === box.name);
    if (!fs) continue;
    const left = ax * box.x + bx;
    const right = ax * (box.x + box.width) + bx;
    const top = fy[0] * (layout.pageH - box.y - box.height) + fy[1];
    const bottom = fy[0] * (layout.pageH - box.y) + fy[1];
    const inside = page.words.filter((w) => {
      const cx = (w.x0 + w.x1) / 2;
      const cy = (w.y0 + w.y1) / 2;
      return !used.has(w) && cx > left && cx < right && cy > top && cy < bottom;
    });
    inside.forEach((w) => used.add(w));
    if (box.kind === 'checkbox') {
      // Inside the widget's border; as on a page image, what is neither clearly ticked nor clearly empty is a rep's.
      const ink = await inkAt(left + 2.5 * ax, top + 2.5 * fy[0], right - left - 5 * ax, bottom - top - 5 * fy[0]);
      const value = inside.length > 0 || ink > 0.06;
      const sure = inside.length > 0 || ink > 0.1 || ink < 0.025;
      fields.push({ name: box.name, value, confidence: sure ? 1 : 0.5 });
      continue;
    }
    fields.push({ name: box.name, value: joinLines(inside), confidence: 1 });
  }
  return { formId, page: pageNo, source: 'text', fields, crops: {} };
}

/** Words into lines (by their vertical centres), each line left to right. */
function joinLines(words: Word[]): string {
  const sorted = [...words].sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  const lines: Word[][] = [];
  for (const w of sorted) {
    const line = lines[lines.length - 1];
    const cy = (w.y0 + w.y1) / 2;
    if (line && Math.abs((line[0]!.y0 + line[0]!.y1) / 2 - cy) < (w.y1 - w.y0) * 0.5) line.push(w);
    else lines.push([w]);
  }
  return lines
    .map((l) =>
      l
        .sort((a, b) => a.x0 - b.x0)
        .map((w) => w.text)
        .join(' '),
    )
    .join('\n');
}
