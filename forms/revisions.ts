/**
 * Cross-checks a multi-revision PDF against qpdf, in the parse child.
 *
 * pdf-lib parses a file front to back and ignores the xref: when an object
 * number occurs twice, the later copy wins, even if no xref section points at
 * it. Every viewer (and qpdf) follows the xref instead. So an object appended
 * after the last revision without being referenced by it (a broken tool, or a
 * file crafted to show the desk something else than the partner saw) changes
 * what pdf-lib reads and nothing the partner saw. The desk must act on what
 * the partner saw.
 *
 * A file with more than one revision (more than one `startxref` or `%%EOF`),
 * or with one object number defined twice, is therefore also read by qpdf
 * (`qpdf --json=2 --json-key=acroform in.pdf out.json`: every widget's field
 * with its full name and value, as found through the xref), and each field's
 * value is compared with the RawForm's. The names of fields on which they
 * differ go into RawForm.disagreements; when qpdf fails or runs out of time it
 * is `['*']` (unknown: a rep must look). A file with one revision and no
 * redefined object never reaches qpdf (no cost on the normal path), and its
 * RawForm has no `disagreements` at all.
 *
 * qpdf runs as in decrypt.ts: absolute path, no shell, empty environment, a
 * private temp dir (0700) removed afterwards, stopped before the read's
 * deadline. Values of card security code fields are never kept (DSK-5), and
 * nothing here logs: only field names leave.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QPDF_PATH, readPdfFormDecryptingDetailed, runQpdf, type DecryptOptions } from './decrypt.js';
import { ISOLATED_DEFAULTS } from './pdf-read-protocol.js';
import { looksLikeSecurityCode } from './pdf-reader.js';
import type { FieldValue, RawForm, ReadResult } from './types.js';

/** The `disagreements` of a file qpdf could not read in time or at all: a rep must look. */
export const UNKNOWN_DISAGREEMENT = '*';

// --- when to ask qpdf -------------------------------------------------------------

function countAscii(bytes: Uint8Array, needle: string, max: number): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (
    let i = buf.indexOf(needle, 0, 'latin1');
    i >= 0 && n < max;
    i = buf.indexOf(needle, i + needle.length, 'latin1')
  )
    n++;
  return n;
}

/** How many revisions the file has, going by its `startxref` and `%%EOF` markers (at least 1). */
export function revisionCount(bytes: Uint8Array): number {
  return Math.max(1, countAscii(bytes, 'startxref', 1000), countAscii(bytes, '%%EOF', 1000));
}

