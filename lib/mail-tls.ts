/**
 * TLS on the desk's mail connections (LICENSEDESK_IMAP_URL,
 * LICENSEDESK_SMTP_URL). `imaps://` and `smtps://` speak TLS from the first
 * byte. A plain `imap://` or `smtp://` URL must upgrade with STARTTLS before
 * it logs in: a server that does not offer it (or anyone on the path who
 * strips the offer) fails the connection, so the password never travels in
 * clear. `?tls=optional` on a plain URL allows plaintext when STARTTLS is
 * not offered, for a server on loopback such as the demo's and the tests';
 * the desk then warns that the connection is not encrypted.
 */

/** implicit: TLS from the start; starttls: STARTTLS or no connection; starttls-optional: STARTTLS when offered. */
export type MailTls = 'implicit' | 'starttls' | 'starttls-optional';

const TLS_PARAM = 'tls';

/** Why the URL's `tls` parameter is not usable, or undefined when it is (absent, or `optional` on a plain URL). */
export function tlsParamProblem(url: URL): string | undefined {
  const values = url.searchParams.getAll(TLS_PARAM);
  if (values.length === 0) return undefined;
  if (values.length > 1 || values[0] !== 'optional') return '?tls= takes one value, optional';
  if (url.protocol === 'imaps:' || url.protocol === 'smtps:')
    return `?tls=optional applies to plain ${url.protocol === 'imaps:' ? 'imap' : 'smtp'}:// URLs only (${url.protocol}// is TLS from the start)`;
  return undefined;
}

/** How a mail URL uses TLS; `secureScheme` is its TLS-from-the-start scheme (`imaps:`, `smtps:`). */
export function mailTls(url: URL, secureScheme: 'imaps:' | 'smtps:'): MailTls {
  if (url.protocol === secureScheme) return 'implicit';
  return url.searchParams.get(TLS_PARAM) === 'optional' ? 'starttls-optional' : 'starttls';
}

/** The URL without the desk's own `tls` parameter (for a client that reads the others itself). */
export function withoutTlsParam(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has(TLS_PARAM)) return url;
  u.searchParams.delete(TLS_PARAM);
  return u.toString();
}
