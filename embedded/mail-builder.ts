/**
 * Raw RFC 5322 partner messages for tests, built with nodemailer's MailComposer
 * (CRLF line endings, proper MIME for text/html/attachments).
 */
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface PdfAttachment {
  filename: string;
  content: Buffer | Uint8Array;
  /** Defaults to application/pdf. */
  contentType?: string;
}

export interface PartnerMailSpec {
  from: string;
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  cc?: string | string[];
  replyTo?: string;
  /** With angle brackets, e.g. `<abc@partner.example>`; generated when missing (see newMessageId). */
  messageId?: string;
  inReplyTo?: string;
  references?: string | string[];
  /** Defaults to now. */
  date?: Date;
  /** Extra headers, e.g. `{ 'X-Partner-Ref': 'PO-1' }`. */
  headers?: Record<string, string>;
  attachments?: PdfAttachment[];
}

/** A fresh Message-ID, `<uuid@domain>`. */
export function newMessageId(domain = 'partner.test'): string {
  return `<${randomUUID()}@${domain}>`;
}

/** Builds the message as a Buffer (what IMAP APPEND or SMTP DATA takes). */
export async function buildPartnerMail(spec: PartnerMailSpec): Promise<Buffer> {
  const composer = new MailComposer({
    from: spec.from,
    to: spec.to,
    ...(spec.cc !== undefined ? { cc: spec.cc } : {}),
    ...(spec.replyTo !== undefined ? { replyTo: spec.replyTo } : {}),
    subject: spec.subject,
    messageId: spec.messageId ?? newMessageId(/@([^>\s]+)/.exec(spec.from)?.[1]),
    ...(spec.inReplyTo !== undefined ? { inReplyTo: spec.inReplyTo } : {}),
    ...(spec.references !== undefined ? { references: spec.references } : {}),
    date: spec.date ?? new Date(),
    text: spec.text,
    ...(spec.html !== undefined ? { html: spec.html } : {}),
    ...(spec.headers ? { headers: spec.headers } : {}),
    attachments: (spec.attachments ?? []).map((a) => ({
      filename: a.filename,
      content: Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content),
      contentType: a.contentType ?? 'application/pdf',
    })),
  });
  return composer.compile().build();
}

/**
 * A tiny valid one-page PDF whose page shows `label` (ASCII), for attachment
 * tests that need real PDF bytes without a PDF library.
 */
export function tinyPdf(label = 'licensedesk test'): Buffer {
  const text = label.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
