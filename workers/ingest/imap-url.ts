/**
 * `imap://user:pass@host:port/MAILBOX` (`imaps://` for TLS) as imapflow
 * options. A plain `imap://` URL requires STARTTLS unless it says
 * `?tls=optional` (lib/mail-tls.ts).
 */
import { mailTls, type MailTls } from '../../lib/mail-tls.js';

export interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  tls: MailTls;
  user: string;
  pass: string;
  mailbox: string;
}

export function parseImapUrl(url: string): ImapTarget {
  const u = new URL(url);
  const tls = mailTls(u, 'imaps:');
  const secure = tls === 'implicit';
  const mailbox = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    tls,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    mailbox,
  };
}

/**
 * imapflow's TLS options for the target: `doSTARTTLS: true` makes it refuse
 * to go on (before LOGIN) when the server offers no STARTTLS; left unset it
 * upgrades when offered and otherwise goes on in plaintext.
 */
export const imapTlsOptions = (t: ImapTarget): { secure: boolean; doSTARTTLS?: boolean } =>
  t.tls === 'starttls' ? { secure: false, doSTARTTLS: true } : { secure: t.secure };
