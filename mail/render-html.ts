/**
 * The HTML part of the desk's mail: templates/mail/<kind>.html.hbs renders
 * the kind's body (HTML-escaped: partners' words are data, never markup) and
 * the shared MJML layout wraps it. Both come compiled by the build
 * (mail/build/compile-html.ts), templates/mail/body.css already in their
 * style attributes (mail clients keep style attributes, not style sheets):
 * a mail is two handlebars renders.
 */
import Handlebars from 'handlebars';
import { compiledHtml, markupStyles } from './compiled-html.js';
import { htmlLayout } from './html-layout.js';
import { isAutoReply, MAIL_KINDS, type MailKind } from './mail-kinds.js';
import { prepareTextTemplates } from './render.js';
import { ruledLine } from './step-markup.js';
import { registerSharedHelpers } from './template-helpers.js';
import { asLocale, translate } from './i18n/locale.js';

const hb = Handlebars.create();
let helpersReady = false;
const bodies = new Map<MailKind, HandlebarsTemplateDelegate>();

/** The helpers, with the markup they make (`codes`, `ruled`) in the styles the build computed for it. */
function registerHelpers(): void {
  if (helpersReady) return;
  const styles = markupStyles();
  registerSharedHelpers(hb, { code: styles.code });
  const rule = styles.rule ? ` style="${hb.Utils.escapeExpression(styles.rule)}"` : '';
  hb.registerHelper('ruled', (line: unknown) => ruledLine(line, rule));
  hb.registerPartial('findings', compiledHtml('findings.partial.hbs'));
  helpersReady = true;
}

function body(kind: MailKind): HandlebarsTemplateDelegate {
  let t = bodies.get(kind);
  if (!t) {
    registerHelpers();
    t = hb.compile(compiledHtml(`${kind}.html.hbs`));
    bodies.set(kind, t);
  }
  return t;
}

/**
 * Compiles the layout and every kind's text and HTML body now, when the
 * notify worker starts: done on first use instead, they held the event loop
 * for over 100 ms in the middle of the desk's work.
 */
export async function prepareHtml(): Promise<void> {
  htmlLayout();
  const kinds = Object.keys(MAIL_KINDS) as MailKind[];
  prepareTextTemplates(kinds);
  for (const kind of kinds) body(kind)({});
}

/** The mail's HTML part. `subject` is the rendered subject (it titles the page). */
export async function renderHtml(
  kind: MailKind,
  data: Record<string, unknown>,
  subject: string,
  caseNumber?: string,
): Promise<string> {
  const layout = htmlLayout();
  const html = body(kind)(data);
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
