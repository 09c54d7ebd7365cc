/**
 * Reads a filled AcroForm PDF into a RawForm by walking the field
 * dictionaries at low level. pdf-lib is used only to parse objects: its
 * high-level getters assume pdf-lib's own conventions, and partners' tools
 * differ (docs/forms.md):
 *   - pypdf writes a checkbox value as a string `(/Yes)` and leaves /AS alone;
 *   - pdftk and others may write a dropdown value as an array;
 *   - a checkbox's on-state need not be `Yes` (V is matched against the
 *     widgets' /AP /N keys), and LibreOffice writes V and AS /Yes for a box
 *     whose on appearance has another name;
 *   - V, FT and Ff are inheritable, so they may sit on a parent field;
 *   - names are hierarchical: the full name joins the /T of every ancestor
 *     with dots.
 * A field whose name looks like a card security code is dropped inside this
 * module; only its name leaves (DSK-5). No value of any field is ever put into
 * an error, a message or a log line here.
 *
 * A PDF of more than MAX_PAGES pages is refused (E_PDF_TOO_LARGE) before any
 * field is read. An encrypted PDF is E_PDF_ENCRYPTED here: pdf-lib cannot
 * decrypt, not even with no user password (ignoreEncryption yields
 * ciphertext); the isolated path decrypts an owner-password-only one with qpdf
 * first (decrypt.ts).
 *
 * Call it in a child process (forms/pdf-read-client.ts): parsing a hostile PDF can
 * take unbounded time and memory.
 */
import {
  PDFArray,
  PDFBool,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  decodePDFRawStream,
  type PDFObject,
} from 'pdf-lib';
import type { FieldValue, RawForm, ReadResult, UnreadablePdf } from './types.js';
import { isFormId } from './specs.js';
import { CODES } from '../lib/errors.js';

/** Plain-words messages for each way a PDF can be unreadable; each says what to send instead. */
export const READ_ERROR_MESSAGES = {
  notPdf:
    'The attachment is not a PDF file. Please send the filled form as the PDF file itself (not a scan, picture or link).',
  truncated:
    'The PDF file is cut short (incomplete), perhaps by the mail program. Please send the filled form again as a complete PDF file.',
  corrupt:
    'The PDF file is damaged and cannot be read. Please save the filled form again from your PDF program and send that file.',
  encrypted:
    'The PDF is password-protected or encrypted, so the desk cannot read it. Please send the filled form again without a password or encryption.',
  flattened:
    'The PDF has no fillable fields left (it was printed to PDF, scanned or flattened). Please fill in the blank form the desk sent and email it as saved, without flattening or printing it to PDF.',
  xfa: "The PDF is an XFA (LiveCycle or Adobe Designer) form with no standard form fields, so the desk cannot read it. Please save it as a standard (AcroForm) PDF form, or fill in the desk's own blank form, and send that.",
  tooManyPages: (max: number): string =>
    `The PDF has more than ${max} pages, and each of the desk's forms is one page. Please send only the filled form the desk sent, as a PDF file of its own (without other documents or scanned pages added to it).`,
  noFormId:
    "The PDF is not one of the desk's forms: it has no form_id field. Please fill in the desk's own blank form and send that.",
  unknownFormId: (id: string): string =>
    `The PDF's form_id${id ? ` '${id}'` : ''} is not a form the desk knows (it may be an old version). Please fill in the desk's current blank form and send that.`,
} as const;

const N = (s: string): PDFName => PDFName.of(s);
const K = {
  AcroForm: N('AcroForm'),
  Fields: N('Fields'),
  Kids: N('Kids'),
  Parent: N('Parent'),
  T: N('T'),
  FT: N('FT'),
  V: N('V'),
  Ff: N('Ff'),
  AP: N('AP'),
  AS: N('AS'),
  N: N('N'),
  XFA: N('XFA'),
  NeedsRendering: N('NeedsRendering'),
  Subtype: N('Subtype'),
  Widget: N('Widget'),
  Annots: N('Annots'),
  Pages: N('Pages'),
  Count: N('Count'),
} as const;