/** Whether an object number is defined twice in the body (`N G obj` twice), which pdf-lib resolves to the later copy. */
export function hasRedefinedObject(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const seen = new Set<string>();
  for (const m of text.matchAll(/(?:^|[^0-9])(\d{1,10})[ \t\r\n\f\0]+(\d{1,5})[ \t\r\n\f\0]+obj(?![A-Za-z0-9])/g)) {
    const key = `${Number(m[1])} ${Number(m[2])}`;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/** Whether pdf-lib's reading of `bytes` may differ from a viewer's: more than one revision, or a redefined object. */
export function needsCrossCheck(bytes: Uint8Array): boolean {
  return revisionCount(bytes) > 1 || hasRedefinedObject(bytes);
}

// --- the parse child's read ------------------------------------------------------

/**
 * What the parse child runs: readPdfFormDecrypting, then, for a file whose
 * pdf-lib reading may differ from a viewer's, the qpdf cross-check, all
 * within the one deadline. A PDF read from qpdf's decrypted rewrite needs no
 * check (qpdf wrote only the objects its xref reached).
 */
export async function readPdfFormCrossChecked(bytes: Uint8Array, opts: DecryptOptions = {}): Promise<ReadResult> {
  const withDeadline: DecryptOptions = {
    ...opts,
    deadline: opts.deadline ?? Date.now() + (opts.timeoutMs ?? ISOLATED_DEFAULTS.timeoutMs),
  };
  const { result, decrypted } = await readPdfFormDecryptingDetailed(bytes, withDeadline);
  if (!result.ok || decrypted || !needsCrossCheck(bytes)) return result;
  const disagreements = await crossCheckWithQpdf(bytes, result.form, withDeadline);
  return { ok: true, form: { ...result.form, disagreements } };
}

/** The names of the fields on which qpdf's reading of `bytes` differs from `form`; `['*']` when qpdf fails or times out. */
export async function crossCheckWithQpdf(
  bytes: Uint8Array,
  form: RawForm,
  opts: DecryptOptions = {},
): Promise<string[]> {
  const viewer = await qpdfFieldValues(bytes, opts);
  if (viewer === undefined) return [UNKNOWN_DISAGREEMENT];
  return compareFields(form, viewer);
}

// --- qpdf's reading ----------------------------------------------------------------

/**
 * Field name -> value as qpdf reads the file (through the xref), typed like a
 * RawForm's (checkbox boolean, radio state or '', text and choice trimmed).
 * Security-code fields and push buttons/signatures are left out. Undefined
 * when qpdf is missing, fails, times out or writes something unexpected.
 */
export async function qpdfFieldValues(
  bytes: Uint8Array,
  opts: DecryptOptions = {},
): Promise<Map<string, FieldValue> | undefined> {
  const qpdf = opts.qpdfPath ?? QPDF_PATH;
  const deadline = opts.deadline ?? Date.now() + (opts.timeoutMs ?? ISOLATED_DEFAULTS.timeoutMs);
  const maxBytes = opts.maxBytes ?? ISOLATED_DEFAULTS.maxBytes;
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'ld-revisions-')); // mode 0700
    const input = join(dir, 'in.pdf');
    const output = join(dir, 'acroform.json');
    await writeFile(input, bytes, { mode: 0o600, flag: 'wx' });
    // --json=2 (qpdf 11's "latest"), only the acroform key; written to a file in the private dir.
    const code = await runQpdf(qpdf, ['--json=2', '--json-key=acroform', input, output], deadline);
    if (code !== 0 && code !== 3) return undefined; // 3: written, with warnings
    const size = (await stat(output)).size;
    if (size === 0 || size > maxBytes) return undefined;
    return fieldsFromJson(JSON.parse(await readFile(output, 'utf8')) as unknown);
  } catch {
    return undefined;
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function fieldsFromJson(json: unknown): Map<string, FieldValue> | undefined {
  if (!isObject(json) || !isObject(json['acroform'])) return undefined;
  const list = json['acroform']['fields'];
  if (!Array.isArray(list)) return undefined;
  const out = new Map<string, FieldValue>();
  for (const f of list) {
    if (!isObject(f)) return undefined;
    const name = f['fullname'];
    if (typeof name !== 'string' || name === '') continue;
    if (looksLikeSecurityCode(name)) continue; // its value is never kept (DSK-5)
    const value = viewerValue(f);
    if (value === undefined) continue; // push buttons, signatures
    const seen = out.get(name);
    // The reader's rule for two field dictionaries with one name: a filled one beats an empty one.
    if (seen === undefined || seen === '' || seen === false) out.set(name, value);
  }
  return out;
}

/** One qpdf acroform entry's value, typed as the reader types it; undefined for a field without a value. */
function viewerValue(f: Record<string, unknown>): FieldValue | undefined {
  const ft = f['fieldtype'];
  if (ft === '/Sig') return undefined;
  const raw = f['value'] as Json | undefined;
  if (f['ischeckbox'] === true) {
    let state = stateOf(raw);
    if (state === undefined) {
      const annot = f['annotation'];
      state = isObject(annot) ? stateOf(annot['appearancestate'] as Json) : undefined; // no /V: the appearance state
    }
    return state !== undefined && state !== '' && state !== 'Off';
  }
  if (f['isradiobutton'] === true) {
    const state = stateOf(raw);
    return state === undefined || state === 'Off' ? '' : state;
  }
  if (ft === '/Btn') return undefined; // a push button
  return cleanText(textOf(raw));
}

/**
 * Text of a qpdf JSON v2 value: `u:` UTF-8 text, `b:` hex bytes, `/Name`,
 * numbers, booleans; an array's first element. Undefined for null, a
 * dictionary or an indirect reference (`12 0 R`, e.g. a text stream).
 */
function textOf(v: Json | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.length > 0 ? textOf(v[0]) : undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v !== 'string') return undefined;
  if (v.startsWith('u:')) return v.slice(2);
  if (v.startsWith('b:')) return decodePdfBytes(Buffer.from(v.slice(2), 'hex'));
  if (v.startsWith('/')) return decodeName(v.slice(1));
  return undefined; // an indirect reference
}

function decodePdfBytes(b: Buffer): string {
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    const body = Buffer.from(b.subarray(2, 2 + ((b.length - 2) & ~1))); // a copy: swap16 works in place
    return body.swap16().toString('utf16le');
  }
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  return b.toString('latin1');
}

function decodeName(s: string): string {
  return s.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** A state name as any tool writes it (`/Yes`, `(/Yes)`, `(Yes)`), without the slash. */
function stateOf(v: Json | undefined): string | undefined {
  const s = textOf(v);
  if (s === undefined) return undefined;
  const t = s.trim();
  return t.startsWith('/') ? t.slice(1) : t;
}

function cleanText(s: string | undefined): string {
  return (s ?? '').replace(/\r\n?/g, '\n').trim();
}

// --- the comparison ----------------------------------------------------------------

/** A field missing on one side reads as empty: '' and an unchecked box are the same nothing. */
function same(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  const empty = (x: FieldValue | undefined): boolean => x === undefined || x === '' || x === false;
  if (empty(a) && empty(b)) return true;
  return a === b;
}

/** Names of the fields whose value differs between pdf-lib's reading (`form`) and a viewer's (`viewer`), in form order. */
export function compareFields(form: RawForm, viewer: Map<string, FieldValue>): string[] {
  const skip = (name: string): boolean => form.discarded.includes(name) || looksLikeSecurityCode(name);
  const names = [...Object.keys(form.fields), ...[...viewer.keys()].filter((n) => !Object.hasOwn(form.fields, n))];
  return names.filter((name) => !skip(name) && !same(form.fields[name], viewer.get(name)));
}
