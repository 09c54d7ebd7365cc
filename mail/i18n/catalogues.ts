/** One catalogue per language the desk writes to partners in. */
import type { PartnerLanguage } from './languages.js';
import { en, type Catalogue } from './en.js';

export const CATALOGUES: Record<PartnerLanguage, Catalogue> = { en, de: en, fr: en, es: en, it: en, nl: en };
