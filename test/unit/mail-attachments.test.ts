/**
 * Which parts of real partner mail are forms: PDFs however labelled, inside
 * forwarded messages, and the winmail.dat the desk must ask to have resent.
 * Messages are built with nodemailer's MailComposer (or written by hand where
 * a mailer's exact header matters) and parsed by mailparser as intake does.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { collectPdfParts, looksLikePdf } from '../../mail/attachments.js';
import { closeDefaultMimePool, parseMailIsolated } from '../../mail/mime-parse-client.js';
import { caseNumbersInSubject } from '../../domain/subject.js';
import { buildPartnerMail, tinyPdf } from '../../embedded/mail-builder.js';

/** As intake parses. */
const parse = (raw: Buffer | string): Promise<ParsedMail> =>
  simpleParser(raw, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });

type Att = {
  filename?: string;
  content: Buffer | string;
  contentType?: string;
  contentDisposition?: 'attachment' | 'inline';
};

async function compose(
  subject: string,
  attachments: Att[],
  extra: { html?: string; text?: string } = {},
): Promise<Buffer> {
  return new MailComposer({
    from: 'Pat Partner <pat@acme.example>',
    to: 'desk@desk.example',
    subject,
    messageId: `<${subject.replace(/\W+/g, '.')}@acme.example>`,
    date: new Date('2026-03-02T10:00:00Z'),
    ...(extra.text !== undefined || extra.html === undefined ? { text: extra.text ?? 'Forms attached.' } : {}),
    ...(extra.html !== undefined ? { html: extra.html } : {}),
    attachments,
  })
    .compile()
    .build();
}

/** A message forwarded as an attachment (Outlook's "Forward as attachment"): message/rfc822, disposition attachment. */
const forwarded = (raw: Buffer, filename = 'forwarded.eml'): Att => ({
  filename,
  content: raw,
  contentType: 'message/rfc822',
  contentDisposition: 'attachment',
});

