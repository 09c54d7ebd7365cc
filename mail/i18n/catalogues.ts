/** One catalogue per language the desk writes to partners in. */
import type { PartnerLanguage } from './languages.js';
import { de } from './de.js';
import { en, type Catalogue } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { it } from './it.js';
import { nl } from './nl.js';

export const CATALOGUES: Record<PartnerLanguage, Catalogue> = { en, de, fr, es, it, nl };
