/**
 * Child-process entry for mail/card-strip-client.ts: rebuilds a kept partner mail without
 * its card form (card-form-strip.ts: mailparser, then nodemailer's
 * MailComposer) off the desk's event loop, under the same heap limit, OS
 * memory limit and time budget as the MIME children. A partner's mail can be
 * 25 MB with any body at all; taking it apart and building it again on the
 * desk's loop would hold lock renewals, the ingest lease and the console.
 *
 * A PDF is judged by intake's verdict on its bytes (SHA-256). When the mail
 * holds a PDF with no verdict, nothing is built: the child answers with those
 * PDFs, the desk reads them in a PDF child (with its inflate budget) and asks
 * again with their verdicts.
 *
 * IPC (fork, serialization 'advanced'; the loop is lib/isolation/child-serve.ts):
 * `{ id, raw, verdicts, why }` → `{ id, result: StripResult }`. Nothing is
 * logged: a mail's content never reaches stderr.
 */
import { exitQuietlyOnUncaught, serveParentJobs } from '../lib/isolation/child-serve.js';
import { isAllocationFailure } from '../lib/isolation/allocation-failure.js';
import { CODES } from '../lib/errors.js';
import { stripCardForms } from './card-form-strip.js';
import {
  cardFormRemovedNote,
  pdfDigest,
  stripError,
  type CardPdfVerdict,
  type StripResult,
} from './card-strip-protocol.js';

async function strip(raw: Uint8Array, verdicts: Record<string, CardPdfVerdict>, why: string): Promise<StripResult> {
  const unknown = new Map<string, Uint8Array>();
  const isCardPdf = async (pdf: Buffer): Promise<boolean> => {
    const digest = pdfDigest(pdf);
    const verdict = verdicts[digest];
    if (verdict) return verdict === 'card';
    unknown.set(digest, new Uint8Array(pdf));
    return true;
  };
  const res = await stripCardForms(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), isCardPdf, (removed) =>
    cardFormRemovedNote(removed, why),
  );
  if (unknown.size > 0) return { ok: true, needVerdicts: [...unknown.values()] };
  return { ok: true, stripped: res ? { raw: res.raw, removed: res.removed } : null };
}

exitQuietlyOnUncaught();

if (process.send) {
  serveParentJobs(async (msg) => {
    const m = (typeof msg === 'object' && msg !== null ? msg : {}) as {
      id?: unknown;
      raw?: unknown;
      verdicts?: unknown;
      why?: unknown;
    };
    if (
      typeof m.id !== 'number' ||
      !(m.raw instanceof Uint8Array) ||
      typeof m.why !== 'string' ||
      typeof m.verdicts !== 'object' ||
      m.verdicts === null
    )
      return undefined;
    let result: StripResult;
    let exitAfter = false;
    try {
      result = await strip(m.raw, m.verdicts as Record<string, CardPdfVerdict>, m.why);
    } catch (err) {
      exitAfter = isAllocationFailure(err);
      result = stripError(exitAfter ? CODES.E_MAIL_TOO_LARGE : CODES.E_MAIL_UNREADABLE);
    }
    return { message: { id: m.id, result }, exitAfter };
  });
}
