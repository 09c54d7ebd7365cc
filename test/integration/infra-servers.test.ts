/**
 * Proves the test harness itself against the real servers: Dovecot (IMAP),
 * the smtp-server sink and redis-server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { Redis } from 'ioredis';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { startSmtpSink, headerText, type SmtpSink } from '../../embedded/smtp-sink.js';
import { buildPartnerMail, newMessageId, tinyPdf } from '../../embedded/mail-builder.js';
import { startRedis } from '../../embedded/redis-server.js';

describe('harness: Dovecot IMAP', () => {
  let dovecot: RunningDovecot;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it('APPENDs as one user, reads it back as that user, and keeps other users apart', async () => {
    const messageId = newMessageId('partner.example');
    const raw = await buildPartnerMail({
      from: 'Orders <orders@partner.example>',
      to: 'desk@licensedesk.test',
      subject: 'Transfer request PO-4711',
      text: 'Please transfer 3 seats.',
      html: '<p>Please transfer <b>3</b> seats.</p>',
      messageId,
      headers: { 'X-Partner-Ref': 'PO-4711' },
      attachments: [{ filename: 'po-4711.pdf', content: tinyPdf('PO-4711') }],
    });
    await dovecot.append('infra-a', raw);

    const inbox = await dovecot.list('infra-a', 'INBOX');
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ subject: 'Transfer request PO-4711', messageId, flags: [] });

    // Read the whole message back with imapflow as the same user.
    const source = await dovecot.withClient('infra-a', async (client) => {
      const lock = await client.getMailboxLock('INBOX', { readOnly: true });
      try {
        const msg = await client.fetchOne('*', { source: true, headers: ['x-partner-ref'] });
        return msg ? msg.source?.toString('utf8') : undefined;
      } finally {
        lock.release();
      }
    });
    expect(source).toContain('X-Partner-Ref: PO-4711');
    expect(source).toContain('filename=po-4711.pdf');

    expect(await dovecot.list('infra-b', 'INBOX')).toEqual([]);
    for (const box of ['Processed', 'Rejected', 'Quarantine']) {
      expect(await dovecot.list('infra-a', box)).toEqual([]);
    }
    await dovecot.append('infra-b', raw, 'Quarantine');
    expect((await dovecot.list('infra-b', 'Quarantine')).map((m) => m.uid)).toEqual([1]);
    expect(await dovecot.list('infra-a', 'Quarantine')).toEqual([]);
    expect(dovecot.imapUrl('infra-a')).toBe(`imap://infra-a:pass@127.0.0.1:${dovecot.port}/INBOX?tls=optional`);
  });

  it('refuses a wrong password', async () => {
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      auth: { user: 'infra-a', pass: 'wrong' },
      logger: false,
    });
    client.on('error', () => {});
    await expect(client.connect()).rejects.toThrow();
    client.close();
  });
});

describe('harness: SMTP sink', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.stop();
  });

  it('receives a nodemailer message with its envelope and headers', async () => {
    const transport = nodemailer.createTransport({ host: sink.host, port: sink.port, secure: false });
    try {
      await transport.sendMail({
        from: 'desk@licensedesk.test',
        to: ['partner@partner.example', 'ops@licensedesk.test'],
        subject: 'Your transfer is done',
        text: 'Done.',
        headers: { 'X-Licensedesk-Kind': 'transfer-confirmation' },
        attachments: [{ filename: 'receipt.pdf', content: tinyPdf('receipt'), contentType: 'application/pdf' }],
      });
    } finally {
      transport.close();
    }
    const got = await sink.waitFor((m) => m.parsed.subject === 'Your transfer is done', 5000, 'the confirmation');
    expect(got.envelopeFrom).toBe('desk@licensedesk.test');
    expect(got.envelopeTo).toEqual(['partner@partner.example', 'ops@licensedesk.test']);
    expect(headerText(got, 'X-Licensedesk-Kind')).toBe('transfer-confirmation');
    expect(got.parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['receipt.pdf', 'application/pdf'],
    ]);
    expect(got.raw).toMatch(/^X-Licensedesk-Kind: transfer-confirmation\r?$/im);
    expect(sink.byKind('transfer-confirmation')).toHaveLength(1);
    expect(sink.to('PARTNER@partner.example')).toHaveLength(1);
    sink.clear();
    expect(sink.messages()).toEqual([]);
    await expect(sink.waitFor(() => true, 100, 'nothing')).rejects.toThrow(/timed out/);
  });
});

describe('harness: redis-server', () => {
  it('starts two servers in parallel on different ports', async () => {
    const [a, b] = await Promise.all([startRedis(), startRedis()]);
    try {
      expect(a.port).not.toBe(b.port);
      const ra = new Redis(a.url, { maxRetriesPerRequest: 1 });
      const rb = new Redis(b.url, { maxRetriesPerRequest: 1 });
      try {
        await ra.set('k', 'a');
        await rb.set('k', 'b');
        expect(await ra.get('k')).toBe('a');
        expect(await rb.get('k')).toBe('b');
      } finally {
        ra.disconnect();
        rb.disconnect();
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
