/**
 * A plain imap:// or smtp:// URL requires STARTTLS: against a server that
 * does not offer it (as when someone on the path strips the offer) the desk
 * logs E_TLS_REQUIRED and sends it nothing in clear, no password and no mail.
 * With ?tls=optional it connects in plaintext and says so once. The desk runs
 * as `licensedesk start`; the servers without STARTTLS are a scripted IMAP
 * server that records every byte it gets and a real `smtp-server` that offers
 * AUTH but no STARTTLS.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskProcess } from '../support/desk-process.js';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { buildPartnerMail } from '../../embedded/mail-builder.js';
import { waitFor } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';

const IMAP_PASSWORD = 'imap-S3cret-pw';
const SMTP_PASSWORD = 'smtp-S3cret-pw';
const USER = 'desk-tls';
const DOWNGRADE_IMAP = 'the IMAP connection is not encrypted';
const DOWNGRADE_SMTP = 'LICENSEDESK_SMTP_URL allows plaintext (?tls=optional)';

/** An IMAP server that offers no STARTTLS (nor any AUTH= mechanism), answers NO to a login, and keeps what it got. */
async function startPlainImap(): Promise<{ port: number; received: () => string; stop: () => Promise<void> }> {
  let received = '';
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write('* OK IMAP4rev1 server without TLS ready\r\n');
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      buffered += chunk.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const [tag, command] = line.split(' ');
        if (!tag || !command) continue;
        if (command.toUpperCase() === 'CAPABILITY') socket.write(`* CAPABILITY IMAP4rev1\r\n${tag} OK done\r\n`);
        else if (command.toUpperCase() === 'LOGOUT') socket.end(`* BYE\r\n${tag} OK bye\r\n`);
        else socket.write(`${tag} NO not here\r\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received: () => received,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An SMTP server that offers AUTH over plaintext but no STARTTLS; it records every login and every mail. */
async function startPlainSmtp(): Promise<{
  port: number;
  logins: string[];
  mails: string[];
  stop: () => Promise<void>;
}> {
  const logins: string[] = [];
  const mails: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      logins.push(`${auth.username}:${auth.password}`);
      callback(null, { user: auth.username });
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    logins,
    mails,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let redis: RunningRedis;
let dovecot: RunningDovecot;
let sink: SmtpSink;
let imap: Awaited<ReturnType<typeof startPlainImap>>;
let smtp: Awaited<ReturnType<typeof startPlainSmtp>>;
let desk: DeskProcess | undefined;

const base = () => ({
  LICENSEDESK_REDIS_URL: redis.url,
  LICENSEDESK_PREFIX: 'tls',
  LICENSEDESK_DESK_ADDRESS: 'desk@desk.test',
  LICENSEDESK_REPS_ADDRESS: 'reps@desk.test',
  LICENSEDESK_HTTP_PORT: '0',
  LICENSEDESK_SECRET: 'test-secret-0123456789abcdef',
  LICENSEDESK_MAIL_RETRY_BASE_MS: '300',
});
const count = (text: string, words: string) => text.split(words).length - 1;

beforeAll(async () => {
  [redis, dovecot, sink, imap, smtp] = await Promise.all([
    startRedis(),
    startDovecot(),
    startSmtpSink(),
    startPlainImap(),
    startPlainSmtp(),
  ]);
}, 60_000);

afterAll(async () => {
  await desk?.kill();
  await Promise.all([imap?.stop(), smtp?.stop(), sink?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe('STARTTLS stripped: no silent plaintext fallback', () => {
  it('a plain imap:// URL to a server without STARTTLS fails with E_TLS_REQUIRED and never sends the password (plaintext fallback)', async () => {
    desk = startDesk(
      {
        ...base(),
        LICENSEDESK_IMAP_URL: `imap://desk:${IMAP_PASSWORD}@127.0.0.1:${imap.port}/INBOX`,
        LICENSEDESK_SMTP_URL: sink.url,
      },
      ['--only', 'ingest'],
    );
    await waitFor(() => desk!.logs().includes('E_TLS_REQUIRED'), 30_000, 'E_TLS_REQUIRED in the log');
    const logs = desk.logs();
    expect(logs).toContain(`the IMAP server 127.0.0.1:${imap.port} did not start TLS`);
    expect(logs).toContain('LICENSEDESK_IMAP_URL');
    expect(logs).toContain('?tls=optional');
    expect(logs).not.toContain(IMAP_PASSWORD);
    expect(imap.received()).toMatch(/CAPABILITY/i);
    expect(imap.received()).not.toContain(IMAP_PASSWORD);
    expect(imap.received()).not.toMatch(/\bLOGIN\b|\bAUTHENTICATE\b/i);
    expect(await desk.stop()).toBe(0);
    desk = undefined;
  });

  it('a plain smtp:// URL to a server without STARTTLS fails with E_TLS_REQUIRED: no login, no mail, and the mail waits to be tried again (plaintext fallback)', async () => {
    desk = startDesk({
      ...base(),
      LICENSEDESK_IMAP_URL: dovecot.imapUrl(USER), // ?tls=optional: Dovecot here has no TLS
      LICENSEDESK_SMTP_URL: `smtp://desk:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}`,
    });
    // No case number: the desk answers with resend-instructions, which must go out over SMTP.
    await dovecot.append(
      USER,
      await buildPartnerMail({
        from: 'someone@partner.example',
        to: 'desk@desk.test',
        subject: 'licenses please',
        text: 'Hello',
      }),
    );
    await waitFor(() => desk!.logs().includes('E_TLS_REQUIRED'), 30_000, 'E_TLS_REQUIRED in the log');
    await new Promise((r) => setTimeout(r, 1500)); // a retry or two (LICENSEDESK_MAIL_RETRY_BASE_MS)
    const logs = desk.logs();
    expect(logs).toContain(`the SMTP server 127.0.0.1:${smtp.port} did not start TLS`);
    expect(logs).toContain('LICENSEDESK_SMTP_URL');
    expect(logs).toContain('it will be tried again');
    expect(logs).not.toContain('refused by the SMTP server for good');
    expect(logs).not.toContain(SMTP_PASSWORD);
    expect(smtp.logins).toEqual([]);
    expect(smtp.mails).toEqual([]);
    // The mailbox was read over plaintext, as its URL allows, and the desk said so once.
    expect(count(logs, DOWNGRADE_IMAP)).toBe(1);
    expect(await desk.stop()).toBe(0);
    desk = undefined;
  });

  it('?tls=optional sends over plaintext to the same server, after one warning (plaintext fallback)', async () => {
    desk = startDesk({
      ...base(),
      LICENSEDESK_IMAP_URL: dovecot.imapUrl(USER),
      LICENSEDESK_SMTP_URL: `smtp://desk:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}?tls=optional`,
    });
    // The resend-instructions kept from the test before goes out now.
    await waitFor(() => smtp.mails.length > 0, 30_000, 'the kept mail delivered');
    expect(smtp.logins[0]).toBe(`desk:${SMTP_PASSWORD}`);
    expect(smtp.mails[0]).toContain('someone@partner.example');
    expect(smtp.mails[0]).toContain('X-Licensedesk-Kind: resend-instructions');
    expect(count(desk.logs(), DOWNGRADE_SMTP)).toBe(1);
    expect(await desk.stop()).toBe(0);
    desk = undefined;
  });
});
