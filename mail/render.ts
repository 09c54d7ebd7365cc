/**
 * Mail text from handlebars templates under templates/mail/<kind>.hbs. A
 * template's first line is `Subject: …`; the rest is the plain-text body.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import Handlebars from 'handlebars';
import { packageRoot } from '../lib/paths.js';
import type { MailKind } from './mail-kinds.js';
import { registerSharedHelpers } from './template-helpers.js';
import { asLocale, translate } from './i18n/locale.js';

const hb = Handlebars.create();
registerSharedHelpers(hb);

type Compiled = { subject: HandlebarsTemplateDelegate; body: HandlebarsTemplateDelegate };
const cache = new Map<MailKind, Compiled>();

function compiled(kind: MailKind): Compiled {
  let c = cache.get(kind);
  if (!c) {
    const text = readFileSync(join(packageRoot(), 'templates', 'mail', `${kind}.hbs`), 'utf8');
    const nl = text.indexOf('\n');
    const first = text.slice(0, nl);
    if (!first.startsWith('Subject:')) throw new Error(`templates/mail/${kind}.hbs must start with "Subject:"`);
    // Plain-text mail: no HTML escaping.
    c = {
      subject: hb.compile(first.slice('Subject:'.length).trim(), { noEscape: true }),
      body: hb.compile(text.slice(nl + 1).replace(/^\n/, ''), { noEscape: true }),
    };
    cache.set(kind, c);
  }
  return c;
}

/** Compiles every kind's text template now (the notify worker starts): not in the middle of the desk's work. */
export function prepareTextTemplates(kinds: readonly MailKind[]): void {
  for (const kind of kinds) compiled(kind);
}

/**
 * Compiles and renders once every kind's text template, one kind per turn of
 * the event loop, when the notify worker starts: handlebars compiles on a
 * template's first render, and all kinds at once held the loop for over
 * 100 ms.
 */
export async function warmTextTemplates(kinds: readonly MailKind[]): Promise<void> {
  for (const kind of kinds) {
    const c = compiled(kind);
    c.subject({});
    c.body({});
    await nextTurn();
  }
}

export function renderMail(
  kind: MailKind,
  data: Record<string, unknown>,
  caseNumber?: string,
): { subject: string; text: string } {
  const c = compiled(kind);
  let subject = c.subject(data).replace(/\s+/g, ' ').trim();
  if (caseNumber && !subject.includes(`[Case ${caseNumber}]`)) subject = `[Case ${caseNumber}] ${subject}`;
  let text = c.body(data).replace(/\n{3,}/g, '\n\n');
  if (typeof data.statusUrl === 'string' && caseNumber) text = withStatusLine(text, data.statusUrl, data.locale);
  return { subject, text };
}

/** The status link's line, just above the signature (or at the end of a mail without one). */
function withStatusLine(text: string, url: string, locale: unknown): string {
  const line = translate(asLocale(locale), 'mail.statusLine', { url });
  const sig = text.lastIndexOf('\n-- \n');
  return sig < 0 ? `${text.trimEnd()}\n\n${line}\n` : `${text.slice(0, sig).trimEnd()}\n\n${line}\n${text.slice(sig)}`;
}