describe('collectPdfParts: PDFs of the mail itself', () => {
  it('DSK-1 finds a PDF attached as application/pdf', async () => {
    const mail = await parse(
      await buildPartnerMail({
        from: 'pat@acme.example',
        to: 'desk@desk.example',
        subject: 'Case 123456 forms',
        text: 'attached',
        attachments: [{ filename: 'License Transfer Form.pdf', content: tinyPdf('LTF') }],
      }),
    );
    const parts = await collectPdfParts(mail);
    expect(parts.pdfs).toEqual([{ filename: 'License Transfer Form.pdf', content: tinyPdf('LTF'), via: 'attachment' }]);
    expect(parts.winmail).toEqual([]);
    expect(parts.other).toEqual([]);
  });

  it('DSK-1 finds a PDF sent as application/octet-stream under a non-PDF name, by its %PDF- bytes', async () => {
    // Hand-written: nodemailer would invent a name for the nameless part.
    const b64 = (b: Buffer) => b.toString('base64');
    const raw = [
      'From: pat@acme.example',
      'To: desk@desk.example',
      'Subject: Case 123456 octet',
      'Message-ID: <octet@acme.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Scans attached.',
      '',
      '--b1',
      'Content-Type: application/octet-stream; name=scan0001.bin',
      'Content-Transfer-Encoding: base64',
      '',
      b64(tinyPdf('scan')),
      '',
      '--b1',
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment',
      'Content-Transfer-Encoding: base64',
      '',
      b64(tinyPdf('nameless')),
      '',
      '--b1',
      'Content-Type: application/octet-stream; name=notes.bin',
      'Content-Transfer-Encoding: base64',
      '',
      b64(Buffer.from('not a pdf at all')),
      '',
      '--b1--',
      '',
    ].join('\r\n');
    const mail = await parse(raw);
    expect(mail.attachments.map((a) => a.contentType)).toEqual([
      'application/octet-stream',
      'application/octet-stream',
      'application/octet-stream',
    ]);
    const parts = await collectPdfParts(mail);
    expect(parts.pdfs.map((p) => [p.filename, p.via])).toEqual([
      ['scan0001.bin', 'attachment'],
      ['attachment-2.pdf', 'attachment'],
    ]);
    expect(parts.other).toEqual(['notes.bin']);
  });

  it('DSK-1 finds a PDF by its .pdf name whatever the content type says', async () => {
    const mail = await parse(
      await compose('Case 123456 mislabelled', [
        { filename: 'CARD-AUTH.PDF', content: tinyPdf('card'), contentType: 'application/x-download' },
      ]),
    );
    const parts = await collectPdfParts(mail);
    expect(parts.pdfs.map((p) => p.filename)).toEqual(['CARD-AUTH.PDF']);
  });

  it("DSK-6 an RFC 2231 file name (filename*=UTF-8''…) arrives decoded", async () => {
    const pdf = tinyPdf('rfc2231').toString('base64');
    const raw = [
      'From: pat@acme.example',
      'To: desk@desk.example',
      'Subject: Case 123456 Übertragung',
      'Message-ID: <r2231@acme.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Anbei.',
      '',
      '--b1',
      'Content-Type: application/pdf',
      "Content-Disposition: attachment; filename*=UTF-8''Lizenz%C3%BCbertragung%20%E2%80%93%20Formular.pdf",
      'Content-Transfer-Encoding: base64',
      '',
      pdf,
      '',
      '--b1',
      'Content-Type: application/octet-stream; name="=?UTF-8?B?S3JlZGl0a2FydGUgw5xiZXJ0cmFndW5nLnBkZg==?="',
      'Content-Transfer-Encoding: base64',
      '',
      pdf,
      '',
      '--b1--',
      '',
    ].join('\r\n');
    const parts = await collectPdfParts(await parse(raw));
    expect(parts.pdfs.map((p) => p.filename)).toEqual([
      'Lizenzübertragung – Formular.pdf',
      'Kreditkarte Übertragung.pdf',
    ]);
  });

  it('DSK-6 an RFC 2231 continued name written by nodemailer arrives decoded', async () => {
    const name = 'Übertragungsformular für die Lizenzen des Kunden Müller GmbH, März 2026.pdf';
    const raw = await compose('Case 123456 long name', [
      { filename: name, content: tinyPdf(), contentType: 'application/pdf' },
    ]);
    expect(raw.toString()).toMatch(/filename\*0\*=utf-8''/);
    const parts = await collectPdfParts(await parse(raw));
    expect(parts.pdfs.map((p) => p.filename)).toEqual([name]);
  });

  it('DSK-6 a file name never carries directories or control characters', async () => {
    const raw = await compose('Case 123456 path', [
      { filename: '..\\..\\evil/form.pdf', content: tinyPdf(), contentType: 'application/pdf' },
    ]);
    const parts = await collectPdfParts(await parse(raw));
    expect(parts.pdfs.map((p) => p.filename)).toEqual(['form.pdf']);
  });

  it('lists other attachments by name and leaves out images embedded in the HTML', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    const raw = await new MailComposer({
      from: 'pat@acme.example',
      to: 'desk@desk.example',
      subject: 'Case 123456 misc',
      html: '<p>Logo <img src="cid:logo@acme"></p>',
      attachments: [
        { filename: 'logo.png', content: png, contentType: 'image/png', cid: 'logo@acme' },
        {
          filename: 'notes.docx',
          content: Buffer.from('PK\u0003\u0004'),
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        },
      ],
    })
      .compile()
      .build();
    const parts = await collectPdfParts(await parse(raw));
    expect(parts).toEqual({ pdfs: [], winmail: [], other: ['notes.docx'] });
  });

  it('looksLikePdf accepts a %PDF- header at the start or after a little junk, nothing else', () => {
    expect(looksLikePdf(tinyPdf())).toBe(true);
    expect(looksLikePdf(Buffer.concat([Buffer.from('\r\n\r\n'), tinyPdf()]))).toBe(true);
    expect(looksLikePdf(Buffer.concat([Buffer.alloc(2000, 0x20), tinyPdf()]))).toBe(false);
    expect(looksLikePdf(Buffer.from('%PD'))).toBe(false);
  });
});

describe('collectPdfParts: forwarded messages', () => {
  const innerRaw = () =>
    compose('Case 123456 original', [
      { filename: 'License Transfer Form.pdf', content: tinyPdf('inner'), contentType: 'application/pdf' },
    ]);

  it('DSK-1 finds the PDF inside a forwarded message/rfc822 attachment (depth 2)', async () => {
    const outer = await parse(await compose('FW: Case 123456 original', [forwarded(await innerRaw())]));
    expect(outer.attachments.map((a) => a.contentType)).toEqual(['message/rfc822']);
    const parts = await collectPdfParts(outer);
    expect(parts.pdfs).toEqual([
      { filename: 'License Transfer Form.pdf', content: tinyPdf('inner'), via: 'forwarded' },
    ]);
    expect(parts.other).toEqual([]);
  });

  it('DSK-1 a forwarded message with an inline disposition is unfolded by mailparser; its PDF is still found', async () => {
    const outer = await parse(
      await compose('Fwd: Case 123456', [
        { filename: 'fwd.eml', content: await innerRaw(), contentType: 'message/rfc822', contentDisposition: 'inline' },
      ]),
    );
    const parts = await collectPdfParts(outer);
    expect(parts.pdfs.map((p) => [p.filename, p.via])).toEqual([['License Transfer Form.pdf', 'attachment']]);
  });

  it('DSK-1 opens a forward of a forward (depth 3) by default and stops at the cap, saying so', async () => {
    // mail(1) → fw1.eml(2) → fw2.eml(3) → PDF: opened with the default cap of 3.
    const fw1 = await compose('FW: Case 123456', [forwarded(await innerRaw(), 'fw2.eml')]);
    const depth3 = await compose('FW: FW: Case 123456', [forwarded(fw1, 'fw1.eml')]);
    expect((await collectPdfParts(await parse(depth3))).pdfs.map((p) => p.via)).toEqual(['forwarded']);

    // mail(1) → fw0.eml(2) → fw1.eml(3) → fw2.eml(4) → PDF: fw2.eml is past the cap.
    const depth4 = await compose('FW: FW: FW: Case 123456', [forwarded(depth3, 'fw0.eml')]);
    const capped = await collectPdfParts(await parse(depth4));
    expect(capped.pdfs).toEqual([]);
    expect(capped.other).toEqual(['fw2.eml (a forwarded message nested more than 3 deep, not opened)']);

    const deeper = await collectPdfParts(await parse(depth4), { maxDepth: 4 });
    expect(deeper.pdfs.map((p) => [p.filename, p.via])).toEqual([['License Transfer Form.pdf', 'forwarded']]);

    const flat = await collectPdfParts(await parse(await compose('FW: Case 123456', [forwarded(await innerRaw())])), {
      maxDepth: 1,
    });
    expect(flat.pdfs).toEqual([]);
    expect(flat.other).toEqual(['forwarded.eml (a forwarded message nested more than 1 deep, not opened)']);
  });

  it('DSK-1 collects PDFs of the mail and of the forwarded message together, in order', async () => {
    const outer = await parse(
      await compose('Case 123456 both', [
        { filename: 'card.pdf', content: tinyPdf('card'), contentType: 'application/pdf' },
        forwarded(await innerRaw()),
      ]),
    );
    const parts = await collectPdfParts(outer);
    expect(parts.pdfs.map((p) => [p.filename, p.via])).toEqual([
      ['card.pdf', 'attachment'],
      ['License Transfer Form.pdf', 'forwarded'],
    ]);
  });
});

