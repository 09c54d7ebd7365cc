/**
 * The status link every mail to a partner carries (CONTRACT.md "What a
 * partner can see without mailing"): `/status/<case>.<address>.<signature>`,
 * the address base64url-encoded, signed with its own key derived from
 * LICENSEDESK_SECRET. A link is bound to one case and one recipient: change
 * either, or a character of the signature, and it is refused like an unknown
 * case. How long it works is the case's, not the link's: until the case's
 * retention ends (console/status-routes.ts checks).
 */
import type { SecretBox } from '../lib/secret-box.js';

export interface StatusTokenFacts {
  caseNumber: string;
  address: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

export function statusToken(box: SecretBox, caseNumber: string, address: string): string {
  const text = `${caseNumber}.${b64(address.trim().toLowerCase())}`;
  return `${text}.${box.signStatusLink(text)}`;
}

/**
 * The case and address a token was signed for, or undefined. The signature is
 * computed and compared (in constant time) whatever the token looks like, so a
 * malformed link costs what a well-formed one does.
 */
export function readStatusToken(box: SecretBox, token: string): StatusTokenFacts | undefined {
  const m = /^(\d{4,10})\.([A-Za-z0-9_-]{1,700})\.([A-Za-z0-9_-]{32})$/.exec(token);
  const text = m ? `${m[1]}.${m[2]}` : token.slice(0, 800);
  const ok = box.verifyStatusLink(text, m?.[3] ?? '');
  if (!m || !ok) return undefined;
  return { caseNumber: m[1]!, address: Buffer.from(m[2]!, 'base64url').toString('utf8') };
}

/** Where partners reach the desk's pages: LICENSEDESK_CONSOLE_ORIGIN, else the loopback console. */
export function publicOrigin(config: { consoleOrigin?: string; httpPort: number }): string {
  return config.consoleOrigin ?? `http://127.0.0.1:${config.httpPort}`;
}

/**
 * The status URL of `caseNumber` for `recipient`: the one function a mail to a
 * partner (any kind, any worker) calls to get its link.
 */
export function statusUrl(
  box: SecretBox,
  config: { consoleOrigin?: string; httpPort: number },
  caseNumber: string,
  recipient: string,
): string {
  return `${publicOrigin(config)}/status/${statusToken(box, caseNumber, recipient)}`;
}

/** The partner's page to open a case on (`resend-instructions` and `case-closed` link to it). */
export const openPageUrl = (config: { consoleOrigin?: string; httpPort: number }): string =>
  `${publicOrigin(config)}/open`;
