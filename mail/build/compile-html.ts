// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient module's types: the test build includes only test/, so the reference brings them along
/// <reference path="../mjml.d.ts" />
/**
 * The build step of the desk's HTML mail (`npm run build` runs it after tsc):
 * MJML turns templates/mail/layout.mjml into the table markup every mail
 * client renders alike, and juice writes templates/mail/body.css into the
 * style attributes of every kind's body template (mail clients keep style
 * attributes, not style sheets). What it writes under dist/mail-html/ is
 * still handlebars: a mail is then two handlebars renders, and no MJML,
 * juice or cheerio is loaded or run by the desk (mjml and juice are
 * development dependencies).
 *
 * juice keeps handlebars' `{{…}}` as it finds them (its code blocks). Markup
 * the helpers make at render time (`codes`, `ruled`) carries the styles this
 * step computes for it, in markup-styles.json.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import juice from 'juice';
import mjml2html from 'mjml';
import { packageRoot } from '../../lib/paths.js';
import { COMPILED_HTML_DIR, MARKUP_STYLES_FILE, type MarkupStyles } from '../compiled-html.js';

/**
 * Mail clients drop or rewrite <style> blocks (Gmail's apps, many webmails),
 * so the desk's mail carries its CSS in style attributes only. MJML already
 * puts every style the layout needs inline; its <style> blocks hold resets
 * and the media queries of multi-column layouts, which a one-column layout
 * does not need.
 */
export function inlineOnly(html: string): string {
  return html.replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, '').replace(/\n\s*\n+/g, '\n');
}

/** The layout as a handlebars template. */
export async function compileLayout(source: string): Promise<string> {
  // fonts: {} keeps MJML from linking remote web fonts: a mail loads nothing.
  const { html, errors } = await mjml2html(source, { fonts: {}, validationLevel: 'strict', keepComments: false });
  if (errors.length > 0)
    throw new Error(`templates/mail/layout.mjml: ${errors.map((e) => e.formattedMessage).join('; ')}`);
  return inlineOnly(html);
}

/** A body template (or partial) with the body CSS in its style attributes. */
export function inlineBody(source: string, css: string): string {
  return juice.inlineContent(source, css);
}

/** The style attribute juice gives `markup` (one element) under `css`. */
function styleOf(markup: string, css: string): string {
  const m = /\bstyle="([^"]*)"/.exec(juice.inlineContent(markup, css));
  return m?.[1] ?? '';
}

export function markupStyles(css: string): MarkupStyles {
  return { code: styleOf('<code>x</code>', css), rule: styleOf('<span class="rule">x</span>', css) };
}

export async function compileMailHtml(root = packageRoot()): Promise<string[]> {
  const src = join(root, 'templates', 'mail');
  const out = join(root, COMPILED_HTML_DIR);
  mkdirSync(out, { recursive: true });
  const css = readFileSync(join(src, 'body.css'), 'utf8');
  const written: string[] = [];
  const write = (name: string, text: string): void => {
    writeFileSync(join(out, name), text);
    written.push(name);
  };
  write('layout.hbs', await compileLayout(readFileSync(join(src, 'layout.mjml'), 'utf8')));
  for (const name of readdirSync(src)
    .filter((f) => f.endsWith('.html.hbs') || f.endsWith('.partial.hbs'))
    .sort())
    write(name, inlineBody(readFileSync(join(src, name), 'utf8'), css));
  write(MARKUP_STYLES_FILE, `${JSON.stringify(markupStyles(css), null, 2)}\n`);
  return written;
}
