/**
 * What intake needs of a parsed partner mail, and no more: the result of
 * parsing it in a MIME child (mail/mime-parse-child.ts). Headers, addresses, ids, a
 * bounded plain text (SWP-9 refund words), every attachment's name and type
 * (content only where bounce.ts reads it), and the PDFs and winmail.dat parts
 * found, also inside forwarded messages.
 */
import { CODES } from '../lib/errors.js';
import type { ParsedMail } from 'mailparser';
import type { CollectedParts } from './attachments.js';

export type ParsedMailLite = Pick<
  ParsedMail,
  'headers' | 'headerLines' | 'from' | 'subject' | 'messageId' | 'inReplyTo' | 'references' | 'text' | 'attachments'
> & {
  /** PDFs (with content) and unreadable wrappers, from collectPdfParts. */
  parts: CollectedParts;
};

export type MailParseErrorCode =
  typeof CODES.E_MAIL_TIMEOUT | typeof CODES.E_MAIL_TOO_LARGE | typeof CODES.E_MAIL_UNREADABLE;

export type MailParseResult =
  { ok: true; mail: ParsedMailLite } | { ok: false; error: { code: MailParseErrorCode; message: string } };

/** Characters of plain text kept: the desk only looks for a few words in it. */
export const MAX_TEXT_CHARS = 64 * 1024;
/** Characters of an HTML-only body read for its text (html-text.ts, linear): Outlook puts tens of KB of style first. */
export const MAX_HTML_CHARS = 1024 * 1024;
/** Bytes kept of an attachment bounce.ts reads (delivery status, returned headers). */
export const MAX_REPORT_PART_BYTES = 256 * 1024;

const MESSAGES: Record<MailParseErrorCode, (seconds: number) => string> = {
  E_MAIL_TIMEOUT: (s) =>
    `The message took too long to read (over ${s} seconds): it is built in a way the desk does not read. Please send the filled PDF forms again in a plain message, as PDF attachments, with the case number in the subject.`,
  E_MAIL_TOO_LARGE: () =>
    'The message needs more memory to read than the desk gives one message. Please send the filled PDF forms again in a plain message, as PDF attachments, without other files.',
  E_MAIL_UNREADABLE: () =>
    'The message could not be read (its MIME structure is broken). Please send the filled PDF forms again in a plain message, as PDF attachments, with the case number in the subject.',
};

export function mailParseError(code: MailParseErrorCode, timeoutMs = 0): MailParseResult {
  return { ok: false, error: { code, message: MESSAGES[code](Number((timeoutMs / 1000).toFixed(2))) } };
}

export function isMailParseResult(x: unknown): x is MailParseResult {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as { ok?: unknown; mail?: unknown; error?: { code?: unknown } };
  if (r.ok === true) return typeof r.mail === 'object' && r.mail !== null;
  return r.ok === false && typeof r.error?.code === 'string';
}
