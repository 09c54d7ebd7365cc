/**
 * One catalogue per language the desk writes to partners in:
 * templates/i18n/<language>.json, ICU MessageFormat messages by key (the
 * words of the partner's mail and pages live with the mail templates, not in
 * code). Every catalogue has the keys and placeholders of en.json
 * (test/unit/i18n-catalogues.test.ts); rule IDs, case numbers, form field
 * names and headers are placeholders or written as they are, never translated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../lib/paths.js';
import { PARTNER_LANGUAGES, type PartnerLanguage } from './languages.js';

/** A catalogue message's key, e.g. `incomplete.subject`. */
export type MessageKey = string;
export type Catalogue = Readonly<Record<MessageKey, string>>;

const loaded = new Map<PartnerLanguage, Catalogue>();

/** The catalogue of one language, read once per process. */
export function catalogue(language: PartnerLanguage): Catalogue {
  let c = loaded.get(language);
  if (!c) {
    c = JSON.parse(readFileSync(join(packageRoot(), 'templates', 'i18n', `${language}.json`), 'utf8')) as Catalogue;
    loaded.set(language, c);
  }
  return c;
}

/** Every catalogue, by language. */
export const allCatalogues = (): Record<PartnerLanguage, Catalogue> =>
  Object.fromEntries(PARTNER_LANGUAGES.map((l) => [l, catalogue(l)])) as Record<PartnerLanguage, Catalogue>;