/** More pages than this is not a desk form (they have one page): E_PDF_TOO_LARGE, counted before any field is read. */
export const MAX_PAGES = 50;

const FF_RADIO = 1 << 15;
const FF_PUSHBUTTON = 1 << 16;
const MAX_DEPTH = 64;
const MAX_FIELDS = 5000;

/** A card security code field name (cvv, cvc, cvv2, csc, cid, security_code, card_code …), any case. */
export function looksLikeSecurityCode(name: string): boolean {
  const tokens = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const SHORT = new Set(['cvv', 'cvv2', 'cvc', 'cvc2', 'csc', 'cid', 'cvn', 'cvn2', 'cvd', 'cav2', 'cvk', 'cvp2']);
  if (tokens.some((t) => SHORT.has(t))) return true;
  const compact = tokens.join('');
  return [
    'cvv',
    'cvc',
    'securitycode',
    'seccode',
    'cardcode',
    'cardsecurity',
    'cardverification',
    'verificationcode',
    'verificationvalue',
    'cardvalidation',
    'validationcode',
  ].some((s) => compact.includes(s));
}

/** Reads the form fields of a PDF. Never throws for a bad PDF: failures are classified. */
export async function readPdfForm(bytes: Uint8Array): Promise<ReadResult> {
  try {
    return await readUnsafe(bytes);
  } catch {
    // Deliberately not the error's text: it could quote bytes of the file.
    return fail(CODES.E_PDF_CORRUPT, READ_ERROR_MESSAGES.corrupt);
  }
}

function fail(code: UnreadablePdf['code'], message: string): ReadResult {
  return { ok: false, error: { code, message } };
}

async function readUnsafe(bytes: Uint8Array): Promise<ReadResult> {
  if (!hasPdfHeader(bytes)) return fail(CODES.E_PDF_CORRUPT, READ_ERROR_MESSAGES.notPdf);
  if (!hasEofMarker(bytes)) return fail(CODES.E_PDF_CORRUPT, READ_ERROR_MESSAGES.truncated);

  let doc: PDFDocument;
  try {
    doc = await quietly(() =>
      PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false }),
    );
  } catch {
    if (rawLooksEncrypted(bytes)) return fail(CODES.E_PDF_ENCRYPTED, READ_ERROR_MESSAGES.encrypted);
    return fail(CODES.E_PDF_CORRUPT, READ_ERROR_MESSAGES.corrupt);
  }
  if (doc.isEncrypted) return fail(CODES.E_PDF_ENCRYPTED, READ_ERROR_MESSAGES.encrypted);

  const catalog = asDict(doc.catalog);
  if (!catalog) return fail(CODES.E_PDF_CORRUPT, READ_ERROR_MESSAGES.corrupt);
  if (pageCountOver(catalog, MAX_PAGES))
    return fail(CODES.E_PDF_TOO_LARGE, READ_ERROR_MESSAGES.tooManyPages(MAX_PAGES));
  const acroForm = asDict(get(catalog, K.AcroForm));

  let roots = acroForm ? dictsOf(get(acroForm, K.Fields)) : [];
  if (roots.length === 0) roots = rootsFromWidgets(catalog);
  const terminals = collectTerminals(roots);

  if (terminals.length === 0) {
    const needsRendering = get(catalog, K.NeedsRendering);
    const xfa =
      (acroForm !== undefined && get(acroForm, K.XFA) !== undefined) ||
      (needsRendering instanceof PDFBool && needsRendering.asBoolean());
    return xfa
      ? fail(CODES.E_PDF_XFA, READ_ERROR_MESSAGES.xfa)
      : fail(CODES.E_PDF_FLATTENED, READ_ERROR_MESSAGES.flattened);
  }

  const fields: Record<string, FieldValue> = {};
  const discarded: string[] = [];
  for (const node of terminals) {
    const name = fullName(node);
    if (!name) continue;
    const value = fieldValue(node);
    if (value === undefined) continue; // push buttons, signatures
    if (looksLikeSecurityCode(name)) {
      // The value is dropped right here and never leaves this function (DSK-5).
      if ((value === true || (typeof value === 'string' && value !== '')) && !discarded.includes(name))
        discarded.push(name);
      continue;
    }
    const seen = fields[name];
    // Two field dictionaries with one name (a broken tool): a filled one beats an empty one.
    if (seen === undefined || seen === '' || seen === false) fields[name] = value;
  }

  const formId = fields['form_id'];
  if (formId === undefined) return fail(CODES.E_PDF_UNKNOWN_FORM, READ_ERROR_MESSAGES.noFormId);
  if (typeof formId !== 'string' || !isFormId(formId)) {
    return fail(
      CODES.E_PDF_UNKNOWN_FORM,
      READ_ERROR_MESSAGES.unknownFormId(typeof formId === 'string' ? printable(formId) : ''),
    );
  }
  const form: RawForm = { formId, fields, discarded };
  return { ok: true, form };
}

