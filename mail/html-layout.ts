// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient module's types: the test build includes only test/, so the reference brings them along
/// <reference path="./mjml.d.ts" />
/**
 * The one HTML layout every mail shares, written in MJML
 * (templates/mail/layout.mjml) and compiled once per process, then reused as
 * a handlebars template: MJML turns the layout into the table markup that
 * Outlook, Gmail and Apple Mail render alike, so no mail is ever compiled by
 * MJML on its own (that costs tens of milliseconds and loads mjml's parser).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../lib/paths.js';

export interface LayoutData {
  subject: string;
  /** The first words a mail list shows. */
  preview: string;
  heading: string;
  caseNumber?: string;
  /** Mail to partners and senders (an automatic reply) rather than to staff. */
  automatic: boolean;
  /** The kind's body, already rendered (escaped) HTML. */
  body: string;
  /** The `lang` of the page (the partner's language; `en` for staff). */
  lang: string;
  /** The band above the heading (`License desk · Case N`), in the mail's language. */
  brand: string;
  /** The line under the mail, in its language. */
  footer: string;
  /** A partner's status link, and the button's words. */
  statusUrl?: string;
  statusLabel?: string;
}

export type Layout = (data: LayoutData) => string;

let compiled: Promise<Layout> | undefined;

/** The compiled layout; the first call compiles it, every later one gets the same. */
export function htmlLayout(): Promise<Layout> {
  compiled ??= compileLayout().catch((e: unknown) => {
    compiled = undefined; // a failed compile is retried by the next mail, not cached
    throw e;
  });
  return compiled;
}

async function compileLayout(): Promise<Layout> {
  const source = await readFile(join(packageRoot(), 'templates', 'mail', 'layout.mjml'), 'utf8');
  // Loaded only by processes that send mail.
  const { default: mjml2html } = await import('mjml');
  // fonts: {} keeps MJML from linking remote web fonts: a mail loads nothing.
  const { html, errors } = await mjml2html(source, { fonts: {}, validationLevel: 'strict', keepComments: false });
  if (errors.length > 0)
    throw new Error(`templates/mail/layout.mjml: ${errors.map((e) => e.formattedMessage).join('; ')}`);
  const hb = Handlebars.create();
  return hb.compile(inlineOnly(html), { strict: false });
}

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
