/**
 * What a mail to a partner (or a sender, or a buyer) carries beyond its
 * kind's data: the partner's locale, so it is written in its language with
 * dates in its zone, and, on a case, the recipient's status link (header
 * `X-Licensedesk-Status-Url`, a line in the text, a button in the HTML).
 * Staff mail gets neither: it stays English and UTC.
 */
import { localeOf, DEFAULT_LOCALE, type Locale } from '../../mail/i18n/locale.js';
import { isAutoReply, MAIL_KINDS } from '../../mail/mail-kinds.js';
import { openPageUrl, statusUrl } from '../../mail/status-link.js';
import { partnersOfContact } from '../../registry/partner-contacts.js';
import type { DeskContext } from '../desk/context.js';
import type { MailJob } from '../desk/queues.js';

/** The locale of a registry partner, by id (`en`/`UTC` when unknown). */
export async function partnerLocale(ctx: DeskContext, partnerId: string | undefined): Promise<Locale> {
  if (!partnerId) return DEFAULT_LOCALE;
  const json = await ctx.redis.hget(ctx.keys.regDoc('partners'), partnerId);
  return json ? localeOf(JSON.parse(json) as { language?: never; timeZone?: string }) : DEFAULT_LOCALE;
}

/** The partner a mail speaks for: the case's, else (a mail to a sender about no case) the partner the address is a contact of. */
async function partnerOfMail(ctx: DeskContext, m: MailJob, recipient: string | undefined): Promise<string | undefined> {
  if (typeof m.data.partnerId === 'string') return m.data.partnerId;
  if (m.caseNumber) {
    const stored = await ctx.cases.get(m.caseNumber);
    if (stored) return stored.doc.partnerId;
    const rc = await ctx.registry.getCase(m.caseNumber);
    if (rc) return rc.partnerId;
  }
  if (!recipient) return undefined;
  return (await partnersOfContact(ctx.redis, ctx.keys, recipient))[0];
}

export interface PartnerMailExtras {
  locale?: Locale;
  statusUrl?: string;
  /** The partner's page to open a case on (DSK-12). */
  openUrl?: string;
}

/** The locale and status link of one mail going to `recipient` (its first address). */
export async function partnerMailExtras(
  ctx: DeskContext,
  m: MailJob,
  recipient: string | undefined,
): Promise<PartnerMailExtras> {
  if (!isAutoReply(m.kind)) return {};
  const locale = await partnerLocale(ctx, await partnerOfMail(ctx, m, recipient));
  const openUrl = openPageUrl(ctx.config);
  // A buyer (LVX-3) is written to in the case partner's language but is not that partner: no link to its case.
  if (!m.caseNumber || !recipient || MAIL_KINDS[m.kind] === 'buyer') return { locale, openUrl };
  return { locale, openUrl, statusUrl: statusUrl(ctx.box, ctx.config, m.caseNumber, recipient) };
}
