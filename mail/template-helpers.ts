/**
 * The handlebars helpers every template of the desk shares (mail text, mail
 * HTML, console pages), registered on each renderer's own handlebars instance.
 */
import type Handlebars from 'handlebars';
import { whenHelper } from './when.js';

export function registerSharedHelpers(hb: typeof Handlebars): void {
  /** `{{join list}}` or `{{join list "; "}}`: a list in one line; anything else as text. */
  hb.registerHelper('join', (items: unknown, sep: unknown) =>
    Array.isArray(items) ? items.join(typeof sep === 'string' ? sep : ', ') : String(items ?? ''),
  );
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  /** Numbered lists from @index. */
  hb.registerHelper('inc', (n: unknown) => (typeof n === 'number' ? n + 1 : n));
  hb.registerHelper('when', whenHelper);
}
