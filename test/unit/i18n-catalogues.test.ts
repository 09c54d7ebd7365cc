import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { avayaSwap } from '../../domain/programs/avaya-swap/program.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allCatalogues } from '../../mail/i18n/catalogues.js';
import { PARTNER_LANGUAGES } from '../../mail/i18n/languages.js';
import { formatMoney, formatWhen, languageFromAcceptLanguage, translate } from '../../mail/i18n/locale.js';

/** Every argument a message uses, with its type (plural, select, plain), nested ones too. */
function placeholders(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument) out.add(`${e.value}:arg`);
    else if (e.type === TYPE.plural) {
      out.add(`${e.value}:plural`);
      for (const o of Object.values(e.options)) placeholders(o.value, out);
    } else if (e.type === TYPE.select) {
      out.add(`${e.value}:select`);
      for (const o of Object.values(e.options)) placeholders(o.value, out);
    } else if (e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) out.add(`${e.value}:${e.type}`);
  }
  return out;
}
const RULE_IDS = (s: string) => [...s.matchAll(/\b[A-Z]{3}-\d+\b/g)].map((m) => m[0]).sort();

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CATALOGUES = allCatalogues();
const en = CATALOGUES.en;
/** A message of a catalogue ('' when it lacks the key: the key test says which). */
const msg = (lang: keyof typeof CATALOGUES, key: string): string => CATALOGUES[lang][key] ?? '';

describe('the partner catalogues', () => {
  const keys = Object.keys(en);

  it('there is one catalogue per partner language, and no other', () => {
    expect(readdirSync(join(ROOT, 'templates', 'i18n')).sort()).toEqual(
      PARTNER_LANGUAGES.map((l) => `${l}.json`).sort(),
    );
  });

  it('every key a template or page names is in the catalogue', () => {
    const used = new Set<string>();
    for (const dir of ['templates/mail', 'templates/partner']) {
      for (const f of readdirSync(join(ROOT, dir))) {
        const text = readFileSync(join(ROOT, dir, f), 'utf8');
        for (const m of text.matchAll(/\{\{\(?t[h]? "([^"]+)"/g)) used.add(m[1]!);
        for (const m of text.matchAll(/\(t[h]? "([^"]+)"/g)) used.add(m[1]!);
      }
    }
    for (const f of ['mail/render.ts', 'mail/render-html.ts', 'console/partner-pages.ts']) {
      for (const m of readFileSync(join(ROOT, f), 'utf8').matchAll(/translate\([^,]+, '([^']+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });

  it.each(PARTNER_LANGUAGES.filter((l) => l !== 'en'))('%s has every key of en and no other', (lang) => {
    expect(Object.keys(CATALOGUES[lang]).sort()).toEqual([...keys].sort());
  });

  it.each(PARTNER_LANGUAGES)('%s uses the same placeholders and rule IDs as en in every message', (lang) => {
    for (const key of keys) {
      const mine = msg(lang, key);
      expect([...placeholders(parse(mine))].sort(), `${lang} ${key}`).toEqual(
        [...placeholders(parse(msg('en', key)))].sort(),
      );
      expect(RULE_IDS(mine), `${lang} ${key}: rule IDs are never translated`).toEqual(RULE_IDS(msg('en', key)));
    }
  });

  it.each(PARTNER_LANGUAGES)('%s: every message formats, plurals included', (lang) => {
    for (const key of keys) {
      const values = Object.fromEntries(
        [...placeholders(parse(msg('en', key)))].map((p) => {
          const [name, type] = p.split(':') as [string, string];
          return [name, type === 'plural' ? 2 : type === 'select' ? 'yes' : `<${name}>`];
        }),
      );
      const text = translate({ language: lang, timeZone: 'UTC' }, key, values);
      expect(text.length, `${lang} ${key}`).toBeGreaterThan(0);
      expect(text, `${lang} ${key}`).not.toMatch(/\{|\}/);
    }
  });

  it('ICU plurals: one form and another (de, fr)', () => {
    const de = { language: 'de' as const, timeZone: 'UTC' };
    expect(translate(de, 'caseClosed.intro', { caseNumber: '100001', days: 1 })).toContain('1 Tag ');
    expect(translate(de, 'caseClosed.intro', { caseNumber: '100001', days: 14 })).toContain('14 Tage ');
    expect(translate({ language: 'fr', timeZone: 'UTC' }, 'status.left', { hours: 1, minutes: 5 })).toBe(
      'Encore 1 heure et 5 minutes.',
    );
  });

  it('SWP-9 no message but the final-sale answer reads as a refund request, so a reply quoting the desk is not one', () => {
    for (const lang of PARTNER_LANGUAGES) {
      for (const key of keys) {
        if (key.startsWith('finalSale.')) continue;
        expect(avayaSwap.answersMail(msg(lang, key)), `${lang} ${key}`).toBeUndefined();
      }
    }
  });

  it("dates in the partner's zone with the zone named, amounts with their currency, Accept-Language", () => {
    const at = '2026-12-07T14:30:00Z';
    expect(formatWhen({ language: 'de', timeZone: 'Europe/Berlin' }, at)).toBe(
      '7. Dezember 2026 um 15:30 (Europe/Berlin)',
    );
    expect(formatWhen({ language: 'fr', timeZone: 'Europe/Paris' }, at)).toMatch(
      /^7 décembre 2026 .*15:30 \(Europe\/Paris\)$/,
    );
    expect(formatWhen({ language: 'en', timeZone: 'UTC' }, at)).toMatch(/December 7, 2026.*2:30\sPM \(UTC\)/);
    expect(formatMoney({ language: 'de', timeZone: 'UTC' }, '1234.50', 'EUR')).toMatch(/^1\.234,50\s€$/);
    expect(formatMoney({ language: 'en', timeZone: 'UTC' }, '300.00', 'USD')).toBe('$300.00');
    expect(languageFromAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8')).toBe('fr');
    expect(languageFromAcceptLanguage('ja, nl;q=0.5')).toBe('nl');
    expect(languageFromAcceptLanguage('ja')).toBe('en');
    expect(languageFromAcceptLanguage(undefined)).toBe('en');
  });
});
