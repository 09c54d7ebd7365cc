/**
 * Who may get an automatic answer (backscatter). Every answer the
 * desk writes to a sender goes to the From address; when that address is
 * forged, the answer is spam to an innocent third party and can carry the
 * forger's text. With LICENSEDESK_AUTHSERV_ID set, the desk answers only a
 * sender whom that trusted host passed (mail/auth-results.ts); without it,
 * the desk cannot tell and answers the From address (rate limited), as the
 * start-up warning says.
 */
import type { ParsedMail } from 'mailparser';
import { headerFields, senderAuthentication, type HeaderField } from './auth-results.js';

export type AnswerVerdict = { ok: true } | { ok: false; reason: string };

/** From the parsed message's own header lines (topmost first). */
export function mayAnswer(
  authservId: string | undefined,
  parsed: Pick<ParsedMail, 'headerLines'>,
  from: string,
): AnswerVerdict {
  return verdictOf(authservId, headerFields(parsed), from);
}

/**
 * From the `Authentication-Results` values alone (topmost first), for a message
 * whose body the desk never fetched (over the size limit).
 */
export function mayAnswerHeaders(
  authservId: string | undefined,
  authResults: readonly string[] | undefined,
  from: string,
): AnswerVerdict {
  return verdictOf(
    authservId,
    (authResults ?? []).map((value) => ({ key: 'Authentication-Results', value })),
    from,
  );
}

function verdictOf(authservId: string | undefined, headers: ReadonlyArray<HeaderField>, from: string): AnswerVerdict {
  if (!from) return { ok: false, reason: 'no From address' };
  if (!authservId) return { ok: true };
  const v = senderAuthentication(headers, { authservId, fromAddress: from });
  return v.ok ? { ok: true } : { ok: false, reason: v.reason };
}
