/**
 * Which parts of a partner's mail are forms (DSK-1, DSK-6): PDFs however the
 * partner's mailer labelled them, page images (PNG, JPEG, TIFF: forms on
 * paper, DSK-9), also inside forwarded messages, and the
 * parts the desk cannot read (winmail.dat) so intake can say what to resend.
 */
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';

/** A form part: a PDF, or a page image of a form on paper (DSK-9), read alike in the parse child. */
export interface PdfPart {
  filename: string;
  content: Buffer;
  /** `forwarded` when found inside an attached message/rfc822 part. */
  via: 'attachment' | 'forwarded';
}

export interface CollectedParts {
  pdfs: PdfPart[];
  /** Names of winmail.dat / application/ms-tnef parts (Outlook's rich-text wrapper: the PDFs inside are not readable). */
  winmail: string[];
  /** Names (or content types) of every other part, including forwarded messages too deep or broken to open. */
  other: string[];
}

const PDF_TYPES = new Set(['application/pdf', 'application/x-pdf', 'application/acrobat', 'application/vnd.pdf']);
const TNEF_TYPES = new Set(['application/ms-tnef', 'application/vnd.ms-tnef']);
const MESSAGE_TYPES = new Set(['message/rfc822', 'message/global']);
/** Acrobat accepts a PDF header anywhere in the first 1024 bytes. */
const PDF_SNIFF_BYTES = 1024;

/** True when the bytes carry a `%PDF-` header (at the start, or after a little junk as Acrobat allows). */
export function looksLikePdf(content: Buffer): boolean {
  return content.subarray(0, PDF_SNIFF_BYTES).includes('%PDF-', 0, 'latin1');
}

/** A file name safe to show and log: no directories, no control characters. */
function displayName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const base = name
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .split(/[\\/]/)
    .pop()
    ?.trim();
  return base || undefined;
}

function isPdf(a: Attachment): boolean {
  return PDF_TYPES.has(a.contentType.toLowerCase()) || /\.pdf$/i.test(a.filename ?? '') || looksLikePdf(a.content);
}

/** A scan, photo or fax page (PNG, JPEG, TIFF): by the image's own first bytes, whatever the mailer labelled it. */
function isPageImage(a: Attachment): boolean {
  const c = a.content;
  return (
    (c[0] === 0x89 && c.subarray(1, 4).toString('latin1') === 'PNG') ||
    (c[0] === 0xff && c[1] === 0xd8 && c[2] === 0xff) ||
    ['II*\0', 'MM\0*'].includes(c.subarray(0, 4).toString('latin1'))
  );
}

function isWinmail(a: Attachment): boolean {
  return TNEF_TYPES.has(a.contentType.toLowerCase()) || /^winmail\.dat$/i.test(displayName(a.filename) ?? '');
}

function isMessage(a: Attachment): boolean {
  return MESSAGE_TYPES.has(a.contentType.toLowerCase());
}

/**
 * The PDFs of a mail and what else came with it. Attached messages
 * (message/rfc822, as Outlook's "forward as attachment" sends them) are
 * opened and searched too, up to `maxDepth` messages deep counting the mail
 * itself as 1 (default 3: a forward of a forward). An inline message/rfc822
 * part is already unfolded by mailparser into the mail's own attachments, so
 * its PDFs arrive with `via: 'attachment'`.
 */
export async function collectPdfParts(mail: ParsedMail, opts: { maxDepth?: number } = {}): Promise<CollectedParts> {
  const maxDepth = Math.max(1, opts.maxDepth ?? 3);
  const out: CollectedParts = { pdfs: [], winmail: [], other: [] };
  await walk(mail, 1, maxDepth, out);
  return out;
}

async function walk(mail: ParsedMail, depth: number, maxDepth: number, out: CollectedParts): Promise<void> {
  for (const a of mail.attachments) {
    const name = displayName(a.filename);
    if (isMessage(a)) {
      const label = name ?? 'forwarded message';
      if (depth >= maxDepth) {
        out.other.push(`${label} (a forwarded message nested more than ${maxDepth} deep, not opened)`);
        continue;
      }
      let inner: ParsedMail;
      try {
        inner = await simpleParser(a.content, {
          skipHtmlToText: true,
          skipTextToHtml: true,
          skipImageLinks: true,
          keepCidLinks: true,
        });
      } catch {
        out.other.push(`${label} (a forwarded message that could not be read)`);
        continue;
      }
      await walk(inner, depth + 1, maxDepth, out);
      continue;
    }
    if (isWinmail(a)) {
      out.winmail.push(name ?? 'winmail.dat');
      continue;
    }
    if (isPdf(a)) {
      out.pdfs.push({
        filename: name ?? `attachment-${out.pdfs.length + 1}.pdf`,
        content: a.content,
        via: depth > 1 ? 'forwarded' : 'attachment',
      });
      continue;
    }
    // Images embedded in the HTML body are part of the text, not attachments.
    if (a.related) continue;
    if (isPageImage(a)) {
      out.pdfs.push({
        filename: name ?? `page-${out.pdfs.length + 1}`,
        content: a.content,
        via: depth > 1 ? 'forwarded' : 'attachment',
      });
      continue;
    }
    out.other.push(name ?? a.contentType);
  }
}
