/**
 * Bounces of the desk's own mail (RFC 3464 delivery status notifications),
 * written as MTAs write them and parsed by mailparser, both as intake parses
 * (delivery-status folded into `text`) and with `keepDeliveryStatus`.
 */
import { describe, expect, it } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { automaticReason } from '../../mail/automatic.js';
import { bounceInfo } from '../../mail/bounce.js';
import { caseFromDeskMessageId, deskMessageId } from '../../mail/message-id.js';
import { SecretBox } from '../../lib/secret-box.js';
import { buildPartnerMail } from '../../embedded/mail-builder.js';

const DESK = 'desk@desk.example';
const box = new SecretBox('bounce-test-secret');
const ORIGINAL_ID = deskMessageId(box, 'case.123456.incomplete.1', DESK);

const intakeOptions = { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true } as const;
const parsers: Array<[string, (raw: string) => Promise<ParsedMail>]> = [
  ['as intake parses', (raw) => simpleParser(raw, intakeOptions)],
  ['with keepDeliveryStatus', (raw) => simpleParser(raw, { ...intakeOptions, keepDeliveryStatus: true })],
];

/** Postfix-style DSN: notification, delivery-status, and the original's headers (folded Message-ID). */
function postfixHardBounce(): string {
  return [
    'Return-Path: <>',
    'From: MAILER-DAEMON@mx.partner.example (Mail Delivery System)',
    `To: ${DESK}`,
    'Subject: Undelivered Mail Returned to Sender',
    'Message-ID: <20260302100001.AB12C@mx.partner.example>',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status;',
    '\tboundary="AB12C.1772445601/mx.partner.example"',
    '',
    '--AB12C.1772445601/mx.partner.example',
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.partner.example.',
    '',
    "I'm sorry to have to inform you that your message could not",
    'be delivered to one or more recipients.',
    '',
    '<nobody@partner.example>: host mx.partner.example[192.0.2.10] said: 550 5.1.1',
    '    <nobody@partner.example>: Recipient address rejected: User unknown',
    '',
    '--AB12C.1772445601/mx.partner.example',
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.partner.example',
    'X-Postfix-Queue-ID: AB12C',
    'Arrival-Date: Mon,  2 Mar 2026 10:00:00 +0000 (UTC)',
    '',
    'Final-Recipient: rfc822; Nobody@Partner.example',
    'Original-Recipient: rfc822;nobody@partner.example',
    'Action: failed',
    'Status: 5.1.1',
    'Remote-MTA: dns; mx.partner.example',
    'Diagnostic-Code: smtp; 550 5.1.1 <nobody@partner.example>: Recipient address',
    '    rejected: User unknown',
    '',
    '--AB12C.1772445601/mx.partner.example',
    'Content-Description: Undelivered Message Headers',
    'Content-Type: text/rfc822-headers',
    '',
    `From: License desk <${DESK}>`,
    'To: nobody@partner.example',
    'Subject: [Case 123456] Forms incomplete',
    'Message-ID:',
    ` ${ORIGINAL_ID}`,
    'Auto-Submitted: auto-replied',
    '',
    '--AB12C.1772445601/mx.partner.example--',
    '',
  ].join('\r\n');
}

/** Exchange-style soft bounce (delivery gave up after retries, 4.4.1) with the whole original attached. */
async function softBounce(action: 'failed' | 'delayed'): Promise<string> {
  const original = (
    await buildPartnerMail({
      from: DESK,
      to: 'pat@acme.example',
      subject: '[Case 123456] Forms incomplete',
      text: 'Please send the card form.',
      messageId: ORIGINAL_ID,
      headers: { 'Auto-Submitted': 'auto-replied' },
    })
  ).toString('utf8');
  return [
    'From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@acme.example>',
    `To: ${DESK}`,
    'Subject: Delivery delayed: [Case 123456] Forms incomplete',
    'Message-ID: <dsn-soft@acme.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type="delivery-status"; boundary="_soft_"',
    '',
    '--_soft_',
    'Content-Type: text/plain; charset="us-ascii"',
    '',
    'Delivery is delayed to these recipients: pat@acme.example',
    '',
    '--_soft_',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns;relay.acme.example',
    '',
    'Final-Recipient: RFC822; <pat@acme.example>',
    `Action: ${action}`,
    'Status: 4.4.1 (connection timed out)',
    'Will-Retry-Until: Tue, 3 Mar 2026 10:00:00 +0000',
    '',
    '--_soft_',
    'Content-Type: message/rfc822',
    '',
    original,
    '--_soft_--',
    '',
  ].join('\r\n');
}

