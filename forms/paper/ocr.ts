/**
 * Printed text in one field box read by Debian's tesseract (DSK-9): one run a
 * box, with the page segmentation of a single line (a line list: a block) and
 * a whitelist of the characters the field's format allows, so an "O" in a
 * date cannot be read. Tesseract's word confidences give the value's
 * confidence: the lowest word's, 0..1.
 */
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
      return `${DIGITS} -`;
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

/** Reads `img` (a clean, upright crop) as text. */
export async function ocrBox(img: Grey, format: ValueFormat, multiline: boolean, deadline: number): Promise<OcrText> {
  const { stdout } = await runTool(
    TOOL.tesseract,
    [
      'stdin',
      'stdout',
      '-l',
      'eng',
      '--psm',
      multiline ? '6' : '7',
      '-c',
      `tessedit_char_whitelist=${whitelist(format)}`,
      '-c',
      'load_system_dawg=0',
      '-c',
      'load_freq_dawg=0',
      'tsv',
    ],
    { deadline, stdin: toPgm(img) },
  );
  return parseTsv(stdout.toString('utf8'));
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
