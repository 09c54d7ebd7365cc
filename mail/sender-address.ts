/**
 * The one mailbox a partner mail is from. DSK-3 checks it against the
 * partner's contacts, the authentication check judges its domain, the reply
 * limit counts answers to it and every automatic answer goes to it, so all of
 * them must read the same single address. A From that is not exactly one
 * well-formed mailbox is refused before any of them reads it: two mailboxes,
 * a group, two From headers, or an address the parser took whole although it
 * holds a comma (`<victim@a.example,attacker@b.example>` is one address to
 * mailparser, its domain after the last `@` is the second's, and nodemailer
 * mails both).
 */
import { domainToASCII } from 'node:url';
import type { ParsedMail } from 'mailparser';

export type SenderMailbox = { ok: true; address: string } | { ok: false; reason: string };

/** RFC 5322 atext: a dot-atom local part is dot-separated runs of these. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
/** A DNS label of letters, digits and inner hyphens (RFC 1123), after IDNA. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `local@domain` as the desk keys and mails it (lower case, the domain in
 * IDNA ASCII), or undefined when `address` is not one plain addr-spec: a
 * dot-atom local part (no quoted strings, no comments) and a domain name of at
 * least two labels (no address literal).
 */
export function normaliseMailbox(address: string): string | undefined {
  const at = address.indexOf('@');
  if (at <= 0 || at !== address.lastIndexOf('@')) return undefined;
  const local = address.slice(0, at);
  if (local.length > 64 || !local.split('.').every((p) => ATEXT.test(p))) return undefined;
  const domain = domainToASCII(address.slice(at + 1).toLowerCase());
  if (!domain || domain.length > 253) return undefined;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return undefined;
  return `${local.toLowerCase()}@${domain}`;
}

/** The sender of a parsed mail: its one From header, naming one well-formed mailbox. */
export function senderMailbox(parsed: Pick<ParsedMail, 'from' | 'headerLines'>): SenderMailbox {
  const headers = parsed.headerLines.filter((h) => h.key.toLowerCase() === 'from').length;
  if (headers === 0) return { ok: false, reason: 'no From header' };
  if (headers > 1) return { ok: false, reason: `${headers} From headers` };
  const value = parsed.from?.value ?? [];
  if (value.some((v) => v.group)) return { ok: false, reason: 'From is a group, not a mailbox' };
  if (value.length !== 1) return { ok: false, reason: `From names ${value.length} mailboxes, not one` };
  return mailboxOf(value[0]!.address ?? '');
}

/**
 * The sender as the ingester kept it from the IMAP envelope (meta.from), for a
 * mail whose body was never fetched or could not be parsed.
 */
export function envelopeSender(from: string | undefined): SenderMailbox {
  return from ? mailboxOf(from) : { ok: false, reason: 'no From address' };
}

/**
 * What the ingester keeps of the envelope's From: the one address, or every
 * address it names joined by commas (which envelopeSender then refuses).
 */
export function envelopeFrom(list: ReadonlyArray<{ address?: string }> | undefined): string | undefined {
  if (!list || list.length === 0) return undefined;
  if (list.length === 1) return list[0]!.address;
  return list.map((a) => a.address ?? '').join(', ');
}

function mailboxOf(address: string): SenderMailbox {
  if (!address.trim()) return { ok: false, reason: 'no address in From' };
  const normal = normaliseMailbox(address.trim());
  return normal ? { ok: true, address: normal } : { ok: false, reason: 'From is not one well-formed mailbox' };
}
