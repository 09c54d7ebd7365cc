/**
 * A partner's mail rebuilt without its card form (DSK-5 retention): once the
 * case is decided the desk needs what it read from the form (last four digits
 * and a token, on the case), never the form itself. The mail is parsed with
 * mailparser and composed again with nodemailer's MailComposer, keeping its
 * addresses, subject, date, Message-ID, threading headers, body and every
 * other attachment, and with a short text part saying what was removed.
 *
 * An attachment is removed when it is, or carries (a forwarded message, a
 * winmail.dat), a PDF the caller calls card data. A PDF that cannot be read is
 * removed too: the desk cannot tell it holds no card number.
 */
import { simpleParser, type Attachment, type ParsedMail, type AddressObject } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { collectPdfParts } from './attachments.js';

/** Header set on the rebuilt mail; the ingester tells a stripped copy in IMAP by it. */
export const STRIPPED_HEADER = 'X-Licensedesk-Card-Form-Removed';

export interface StripResult {
  raw: Buffer;
  /** Names of the parts removed. */
  removed: string[];
}

/** `isCardPdf` answers true for a card form or a PDF it could not read. */
export type CardPdfTest = (pdf: Buffer) => Promise<boolean>;

const addressText = (a: AddressObject | AddressObject[] | undefined): string | undefined =>
  a === undefined ? undefined : Array.isArray(a) ? a.map((x) => x.text).join(', ') : a.text;

async function carriesCardData(a: Attachment, isCardPdf: CardPdfTest): Promise<boolean> {
  // One attachment at a time through the same classification intake used (PDF by type, name or bytes; forwarded mail opened).
  const parts = await collectPdfParts({ attachments: [a] } as unknown as ParsedMail);
  if (parts.winmail.length > 0) return true; // its PDFs are unreadable to the desk, so possibly a card form
  for (const pdf of parts.pdfs) if (await isCardPdf(pdf.content)) return true;
  return false;
}

/** The mail without its card-data parts, or undefined when it has none. */
export async function stripCardForms(
  raw: Buffer,
  isCardPdf: CardPdfTest,
  note: (removed: string[]) => string,
): Promise<StripResult | undefined> {
  const mail = await simpleParser(raw, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    keepCidLinks: true,
  });
  const kept: Attachment[] = [];
  const removed: string[] = [];
  for (const a of mail.attachments) {
    if (await carriesCardData(a, isCardPdf)) removed.push(a.filename ?? a.contentType);
    else kept.push(a);
  }
  if (removed.length === 0) return undefined;
  const refs = Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : undefined;
  const composer = new MailComposer({
    from: addressText(mail.from),
    to: addressText(mail.to),
    cc: addressText(mail.cc),
    replyTo: addressText(mail.replyTo),
    subject: mail.subject,
    date: mail.date,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: refs,
    text: mail.text,
    html: typeof mail.html === 'string' ? mail.html : undefined,
    headers: { [STRIPPED_HEADER]: removed.join(', ').replace(/[\r\n]/g, ' ') },
    attachments: [
      ...kept.map((a) => ({
        filename: a.filename,
        content: a.content,
        contentType: a.contentType,
        cid: a.cid,
        contentDisposition: (a.contentDisposition === 'inline' ? 'inline' : 'attachment') as 'inline' | 'attachment',
      })),
      { filename: 'card-form-removed.txt', content: note(removed), contentType: 'text/plain; charset=utf-8' },
    ],
  });
  return { raw: await composer.compile().build(), removed };
}
