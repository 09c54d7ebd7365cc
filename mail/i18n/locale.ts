/**
 * The partner's language and time zone (CONTRACT.md "The partner's language
 * and time zone"), and the one way partner-facing text is written in them:
 * `translate` formats a catalogue message with intl-messageformat (ICU plurals
 * and selects), `formatWhen` and `formatMoney` use Intl. Nothing is built by
 * concatenating words.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { PARTNER_LANGUAGES, type PartnerLanguage } from './languages.js';
import { catalogue, type MessageKey } from './catalogues.js';

export interface Locale {
  language: PartnerLanguage;
  timeZone: string;
}

export const DEFAULT_LOCALE: Locale = { language: 'en', timeZone: 'UTC' };

/** A registry partner's locale; `en` and `UTC` where it names none. */
export function localeOf(partner: { language?: PartnerLanguage; timeZone?: string } | undefined): Locale {
  return { language: partner?.language ?? 'en', timeZone: partner?.timeZone ?? 'UTC' };
}

export const isPartnerLanguage = (s: unknown): s is PartnerLanguage =>
  typeof s === 'string' && (PARTNER_LANGUAGES as readonly string[]).includes(s);

/** A locale carried in job data or template data, or the default when it is not a valid one. */
export function asLocale(v: unknown): Locale {
  const o = v as Partial<Locale> | undefined;
  return {
    language: isPartnerLanguage(o?.language) ? o.language : 'en',
    timeZone: typeof o?.timeZone === 'string' && o.timeZone ? o.timeZone : 'UTC',
  };
}

/** The best of the desk's languages an `Accept-Language` header asks for (q-values honoured), else `en`. */
export function languageFromAcceptLanguage(header: string | undefined): PartnerLanguage {
  const asked = (header ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), i };
    })
    .filter((a) => a.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return asked.map((a) => a.lang).find(isPartnerLanguage) ?? 'en';
}

const compiled = new Map<string, IntlMessageFormat>();

/** The catalogue message `key` in the locale's language, its placeholders filled. */
export function translate(locale: Locale, key: MessageKey, values: Record<string, unknown> = {}): string {
  const id = `${locale.language}\u0000${key}`;
  let f = compiled.get(id);
  if (!f) {
    // A key no catalogue has is a template's bug: shown as the key, so it is seen, not an empty line.
    f = new IntlMessageFormat(catalogue(locale.language)[key] ?? catalogue('en')[key] ?? key, locale.language);
    compiled.set(id, f);
  }
  const clean: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(values)) clean[k] = typeof v === 'number' ? v : String(v ?? '');
  return String(f.format(clean));
}

/** An instant as the partner reads it: its language, its zone, the zone named (`7. Dezember 2026 um 15:30 (Europe/Berlin)`). */
export function formatWhen(locale: Locale, iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return typeof iso === 'string' ? iso : '';
  const text = new Intl.DateTimeFormat(locale.language, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: locale.timeZone,
  }).format(d);
  return `${text} (${locale.timeZone})`;
}

/** An exact decimal amount (`"300.00"`) with its currency, as the partner's language writes it. */
export function formatMoney(locale: Locale, amount: string, currency: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(amount) || !/^[A-Z]{3}$/.test(currency)) return `${amount} ${currency}`.trim();
  // Intl formats a decimal string exactly (no float rounding) when given as a string.
  return new Intl.NumberFormat(locale.language, { style: 'currency', currency }).format(amount as unknown as number);
}
