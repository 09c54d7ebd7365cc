/**
 * The desk's HTML mail templates as the build left them (mail/build/compile-html.ts):
 * the MJML layout compiled to markup and every body with its CSS in style
 * attributes, all still handlebars. Read once per process; nothing here loads
 * MJML or juice.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../lib/paths.js';

/** Where the build writes them, under the package root. */
export const COMPILED_HTML_DIR = join('dist', 'mail-html');
export const MARKUP_STYLES_FILE = 'markup-styles.json';

/** The style attributes of markup that helpers make at render time. */
export interface MarkupStyles {
  /** A field name (`codes`). */
  code: string;
  /** A rule ID badge (`ruled`). */
  rule: string;
}

/** One compiled file's text; a clear error when the project was not built. */
export function compiledHtml(name: string): string {
  const file = join(packageRoot(), COMPILED_HTML_DIR, name);
  if (!existsSync(file))
    throw new Error(`${COMPILED_HTML_DIR}/${name} is missing: run npm run build (it compiles the mail's HTML)`);
  return readFileSync(file, 'utf8');
}

let styles: MarkupStyles | undefined;

export function markupStyles(): MarkupStyles {
  styles ??= JSON.parse(compiledHtml(MARKUP_STYLES_FILE)) as MarkupStyles;
  return styles;
}