// --- bytes-level checks -------------------------------------------------------

function indexOfAscii(bytes: Uint8Array, needle: string, from: number, to: number): number {
  const n = needle.length;
  outer: for (let i = Math.max(0, from); i <= Math.min(bytes.length, to) - n; i++) {
    for (let j = 0; j < n; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** `%PDF-` in the first KiB (some producers put junk before it, which readers tolerate). */
function hasPdfHeader(bytes: Uint8Array): boolean {
  return indexOfAscii(bytes, '%PDF-', 0, 1024) >= 0;
}

/** A complete file ends with `%%EOF` (give or take trailing whitespace or junk). */
function hasEofMarker(bytes: Uint8Array): boolean {
  return indexOfAscii(bytes, '%%EOF', bytes.length - 2048, bytes.length) >= 0;
}

/** A trailer or xref stream naming an /Encrypt dictionary. */
function rawLooksEncrypted(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return /\/Encrypt\s*(?:\d+\s+\d+\s+R|<<)/.test(text);
}

/** pdf-lib warns on console while parsing (and can quote numbers from the file): keep it quiet. */
let quietDepth = 0;
let savedWarn: typeof console.warn | undefined;
let savedLog: typeof console.log | undefined;
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  if (quietDepth++ === 0) {
    savedWarn = console.warn;
    savedLog = console.log;
    console.warn = () => {};
    console.log = () => {};
  }
  try {
    return await fn();
  } finally {
    if (--quietDepth === 0) {
      if (savedWarn) console.warn = savedWarn;
      if (savedLog) console.log = savedLog;
    }
  }
}

// --- object helpers -----------------------------------------------------------

function deref(obj: PDFObject | undefined, dict?: PDFDict): PDFObject | undefined {
  let cur = obj;
  for (let i = 0; i < 8 && cur instanceof PDFRef; i++) {
    cur = dict?.context.lookup(cur) ?? undefined;
  }
  return cur instanceof PDFRef ? undefined : cur;
}

function get(dict: PDFDict, key: PDFName): PDFObject | undefined {
  return deref(dict.get(key), dict);
}

function asDict(obj: PDFObject | undefined): PDFDict | undefined {
  return obj instanceof PDFDict ? obj : undefined;
}

/** The dictionaries of an array (refs resolved), or of a single dictionary. */
function dictsOf(obj: PDFObject | undefined): PDFDict[] {
  if (obj instanceof PDFDict) return [obj];
  if (!(obj instanceof PDFArray)) return [];
  const out: PDFDict[] = [];
  for (let i = 0; i < obj.size(); i++) {
    const d = asDict(obj.lookup(i));
    if (d) out.push(d);
  }
  return out;
}

function kidsOf(node: PDFDict): PDFDict[] {
  return dictsOf(get(node, K.Kids));
}

function parentOf(node: PDFDict): PDFDict | undefined {
  return asDict(get(node, K.Parent));
}

/** The node itself and its ancestors, nearest first, cycle-safe. */
function lineage(node: PDFDict): PDFDict[] {
  const chain: PDFDict[] = [];
  for (
    let cur: PDFDict | undefined = node;
    cur && chain.length < MAX_DEPTH && !chain.includes(cur);
    cur = parentOf(cur)
  ) {
    chain.push(cur);
  }
  return chain;
}

/** An inheritable attribute (FT, V, Ff, DA…): the nearest ancestor's. */
function inherited(node: PDFDict, key: PDFName): PDFObject | undefined {
  for (const d of lineage(node)) {
    const v = get(d, key);
    if (v !== undefined) return v;
  }
  return undefined;
}

function textOf(obj: PDFObject | undefined): string | undefined {
  if (obj instanceof PDFString || obj instanceof PDFHexString) return obj.decodeText();
  if (obj instanceof PDFName) return obj.decodeText();
  if (obj instanceof PDFNumber) return String(obj.asNumber());
  if (obj instanceof PDFBool) return obj.asBoolean() ? 'true' : 'false';
  if (obj instanceof PDFRawStream) {
    const data = decodePDFRawStream(obj).decode();
    return PDFHexString.of(Buffer.from(data).toString('hex')).decodeText();
  }
  return undefined;
}

/** Text of a value that may be an array (pdftk's dropdowns): its first element. */
function firstText(obj: PDFObject | undefined, owner: PDFDict): string | undefined {
  if (obj instanceof PDFArray) return obj.size() > 0 ? textOf(deref(obj.get(0), owner)) : undefined;
  return textOf(obj);
}

function cleanText(s: string | undefined): string {
  return (s ?? '').replace(/\r\n?/g, '\n').trim();
}

/** A state name as written by any tool: `/Yes` (name), `(/Yes)` or `(Yes)` (pypdf-style string). */
function stateName(obj: PDFObject | undefined, owner: PDFDict): string | undefined {
  const s = firstText(obj, owner);
  if (s === undefined) return undefined;
  const t = s.trim();
  return t.startsWith('/') ? t.slice(1) : t;
}

function printable(s: string): string {
  const t = s.replace(/[^\x20-\x7e]/g, '').slice(0, 40);
  return /\d{6,}/.test(t) ? '' : t; // never echo anything number-like
}

// --- the field tree -----------------------------------------------------------

/**
 * Whether the document has more than `max` pages: its page tree's /Count, or
 * its leaves counted (a /Count can lie), the walk stopping at max + 1.
 */
function pageCountOver(catalog: PDFDict, max: number): boolean {
  const root = asDict(get(catalog, K.Pages));
  if (!root) return false;
  const count = get(root, K.Count);
  if (count instanceof PDFNumber && count.asNumber() > max) return true;
  let leaves = 0;
  const seen = new Set<PDFDict>();
  const walk = (node: PDFDict, depth: number): void => {
    if (leaves > max || depth > MAX_DEPTH || seen.has(node)) return;
    seen.add(node);
    const kids = get(node, K.Kids);
    if (!(kids instanceof PDFArray)) {
      leaves++; // a page (or a broken node without kids, counted as one)
      return;
    }
    for (let i = 0; i < kids.size() && leaves <= max; i++) {
      const kid = asDict(deref(kids.get(i), node));
      if (kid) walk(kid, depth + 1);
    }
  };
  walk(root, 0);
  return leaves > max;
}

/** Top-level fields reached from the page widgets, for files whose /AcroForm /Fields is missing or empty. */
function rootsFromWidgets(catalog: PDFDict): PDFDict[] {
  const roots: PDFDict[] = [];
  const seenPages = new Set<PDFDict>();
  const walk = (node: PDFDict | undefined, depth: number): void => {
    if (!node || depth > MAX_DEPTH || seenPages.has(node) || seenPages.size > 10_000) return;
    seenPages.add(node);
    for (const kid of kidsOf(node)) walk(kid, depth + 1);
    for (const annot of dictsOf(get(node, K.Annots))) {
      if (get(annot, K.Subtype) !== K.Widget) continue;
      const chain = lineage(annot);
      const top = chain[chain.length - 1];
      if (top && !roots.includes(top)) roots.push(top);
    }
  };
  walk(asDict(get(catalog, K.Pages)), 0);
  return roots;
}

/**
 * Terminal fields under the roots: a node whose kids carry no /T is a field
 * (its kids, if any, are its widgets); a node with named kids is a branch.
 */
function collectTerminals(roots: PDFDict[]): PDFDict[] {
  const out: PDFDict[] = [];
  const seen = new Set<PDFDict>();
  const visit = (node: PDFDict, depth: number): void => {
    if (seen.has(node) || depth > MAX_DEPTH || out.length >= MAX_FIELDS) return;
    seen.add(node);
    const named = kidsOf(node).filter((k) => k.get(K.T) !== undefined);
    if (named.length === 0) {
      out.push(node);
      return;
    }
    for (const kid of named) visit(kid, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  return out;
}

/** The full dotted name: every ancestor's /T, outermost first. */
function fullName(node: PDFDict): string {
  const parts: string[] = [];
  for (const d of lineage(node)) {
    const t = get(d, K.T);
    const s = t instanceof PDFName ? t.decodeText() : textOf(t);
    if (s !== undefined && s !== '') parts.unshift(s);
  }
  return parts.join('.');
}

/** The widget annotations of a terminal field: its kids, or itself when merged. */
function widgetsOf(node: PDFDict): PDFDict[] {
  const kids = kidsOf(node);
  return kids.length > 0 ? kids : [node];
}

/** On-state names of a checkbox: the /AP /N keys of its widgets other than Off. */
function onStates(node: PDFDict): string[] {
  const states: string[] = [];
  for (const w of widgetsOf(node)) {
    const ap = asDict(get(w, K.AP));
    const n = ap ? get(ap, K.N) : undefined;
    if (!(n instanceof PDFDict)) continue;
    for (const key of n.keys()) {
      const s = key.decodeText();
      if (s !== 'Off' && !states.includes(s)) states.push(s);
    }
  }
  return states;
}

function fieldValue(node: PDFDict): FieldValue | undefined {
  const ftObj = inherited(node, K.FT);
  const ft = ftObj instanceof PDFName ? ftObj.decodeText() : undefined;
  const ffObj = inherited(node, K.Ff);
  const ff = ffObj instanceof PDFNumber ? ffObj.asNumber() : 0;
  const v = inherited(node, K.V);

  switch (ft) {
    case 'Sig':
      return undefined;
    case 'Btn': {
      if (ff & FF_PUSHBUTTON) return undefined;
      if (ff & FF_RADIO) {
        const s = stateName(v, node);
        return s === undefined || s === 'Off' ? '' : s;
      }
      return checkboxChecked(node, v);
    }
    case 'Ch':
      return cleanText(firstText(v, node));
    case 'Tx':
    default:
      return cleanText(firstText(v, node));
  }
}

function checkboxChecked(node: PDFDict, v: PDFObject | undefined): boolean {
  const states = onStates(node);
  const isOn = (s: string | undefined): boolean => {
    if (s === undefined || s === '' || s === 'Off') return false;
    if (states.length === 0) return true; // no appearances to compare with: any non-Off value
    return states.includes(s) || states.some((st) => st.toLowerCase() === s.toLowerCase());
  };
  const value = stateName(v, node);
  if (value !== undefined) {
    if (isOn(value)) return true;
    if (value === '' || value === 'Off') return false;
    // LibreOffice (7.4) names the on appearance after the control's reference
    // value (`on`, `Ja`) but writes V and AS as /Yes: when V and a widget's AS
    // agree on one non-Off state, the box was checked where it was filled.
    return widgetsOf(node).some((w) => {
      const as = get(w, K.AS);
      return as instanceof PDFName && as.decodeText() === value;
    });
  }
  // No /V anywhere: some tools only set the widget's appearance state.
  return widgetsOf(node).some((w) => {
    const as = get(w, K.AS);
    return as instanceof PDFName && isOn(as.decodeText());
  });
}
