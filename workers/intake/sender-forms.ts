/**
 * Whether a `resend-instructions` answer may carry the blank forms: only to a
 * sender who is a registered contact of a partner, and, when the desk trusts
 * a mail host (LICENSEDESK_AUTHSERV_ID), whose From that host passed. Forms
 * are never mailed to strangers or to a forged address.
 */
import type { ParsedMail } from 'mailparser';
import type { DeskContext } from '../desk/context.js';
import { headerFields, senderAuthentication } from '../../mail/auth-results.js';
import { partnersOfContact } from '../../registry/partner-contacts.js';

/** `{ blankFormsFor: [partner ids] }` for the mail's data, or nothing. */
export async function blankFormsOffer(
  ctx: DeskContext,
  parsed: ParsedMail,
  from: string,
): Promise<{ blankFormsFor?: string[] }> {
  if (!from) return {};
  if (ctx.config.authservId) {
    const verdict = senderAuthentication(headerFields(parsed), {
      authservId: ctx.config.authservId,
      fromAddress: from,
    });
    if (!verdict.ok) return {};
  }
  const partners = await partnersOfContact(ctx.redis, ctx.keys, from);
  return partners.length > 0 ? { blankFormsFor: partners } : {};
}
