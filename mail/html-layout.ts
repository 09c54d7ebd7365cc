/**
 * The one HTML layout every mail shares, written in MJML
 * (templates/mail/layout.mjml) and compiled to table markup when the project
 * builds (mail/build/compile-html.ts), then used as a handlebars template:
 * MJML's markup renders alike in Outlook, Gmail and Apple Mail, and no MJML
 * runs while the desk works.
 */
import Handlebars from 'handlebars';
import { compiledHtml } from './compiled-html.js';

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

let compiled: Layout | undefined;

/** The compiled layout; the first call compiles it, every later one gets the same. */
export function htmlLayout(): Layout {
  compiled ??= Handlebars.create().compile(compiledHtml('layout.hbs'), { strict: false });
  return compiled;
}