describe('collectPdfParts: winmail.dat', () => {
  const tnef = Buffer.from([0x78, 0x9f, 0x3e, 0x22, 0x01, 0x00, 0x01, 0x06, 0x90, 0x08, 0x00]);

  it('DSK-6 names a winmail.dat (application/ms-tnef) so intake can ask for plain PDF attachments', async () => {
    const mail = await parse(
      await compose('Case 123456 outlook', [
        { filename: 'winmail.dat', content: tnef, contentType: 'application/ms-tnef' },
      ]),
    );
    expect(await collectPdfParts(mail)).toEqual({ pdfs: [], winmail: ['winmail.dat'], other: [] });
  });

  it('DSK-6 recognises winmail.dat by name under octet-stream, and a nameless vnd.ms-tnef part, also when forwarded', async () => {
    // Hand-written inner message: a nameless TNEF part (nodemailer would invent a name).
    const inner = Buffer.from(
      [
        'From: pat@acme.example',
        'To: desk@desk.example',
        'Subject: Case 123456 inner outlook',
        'Message-ID: <tnef-inner@acme.example>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="t1"',
        '',
        '--t1',
        'Content-Type: text/plain',
        '',
        'See attached.',
        '',
        '--t1',
        'Content-Type: application/vnd.ms-tnef',
        'Content-Transfer-Encoding: base64',
        '',
        tnef.toString('base64'),
        '',
        '--t1--',
        '',
      ].join('\r\n'),
    );
    const mail = await parse(
      await compose('Case 123456 outlook 2', [
        { filename: 'WINMAIL.DAT', content: tnef, contentType: 'application/octet-stream' },
        forwarded(inner),
      ]),
    );
    expect(await collectPdfParts(mail)).toEqual({ pdfs: [], winmail: ['WINMAIL.DAT', 'winmail.dat'], other: [] });
  });
});

describe('HTML-only mail, as intake reads it (the MIME child)', () => {
  const html =
    '<html><head><style>p{color:red}</style></head><body><p>Hello desk,</p><p>the forms for <b>Case 123456</b> are attached &amp; signed.</p></body></html>';
  afterAll(() => closeDefaultMimePool());

  it('DSK-1 an HTML-only mail keeps its case number in the subject and has readable text', async () => {
    const raw = await compose(
      'RE: [Case 123456] forms',
      [{ filename: 'form.pdf', content: tinyPdf(), contentType: 'application/pdf' }],
      { html },
    );
    expect(raw.toString()).not.toMatch(/Content-Type: text\/plain/);
    const r = await parseMailIsolated(raw);
    if (!r.ok) throw new Error(r.error.code);
    expect(caseNumbersInSubject(r.mail.subject ?? '')).toEqual(['123456']);
    expect(r.mail.text).toContain('the forms for Case 123456 are attached & signed.');
    expect(r.mail.text).not.toContain('<');
    expect(r.mail.text).not.toContain('color:red');
    expect(r.mail.parts.pdfs).toHaveLength(1);
  });

  it('a mail with a plain text part gives that text, not the HTML', async () => {
    const r = await parseMailIsolated(
      await compose('Case 123456 plain', [], { text: 'Plain words.', html: '<p>Other words</p>' }),
    );
    if (!r.ok) throw new Error(r.error.code);
    expect(r.mail.text?.trim()).toBe('Plain words.');
  });
});
