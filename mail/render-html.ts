/**
 * The HTML part of the desk's mail: templates/mail/<kind>.html.hbs renders
 * the kind's body (HTML-escaped: partners' words are data, never markup),
 * templates/mail/body.css is inlined into it with juice (mail clients keep
 * style attributes, not style sheets), and the shared MJML layout wraps it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../lib/paths.js';
import { htmlLayout } from './html-layout.js';
import { isAutoReply, MAIL_KINDS, type MailKind } from './mail-kinds.js';
import { prepareTextTemplates } from './render.js';
import { ruledLine } from './step-markup.js';
import { registerSharedHelpers } from './template-helpers.js';
import { asLocale, translate } from './i18n/locale.js';

const dir = (): string => join(packageRoot(), 'templates', 'mail');

const hb = Handlebars.create();
registerSharedHelpers(hb);
hb.registerHelper('ruled', ruledLine);

let css: string | undefined;
type InlineCss = (html: string, css: string) => string;
let juiceModule: Promise<InlineCss> | undefined;
const bodies = new Map<MailKind, HandlebarsTemplateDelegate>();

function body(kind: MailKind): HandlebarsTemplateDelegate {
  let t = bodies.get(kind);
  if (!t) {
    if (css === undefined) {
      css = readFileSync(join(dir(), 'body.css'), 'utf8');
      hb.registerPartial('findings', readFileSync(join(dir(), 'findings.partial.hbs'), 'utf8'));
    }
    t = hb.compile(readFileSync(join(dir(), `${kind}.html.hbs`), 'utf8'));
    bodies.set(kind, t);
  }
  return t;
}

/**
 * Compiles the layout and every kind's text and HTML body and loads juice now, when the
 * notify worker starts: done on first use instead, they held the event loop
 * for over 100 ms in the middle of the desk's work.
 */
export async function prepareHtml(): Promise<void> {
  await htmlLayout();
  juiceModule ??= import('juice').then((m) => (html: string, sheet: string) => m.default.inlineContent(html, sheet));
  const inline = await juiceModule;
  const kinds = Object.keys(MAIL_KINDS) as MailKind[];
  prepareTextTemplates(kinds);
  for (const kind of kinds) inline(body(kind)({}), css ?? '');
}

/** The mail's HTML part. `subject` is the rendered subject (it titles the page). */
export async function renderHtml(
  kind: MailKind,
  data: Record<string, unknown>,
  subject: string,
  caseNumber?: string,
): Promise<string> {
  const layout = await htmlLayout();
  // Loaded on first use: CLI commands import the workers but never render mail.
  juiceModule ??= import('juice').then((m) => (html: string, sheet: string) => m.default.inlineContent(html, sheet));
  const inline = await juiceModule;
  const html = inline(body(kind)(data), css ?? '');
  const heading = subject.replace(/^\[Case \d+\]\s*/, '');
  const preview = html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 140);
  const automatic = isAutoReply(kind);
  // Staff mail stays English; a partner's is in its language (the notify worker put its locale in the data).
  const locale = asLocale(automatic ? data.locale : undefined);
  const statusUrl = automatic && typeof data.statusUrl === 'string' ? data.statusUrl : undefined;
  return layout({
    subject,
    preview,
    heading,
    ...(caseNumber ? { caseNumber } : {}),
    automatic,
    body: html,
    lang: locale.language,
    brand: caseNumber ? translate(locale, 'layout.brandCase', { caseNumber }) : translate(locale, 'layout.brand'),
    footer: automatic
      ? caseNumber
        ? translate(locale, 'layout.footerCase', { caseNumber })
        : translate(locale, 'layout.footer')
      : 'Sent by the license desk to its staff.',
    ...(statusUrl && caseNumber
      ? { statusUrl, statusLabel: translate(locale, 'layout.statusButton', { caseNumber }) }
      : {}),
  });
}
