/**
 * LICENSEDESK_SMTP_URL as nodemailer pool options. nodemailer reads the URL
 * itself (host, port, `user:pass@`, its own query options); the desk adds
 * what a plain `smtp://` URL means here: STARTTLS is required (`requireTLS`)
 * unless the URL says `?tls=optional` (lib/mail-tls.ts).
 */
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { errors } from '../../lib/errors.js';
import { mailTls, withoutTlsParam, type MailTls } from '../../lib/mail-tls.js';

export const smtpTls = (smtpUrl: string): MailTls => mailTls(new URL(smtpUrl), 'smtps:');

export function smtpPoolOptions(smtpUrl: string, connections: number): SMTPPool.Options {
  return {
    url: withoutTlsParam(smtpUrl),
    pool: true,
    maxConnections: connections,
    // With requireTLS nodemailer asks for STARTTLS whether or not it is offered, and stops (ETLS) before AUTH
    // and MAIL when the server does not start TLS.
    ...(smtpTls(smtpUrl) === 'starttls' ? { requireTLS: true } : {}),
  };
}

/**
 * A send that failed because STARTTLS could not be done on a URL that
 * requires it, as E_TLS_REQUIRED (a temporary failure: the mail is tried
 * again, never dropped as refused); any other error as it was.
 */
export function smtpTlsFailure(err: unknown, smtpUrl: string): unknown {
  const e = err as { code?: unknown; message?: unknown };
  if (e?.code !== 'ETLS' || smtpTls(smtpUrl) !== 'starttls') return err;
  const u = new URL(smtpUrl);
  return errors.E_TLS_REQUIRED(
    `the SMTP server ${u.hostname}:${u.port || 587}`,
    String(e.message),
    'smtp://',
    'LICENSEDESK_SMTP_URL',
  );
}
