/**
 * Printed text in one field box read by Debian's tesseract (DSK-9): one run a
 * box, with the page segmentation of a single line (a line list: a block) and
 * a whitelist of the characters the field's format allows, so an "O" in a
 * date cannot be read. Tesseract's word confidences give the value's
 * confidence: the lowest word's, 0..1.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOOL, runTool } from './tools.js';
import { toPgm, type Grey } from './pixels.js';
import type { ValueFormat } from '../specs.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

/** The characters a field of this format may hold on paper. */
export function whitelist(format: ValueFormat): string {
  switch (format) {
    case 'date':
      return `${DIGITS}-/`;
    case 'integer':
      return DIGITS;
    case 'amount':
      return `${DIGITS}.,`;
    case 'currency':
      return LETTERS.slice(0, 26);
    case 'card-number':
      return `${DIGITS} `; // groups come out as words; dashes are allowed and mean nothing
    case 'card-expiry':
      return `${DIGITS}/`;
    case 'email':
      return `${LETTERS}${DIGITS}@.-_+`;
    case 'form-id':
      return `abcdefghijklmnopqrstuvwxyz${DIGITS}-/`;
    case 'lines':
    case 'quantities':
      return `${LETTERS}${DIGITS}-_. `;
    default:
      return `${LETTERS}${DIGITS} -._/@&,'()#:+`;
  }
}

export interface OcrText {
  text: string;
  /** 0..1: the lowest word confidence; 0 when nothing was read. */
  confidence: number;
}

export interface OcrItem {
  img: Grey;
  format: ValueFormat;
  multiline: boolean;
}

/**
 * Reads every crop as text. Tesseract loads its model once a run, which costs
 * more than reading a box: the crops are grouped by whitelist and page
 * segmentation, and each group is one run over a list of images (each its own
 * "page" in the output), written in `dir` (a private folder the caller removes).
 */
export async function ocrBoxes(items: OcrItem[], dir: string, deadline: number): Promise<OcrText[]> {
  const out: OcrText[] = items.map(() => ({ text: '', confidence: 0 }));
  const groups = new Map<string, number[]>();
  items.forEach((it, i) => {
    const key = `${it.multiline ? 6 : 7}|${whitelist(it.format)}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  let g = 0;
  for (const [key, members] of groups) {
    const [psm, chars] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
    const paths: string[] = [];
    for (const i of members) {
      const path = join(dir, `ocr-${g}-${i}.pgm`);
      await writeFile(path, toPgm(items[i]!.img));
      paths.push(path);
    }
    const list = join(dir, `ocr-${g}.txt`);
    await writeFile(list, `${paths.join('\n')}\n`);
    g++;
    const { stdout } = await runTool(
      TOOL.tesseract,
      [
        list,
        'stdout',
        '-l',
        'eng',
        '--psm',
        psm,
        '-c',
        `tessedit_char_whitelist=${chars}`,
        '-c',
        'load_system_dawg=0',
        '-c',
        'load_freq_dawg=0',
        'tsv',
      ],
      { deadline },
    );
    const pages = parseTsvPages(stdout.toString('utf8'));
    members.forEach((i, k) => (out[i] = pages.get(k + 1) ?? { text: '', confidence: 0 }));
  }
  return out;
}

/** Tesseract's TSV of several images: each page's text. */
export function parseTsvPages(tsv: string): Map<number, OcrText> {
  const byPage = new Map<number, string[]>();
  for (const row of tsv.split('\n')) {
    const page = Number(row.split('\t')[1]);
    if (!Number.isInteger(page) || page < 1) continue;
    byPage.set(page, [...(byPage.get(page) ?? []), row]);
  }
  const out = new Map<number, OcrText>();
  for (const [page, rows] of byPage) out.set(page, parseTsv(['header', ...rows].join('\n')));
  return out;
}

/** Tesseract's TSV: words (level 5) grouped into lines by block, paragraph and line number. */
export function parseTsv(tsv: string): OcrText {
  const lines = new Map<string, string[]>();
  let min = 101;
  for (const row of tsv.split('\n').slice(1)) {
    const cols = row.split('\t');
    if (cols.length < 12 || cols[0] !== '5') continue;
    const word = (cols[11] ?? '').trim();
    const conf = Number(cols[10]);
    if (!word) continue;
    if (Number.isFinite(conf)) min = Math.min(min, conf);
    const key = `${cols[2]}.${cols[3]}.${cols[4]}`;
    const list = lines.get(key) ?? [];
    list.push(word);
    lines.set(key, list);
  }
  const text = [...lines.values()].map((words) => words.join(' ')).join('\n');
  return { text, confidence: text ? Math.max(0, min) / 100 : 0 };
}
