/**
 * DSK-5 retention: a kept mail re-built without its card form keeps what a
 * rep or an audit needs (addresses, subject, date, Message-ID, threading,
 * body, the other forms) and says what was removed; a card form inside a
 * forwarded mail goes too; a mail without one is left as it is.
 */
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { STRIPPED_HEADER, stripCardForms } from '../../mail/card-form-strip.js';

const CARD_PDF = Buffer.from('%PDF-1.7\n% card-authorization/v1 4111 1111 1111 1111\n%%EOF\n');
const TRANSFER_PDF = Buffer.from('%PDF-1.7\n% license-transfer/v1\n%%EOF\n');
/** Stands in for the isolated PDF reader: a card form is one whose bytes say so. */
const isCard = async (pdf: Buffer) => pdf.includes('card-authorization');
const note = (removed: string[]) => `removed: ${removed.join(', ')}`;

const build = (opts: Record<string, unknown>) =>
  new MailComposer({
    from: 'Pat <ops@acme.example>',
    to: 'desk@desk.test',
    subject: '[Case 123456] transfer',
    date: new Date('2026-11-01T10:00:00Z'),
    messageId: '<m1@acme.example>',
    inReplyTo: '<ld.case.123456.x.abcdefabcdef@desk.test>',
    references: ['<ld.case.123456.x.abcdefabcdef@desk.test>'],
    text: 'Forms attached.',
    ...opts,
  })
    .compile()
    .build();

describe('stripCardForms', () => {
  it('DSK-5 removes the card form and keeps the headers, the body and the other form, with a note part', async () => {
    const raw = await build({
      attachments: [
        { filename: 'transfer.pdf', content: TRANSFER_PDF },
        { filename: 'card.pdf', content: CARD_PDF },
      ],
    });
    const res = await stripCardForms(raw, isCard, note);
    expect(res?.removed).toEqual(['card.pdf']);
    const out = await simpleParser(res!.raw);
    expect(out.subject).toBe('[Case 123456] transfer');
    expect(out.messageId).toBe('<m1@acme.example>');
    expect(out.inReplyTo).toBe('<ld.case.123456.x.abcdefabcdef@desk.test>');
    expect(out.from?.text).toContain('ops@acme.example');
    expect(out.date?.toISOString()).toBe('2026-11-01T10:00:00.000Z');
    expect(out.text?.trim()).toBe('Forms attached.');
    expect(out.headers.get(STRIPPED_HEADER.toLowerCase())).toBe('card.pdf');
    expect(out.attachments.map((a) => a.filename)).toEqual(['transfer.pdf', 'card-form-removed.txt']);
    expect(out.attachments[0]!.content.equals(TRANSFER_PDF)).toBe(true);
    expect(out.attachments[1]!.content.toString()).toBe('removed: card.pdf');
    expect(res!.raw.toString('latin1')).not.toMatch(/4111/);
  });

  it('DSK-5 a card form inside a forwarded mail is removed too', async () => {
    const inner = await build({ attachments: [{ filename: 'card.pdf', content: CARD_PDF }] });
    const raw = await build({
      attachments: [
        { filename: 'fwd.eml', content: inner, contentType: 'message/rfc822' },
        { filename: 'transfer.pdf', content: TRANSFER_PDF },
      ],
    });
    const res = await stripCardForms(raw, isCard, note);
    // mailparser opens the forwarded mail (whole, or its parts): either way the card form goes, the transfer form stays.
    expect(res?.removed).toHaveLength(1);
    const out = await simpleParser(res!.raw);
    expect(out.attachments.map((a) => a.filename)).toContain('transfer.pdf');
    expect(out.attachments.map((a) => a.filename)).toContain('card-form-removed.txt');
    expect(res!.raw.toString('latin1')).not.toMatch(/4111/);
    expect(out.attachments.some((a) => a.content.includes('card-authorization'))).toBe(false);
  });

  it('leaves a mail without a card form alone', async () => {
    const raw = await build({ attachments: [{ filename: 'transfer.pdf', content: TRANSFER_PDF }] });
    expect(await stripCardForms(raw, isCard, note)).toBeUndefined();
  });

  it('DSK-11 replaces only the card part: every header (Received, Authentication-Results, DKIM-Signature, Return-Path) and every other part stay byte for byte', async () => {
    const trace = [
      'Return-Path: <ops@acme.example>',
      'Received: from mx.acme.example (mx.acme.example [192.0.2.10])\r\n\tby mail.desk.test with ESMTPS id 4Xk; Mon, 7 Dec 2026 10:00:00 +0000',
      'Authentication-Results: mail.desk.test; dkim=pass header.d=acme.example; spf=pass smtp.mailfrom=acme.example; dmarc=pass',
      'DKIM-Signature: v=1; a=rsa-sha256; d=acme.example; s=s1; c=relaxed/relaxed;\r\n\th=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==',
    ].join('\r\n');
    const built = await build({
      attachments: [
        { filename: 'transfer.pdf', content: TRANSFER_PDF },
        { filename: 'card.pdf', content: CARD_PDF },
      ],
    });
    const raw = Buffer.concat([Buffer.from(`${trace}\r\n`), built]);
    const res = await stripCardForms(raw, isCard, note);
    const text = res!.raw.toString('latin1');
    const original = raw.toString('latin1');
    expect(text.startsWith(`${STRIPPED_HEADER}: card.pdf\r\n${trace}\r\n`) || text.startsWith(trace)).toBe(true);
    expect(text).toContain(trace);
    // Everything up to the card part is the same bytes; the transfer form's part is untouched.
    const cardAt = original.indexOf('filename=card.pdf');
    const partStart = original.lastIndexOf('\r\n--', cardAt);
    expect(text.replace(`${STRIPPED_HEADER}: card.pdf\r\n`, '').slice(0, partStart)).toBe(original.slice(0, partStart));
    const tail = original.slice(original.indexOf('\r\n--', cardAt));
    expect(text.endsWith(tail)).toBe(true);
    expect(text).not.toMatch(/4111/);
    const out = await simpleParser(res!.raw);
    expect(out.attachments.map((a) => a.filename)).toEqual(['transfer.pdf', 'card-form-removed.txt']);
    expect(out.attachments[1]!.content.toString()).toBe('removed: card.pdf');
  });
});
