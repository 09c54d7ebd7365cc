/**
 * Where the parse child turns to paper (DSK-9): a PDF the field reader found
 * flattened, or bytes that are a page image, are read as the paper form they
 * show; every other result stands. A page image with no page the desk can
 * place is E_PDF_UNPLACED, a PDF with none stays E_PDF_FLATTENED (the partner
 * is told, as for any unreadable attachment).
 */
import { CODES } from '../../lib/errors.js';
import { timedOut } from '../pdf-read-protocol.js';
import type { ReadResult } from '../types.js';
import { paperKind, readPaper } from './read-paper.js';

export const UNPLACED_MESSAGE =
  "The desk could not read this page: it found no code and corner marks of one of its forms on it. Please send the desk's own form, printed whole (the code beside the title and the four corner marks visible), or the filled PDF itself.";

export const PAGE_OVERTIME_MESSAGE =
  'The desk could not read this page in the time it gives a page. Please send it again as a clear scan at 200 or 300 dpi, or the filled PDF itself.';

export async function readPaperResult(
  bytes: Uint8Array,
  first: ReadResult,
  deadline: number,
  timeoutMs: number,
): Promise<ReadResult> {
  if (first.ok) return first;
  const kind = paperKind(bytes);
  const flattened = first.error.code === CODES.E_PDF_FLATTENED;
  if (!kind || (kind === 'pdf' && !flattened)) return first;
  let read;
  try {
    read = await readPaper(bytes, kind, deadline);
  } catch {
    // A tool that failed on the file (a broken image): as unreadable as a broken PDF, never its text.
    return kind === 'pdf' ? first : { ok: false, error: { code: CODES.E_PDF_UNPLACED, message: UNPLACED_MESSAGE } };
  }
  const [form, ...more] = read.forms;
  if (!form) {
    if (read.timedOut || read.overtime.length > 0) return timedOut(timeoutMs);
    // A PDF without fields that is none of the desk's forms on paper stays what it was (E_PDF_FLATTENED).
    return kind === 'pdf' ? first : { ok: false, error: { code: CODES.E_PDF_UNPLACED, message: UNPLACED_MESSAGE } };
  }
  return {
    ok: true,
    form,
    ...(more.length ? { more } : {}),
    ...(read.unplaced.length ? { unplaced: read.unplaced } : {}),
    ...(read.overtime.length ? { overtime: read.overtime } : {}),
  };
}
