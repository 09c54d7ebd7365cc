/**
 * The handlebars helpers every template of the desk shares (mail text, mail
 * HTML, console pages), registered on each renderer's own handlebars instance.
 * A template whose data carries a `locale` (mail to a partner, the partner's
 * pages) is written in it: `{{t "key" name=value}}` is a catalogue message
 * (i18n/), `{{when iso}}` a date in the partner's zone, `{{money a c}}` an
 * amount; without one, dates stay as the reps read them (UTC).
 */
import type Handlebars from 'handlebars';
import { asLocale, formatMoney, formatWhen, translate } from './i18n/locale.js';
import type { MessageKey } from './i18n/catalogues.js';
import { whenHelper } from './when.js';

type Options = { hash?: Record<string, unknown>; data?: { root?: { locale?: unknown } } };

const rootLocale = (options: unknown) => (options as Options | undefined)?.data?.root?.locale;

/** Markup the helpers make, styled for HTML mail (whose CSS lives in style attributes; mail/compiled-html.ts). */
export interface HelperStyles {
  /** The style attribute of each `codes` field name. */
  code?: string;
}

export function registerSharedHelpers(hb: typeof Handlebars, styles: HelperStyles = {}): void {
  const codeAttr = styles.code ? ` style="${hb.Utils.escapeExpression(styles.code)}"` : '';
  /** `{{join list}}` or `{{join list "; "}}`: a list in one line; anything else as text. */
  hb.registerHelper('join', (items: unknown, sep: unknown) =>
    Array.isArray(items) ? items.join(typeof sep === 'string' ? sep : ', ') : String(items ?? ''),
  );
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  /** Numbered lists from @index. */
  hb.registerHelper('inc', (n: unknown) => (typeof n === 'number' ? n + 1 : n));
  hb.registerHelper('when', (iso: unknown, options: unknown) => {
    const locale = rootLocale(options);
    if (locale === undefined || (typeof iso !== 'string' && !(iso instanceof Date))) return whenHelper(iso);
    return formatWhen(asLocale(locale), iso);
  });
  /** `(tern cond "yes" "no")`: one of two words, for a catalogue message's `select`. */
  hb.registerHelper('tern', (cond: unknown, a: unknown, b: unknown) => (cond ? a : b));
  hb.registerHelper('t', (key: unknown, options: unknown) =>
    translate(asLocale(rootLocale(options)), String(key) as MessageKey, (options as Options).hash ?? {}),
  );
  /**
   * `{{th "key" fields=(codes list)}}`: a catalogue message in HTML, escaped,
   * with the placeholders given as markup (`codes`) kept as markup.
   */
  hb.registerHelper('th', (key: unknown, options: unknown) => {
    const markup = new Map<string, string>();
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((options as Options).hash ?? {})) {
      if (v instanceof hb.SafeString) {
        markup.set(k, v.toString());
        values[k] = `\uE000${k}\uE000`;
      } else values[k] = v;
    }
    const text = hb.Utils.escapeExpression(translate(asLocale(rootLocale(options)), String(key) as MessageKey, values));
    return new hb.SafeString(text.replace(/\uE000(\w+)\uE000/g, (_m, k: string) => markup.get(k) ?? ''));
  });
  /** `(codes list)`: field names as `<code>` markup, escaped, comma separated. */
  hb.registerHelper(
    'codes',
    (items: unknown) =>
      new hb.SafeString(
        (Array.isArray(items) ? items : [])
          .map((i) => `<code${codeAttr}>${hb.Utils.escapeExpression(String(i))}</code>`)
          .join(', '),
      ),
  );
  hb.registerHelper('money', (amount: unknown, currency: unknown, options: unknown) =>
    formatMoney(asLocale(rootLocale(options)), String(amount ?? ''), String(currency ?? '')),
  );
}
