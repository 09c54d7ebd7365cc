/**
 * Child-process entry for mail/mime-parse-pool.ts: parses partner mail (mailparser) off
 * the desk's event loop, under a heap limit, an OS memory limit and a time
 * budget the parent enforces by killing it. Replies with a ParsedMailLite:
 * HTML is never rendered by mailparser's html-to-text (seconds per MB,
 * superlinear); an HTML-only body's text is taken by html-text.ts, linear,
 * from its first MAX_HTML_CHARS.
 *
 * IPC (fork, serialization 'advanced'; the loop is lib/isolation/child-serve.ts):
 * sends `{ ready: true }` once loaded; on `{ id, raw: Uint8Array }` replies `{ id, result: MailParseResult }`.
 * One request at a time. After a failed allocation it exits once it has
 * replied, so no later mail is parsed by a damaged process. Nothing is logged:
 * a mail's content never reaches stderr.
 */
import { exitQuietlyOnUncaught, serveParentJobs } from '../lib/isolation/child-serve.js';
import { isAllocationFailure } from '../lib/isolation/allocation-failure.js';
import { CODES } from '../lib/errors.js';
import { simpleParser, type Attachment, type SimpleParserOptions } from 'mailparser';
import { collectPdfParts } from './attachments.js';
import { htmlToBoundedText } from './html-text.js';
import {
  MAX_HTML_CHARS,
  MAX_REPORT_PART_BYTES,
  MAX_TEXT_CHARS,
  mailParseError,
  type MailParseResult,
  type ParsedMailLite,
} from './mail-lite.js';

/** Parts whose content bounce.ts reads; every other attachment goes back without content. */
const REPORT_TYPES = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/global-headers',
]);

const OPTIONS = {
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipImageLinks: true,
  keepDeliveryStatus: true,
} as SimpleParserOptions;

function lite(a: Attachment): Attachment {
  const keep = REPORT_TYPES.has(a.contentType.toLowerCase());
  return {
    type: a.type,
    contentType: a.contentType,
    partId: a.partId,
    release: a.release,
    contentDisposition: a.contentDisposition,
    filename: a.filename,
    headers: a.headers,
    checksum: a.checksum,
    size: a.size,
    cid: a.cid,
    contentId: a.contentId,
    related: a.related,
    content: keep ? a.content.subarray(0, MAX_REPORT_PART_BYTES) : Buffer.alloc(0),
  } as Attachment;
}

async function parse(raw: Uint8Array): Promise<MailParseResult> {
  const parsed = await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), OPTIONS);
  const plain = parsed.text?.trim() ? parsed.text.slice(0, MAX_TEXT_CHARS) : '';
  const text =
    plain ||
    (typeof parsed.html === 'string' ? htmlToBoundedText(parsed.html.slice(0, MAX_HTML_CHARS), MAX_TEXT_CHARS) : '');
  const parts = await collectPdfParts(parsed);
  const mail: ParsedMailLite = {
    headers: parsed.headers,
    headerLines: parsed.headerLines,
    from: parsed.from,
    subject: parsed.subject,
    messageId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    references: parsed.references,
    text,
    attachments: parsed.attachments.map(lite),
    parts,
  };
  return { ok: true, mail };
}

exitQuietlyOnUncaught();

if (process.send) {
  serveParentJobs(async (msg) => {
    const m = (typeof msg === 'object' && msg !== null ? msg : {}) as { id?: unknown; raw?: unknown };
    if (typeof m.id !== 'number' || !(m.raw instanceof Uint8Array)) return undefined;
    let result: MailParseResult;
    let exitAfter = false;
    try {
      result = await parse(m.raw);
    } catch (err) {
      exitAfter = isAllocationFailure(err);
      result = mailParseError(exitAfter ? CODES.E_MAIL_TOO_LARGE : CODES.E_MAIL_UNREADABLE);
    }
    return { message: { id: m.id, result }, exitAfter };
  });
}