describe.each(parsers)('bounceInfo (%s)', (_label, parse) => {
  it('DSK-6 a 5.1.1 DSN is a hard bounce naming the recipient and the desk mail that bounced', async () => {
    const mail = await parse(postfixHardBounce());
    expect(bounceInfo(mail)).toEqual({
      isBounce: true,
      hard: true,
      recipients: ['nobody@partner.example'],
      originalMessageId: ORIGINAL_ID,
      status: '5.1.1',
    });
  });

  it('DSK-6 a 4.4.1 DSN (failed after retries) is a soft bounce, original Message-ID from the attached message/rfc822', async () => {
    const mail = await parse(await softBounce('failed'));
    expect(bounceInfo(mail)).toEqual({
      isBounce: true,
      hard: false,
      recipients: ['pat@acme.example'],
      originalMessageId: ORIGINAL_ID,
      status: '4.4.1',
    });
  });

  it('DSK-6 a "delayed" DSN is soft', async () => {
    const info = bounceInfo(await parse(await softBounce('delayed')));
    expect(info).toMatchObject({ isBounce: true, hard: false, status: '4.4.1' });
  });

  it('DSK-6 the bounce finds its case through the signed desk Message-ID', async () => {
    const info = bounceInfo(await parse(postfixHardBounce()));
    expect(caseFromDeskMessageId(box, info.originalMessageId!)).toBe('123456');
    expect(caseFromDeskMessageId(new SecretBox('another secret'), info.originalMessageId!)).toBeUndefined();
  });

  it('reports several recipients, hard when any failed for good', async () => {
    const raw = postfixHardBounce().replace(
      'Final-Recipient: rfc822; Nobody@Partner.example',
      'Final-Recipient: rfc822; full@partner.example\r\nAction: delayed\r\nStatus: 4.2.2\r\n\r\nFinal-Recipient: rfc822; ok@partner.example\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\nFinal-Recipient: rfc822; Nobody@Partner.example',
    );
    const info = bounceInfo(await parse(raw));
    expect(info).toMatchObject({
      isBounce: true,
      hard: true,
      recipients: ['full@partner.example', 'nobody@partner.example'],
      status: '5.1.1',
    });
  });

  it('a success DSN (NOTIFY=SUCCESS) is not a bounce', async () => {
    const raw = postfixHardBounce()
      .replace('Action: failed', 'Action: delivered')
      .replace('Status: 5.1.1', 'Status: 2.0.0');
    expect(bounceInfo(await parse(raw))).toEqual({ isBounce: false, hard: false, recipients: [] });
  });

  it('ordinary mail and read receipts are not bounces', async () => {
    const partner = await parse(
      (
        await buildPartnerMail({
          from: 'pat@acme.example',
          to: DESK,
          subject: 'Case 123456',
          text: 'Status: 5.1.1\nFinal-Recipient: rfc822; x@y',
        })
      ).toString(),
    );
    expect(bounceInfo(partner)).toEqual({ isBounce: false, hard: false, recipients: [] });
    const mdn = postfixHardBounce()
      .replace('report-type=delivery-status', 'report-type=disposition-notification')
      .replace('Content-Type: message/delivery-status', 'Content-Type: message/disposition-notification');
    expect(bounceInfo(await parse(mdn)).isBounce).toBe(false);
  });

  it('the desk never answers a bounce (automatic mail)', async () => {
    expect(automaticReason(await parse(await softBounce('failed')), DESK)).toBe('delivery report (bounce)');
  });
});
