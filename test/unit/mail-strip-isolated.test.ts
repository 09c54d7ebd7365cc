/**
 * DSK-5 retention off the event loop: a kept mail is rebuilt without its card
 * form in a child (mail/card-strip-client.ts). Intake's verdicts (by SHA-256) decide
 * the PDFs it read; any other PDF is judged by the desk once and the child asked
 * again; a mail that cannot be taken apart is answered with a code, not a
 * throw; and a 20 MB mail with a multi-MB HTML body is stripped while the
 * caller's event loop keeps turning.
 */
import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { closeStripPool, stripCardFormsIsolated } from '../../mail/card-strip-client.js';
import type { CardPdfVerdict } from '../../mail/card-strip-protocol.js';

const CARD_PDF = Buffer.from('%PDF-1.7\n% card-authorization/v1 4111 1111 1111 1111\n%%EOF\n');
const TRANSFER_PDF = Buffer.from('%PDF-1.7\n% license-transfer/v1\n%%EOF\n');
const OTHER_PDF = Buffer.from('%PDF-1.7\n% some scan the desk never read\n%%EOF\n');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const WHY = 'when case 123456 was decided (transferred)';

const build = (opts: Record<string, unknown>) =>
  new MailComposer({
    from: 'Pat <ops@acme.example>',
    to: 'desk@desk.test',
    subject: '[Case 123456] transfer',
    date: new Date('2026-11-01T10:00:00Z'),
    messageId: '<m1@acme.example>',
    text: 'Forms attached.',
    ...opts,
  })
    .compile()
    .build();

afterAll(() => closeStripPool());

describe('stripCardFormsIsolated', () => {
  it('DSK-5 removes the PDF intake read as the card form, keeps the one it read as another form, without reading either again', async () => {
    const raw = await build({
      attachments: [
        { filename: 'transfer.pdf', content: TRANSFER_PDF },
        { filename: 'card.pdf', content: CARD_PDF },
      ],
    });
    const judged: Uint8Array[] = [];
    const out = await stripCardFormsIsolated(
      raw,
      { [sha(CARD_PDF)]: 'card', [sha(TRANSFER_PDF)]: 'other' },
      WHY,
      10_000,
      async (pdf) => {
        judged.push(pdf);
        return 'card';
      },
    );
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(judged).toEqual([]);
    expect(out.stripped?.removed).toEqual(['card.pdf']);
    const mail = await simpleParser(out.stripped!.raw);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['transfer.pdf', 'card-form-removed.txt']);
    expect(mail.attachments[1]!.content.toString()).toContain(`removed card.pdf from this message ${WHY}`);
    expect(out.stripped!.raw.toString('latin1')).not.toMatch(/4111/);
  });

  it('DSK-5 a PDF intake did not read is judged once by the desk, then kept or removed by that verdict', async () => {
    const raw = await build({
      attachments: [
        { filename: 'scan.pdf', content: OTHER_PDF },
        { filename: 'card.pdf', content: CARD_PDF },
      ],
    });
    const judged: string[] = [];
    const judge = async (pdf: Uint8Array): Promise<CardPdfVerdict> => {
      judged.push(sha(pdf));
      return 'other';
    };
    const out = await stripCardFormsIsolated(raw, { [sha(CARD_PDF)]: 'card' }, WHY, 10_000, judge);
    expect(judged).toEqual([sha(OTHER_PDF)]);
    expect(out.ok && out.stripped?.removed).toEqual(['card.pdf']);
  });

  it('a mail without a card form is left alone', async () => {
    const raw = await build({ attachments: [{ filename: 'transfer.pdf', content: TRANSFER_PDF }] });
    expect(
      await stripCardFormsIsolated(raw, { [sha(TRANSFER_PDF)]: 'other' }, WHY, 10_000, async () => 'card'),
    ).toEqual({ ok: true, stripped: null });
  });

  it("DSK-5 a 20 MB mail with a 4 MB HTML table is rebuilt in the child while the caller's event loop never stops over 100 ms", async () => {
    const rows = Array.from(
      { length: 40_000 },
      (_, i) => `<tr><td>${i}</td><td>cell ${i} of a partner's long table</td><td><b>x</b></td></tr>`,
    ).join('');
    const big = Buffer.alloc(15 * 1024 * 1024, 0x41);
    const raw = await build({
      html: `<table>${rows}</table>`,
      attachments: [
        { filename: 'inventory.pdf', content: big },
        { filename: 'card.pdf', content: CARD_PDF },
      ],
    });
    expect(raw.length).toBeGreaterThan(20 * 1024 * 1024);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const out = await stripCardFormsIsolated(
      raw,
      { [sha(CARD_PDF)]: 'card', [sha(big)]: 'other' },
      WHY,
      60_000,
      async () => 'card',
    );
    delay.disable();
    expect(out.ok && out.stripped?.removed).toEqual(['card.pdf']);
    // The hand-off to the child is one structured-clone copy of the mail each way; the parse and the build are the child's.
    expect(delay.max / 1e6, `event loop delay max ${(delay.max / 1e6).toFixed(0)} ms`).toBeLessThan(100);
  }, 90_000);
});
