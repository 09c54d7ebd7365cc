/**
 * RFC 3834 and common practice: mail that is itself automatic is never
 * answered, or two robots answer each other forever.
 */
import type { ParsedMail } from 'mailparser';

export function automaticReason(mail: Pick<ParsedMail, 'headers' | 'from'>, deskAddress: string): string | undefined {
  const h = mail.headers;
  const text = (name: string): string => {
    const v = h.get(name);
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && 'text' in (v as object)) return String((v as { text: unknown }).text);
    if (typeof v === 'object' && 'value' in (v as object)) return String((v as { value: unknown }).value);
    return String(v);
  };
  const auto = text('auto-submitted').trim().toLowerCase();
  if (auto && !auto.startsWith('no')) return `Auto-Submitted: ${auto}`;
  const precedence = text('precedence').trim().toLowerCase();
  // auto_reply: what Exchange, vacation(1) and many responders write instead of Auto-Submitted.
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  // Responders that say so only in their own header (cPanel/Exim X-Autoreply, X-Autorespond).
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    if (h.has(name))
      return `${name.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())}: ${text(name).trim()}`;
  }
  if (text('x-loop').toLowerCase().includes(deskAddress.toLowerCase())) return 'X-Loop of this desk';
  if ([...h.keys()].some((k) => k.startsWith('list-'))) return 'mailing list (List-* headers)';
  const from = (mail.from?.value[0]?.address ?? '').toLowerCase();
  if (/^(mailer-daemon|postmaster)@/.test(from)) return `sent by ${from}`;
  const returnPath = text('return-path').trim();
  if (h.has('return-path') && (returnPath === '' || returnPath === '<>')) return 'empty Return-Path (a bounce)';
  const ct = h.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (ct?.value === 'multipart/report') return 'delivery report (bounce)';
  if (from && from === deskAddress.toLowerCase()) return 'sent by this desk';
  return undefined;
}
