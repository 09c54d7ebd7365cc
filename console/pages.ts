/** HTML of the reps' console, from handlebars templates (escaped by default). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../lib/paths.js';
import type { CaseDoc } from '../domain/case-doc.js';

const hb = Handlebars.create();
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
const page = (name: string) => hb.compile(readFileSync(join(packageRoot(), 'templates', 'console', `${name}.hbs`), 'utf8'));
let cases: HandlebarsTemplateDelegate | undefined;
let one: HandlebarsTemplateDelegate | undefined;

export function renderCasesPage(list: CaseDoc[]): string {
  cases ??= page('cases');
  return cases({ cases: list, held: list.filter((c) => c.state === 'held').length });
}

export function renderCasePage(doc: CaseDoc): string {
  one ??= page('case');
  return one({ c: doc, json: JSON.stringify(doc, null, 2), held: doc.state === 'held' });
}
