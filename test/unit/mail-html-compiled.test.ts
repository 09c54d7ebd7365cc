/**
 * The HTML mail compiled when the project builds (mail/build/compile-html.ts):
 * for every kind, the two handlebars renders the desk now does give the very
 * mail that MJML and juice made at run time (the layout compiled by MJML, the
 * rendered body inlined by juice), and a process that renders mail loads
 * neither MJML nor juice nor cheerio.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import juice from 'juice';
import { describe, expect, it } from 'vitest';
import { compileLayout } from '../../mail/build/compile-html.js';
import { MAIL_KINDS, type MailKind } from '../../mail/mail-kinds.js';
import { renderHtml } from '../../mail/render-html.js';
import { renderMail } from '../../mail/render.js';
import { ruledLine } from '../../mail/step-markup.js';
import { registerSharedHelpers } from '../../mail/template-helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const src = (name: string): string => readFileSync(join(root, 'templates', 'mail', name), 'utf8');

const data = {
  caseNumber: '100002',
  program: 'altigen',
  locale: { language: 'de', timeZone: 'Europe/Berlin' },
  statusUrl: 'https://desk.example/status/100002/abc',
  openUrl: 'https://desk.example/open?a=1&b=2',
  from: 'SYS-0001',
  to: 'SYS-0003',
  moves: [{ key: 'LK-1', sku: 'ALTI-STATION-10', from: 'SYS-0001', to: 'SYS-0003' }],
  fees: [{ rule: 'ALT-4', amount: '300.00', currency: 'USD' }],
  disabled: [],
  keyFollowUps: [],
  lines: ['(ALT-9) The old key is disabled <b>now</b>', 'Plain line & more'],
  failing: [
    { rule: 'ALT-6', outcome: 'fail', message: 'We have not received <script>x</script> the form', fix: 'Send it' },
  ],
  holding: [],
  replyForms: [{ fileName: 'transfer.pdf', title: 'License Transfer', failedFields: ['to_system'], cardFields: [] }],
  unreadable: [{ file: 'scan.pdf', message: 'could not be read', code: 'E_PDF_CORRUPT' }],
  discarded: ['cvv'],
  originalSubject: 'Case 100002 <b>now</b>',
  attachments: [],
  conversions: [],
  accountTransfers: [],
  deadline: '2026-12-07T09:30:00.000Z',
};

/** The body as the desk made it before: rendered from the template as written, then inlined by juice. */
function runtimeInlined(kind: MailKind): string {
  const hb = Handlebars.create();
  registerSharedHelpers(hb);
  hb.registerHelper('ruled', (line: unknown) => ruledLine(line));
  hb.registerPartial('findings', src('findings.partial.hbs'));
  return juice.inlineContent(hb.compile(src(`${kind}.html.hbs`))(data), src('body.css'));
}

describe('HTML mail compiled at build', () => {
  it.each(Object.keys(MAIL_KINDS) as MailKind[])(
    '%s: two handlebars renders give the body juice gave at run time, in the MJML layout',
    async (kind) => {
      const { subject } = renderMail(kind, data, '100002');
      const html = await renderHtml(kind, data, subject, '100002');
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).not.toMatch(/<style\b/i);
      expect(html).toContain(runtimeInlined(kind));
    },
  );

  it('the build only adds style attributes to each template: its markup stays as written, in every branch', () => {
    const dir = join(root, 'templates', 'mail');
    const names = readdirSync(dir).filter((f) => f.endsWith('.html.hbs') || f.endsWith('.partial.hbs'));
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      const built = readFileSync(join(root, 'dist', 'mail-html', name), 'utf8');
      expect(built.replace(/ style="[^"]*"/g, ''), name).toBe(src(name));
    }
  });

  it('the layout the desk uses is the one MJML makes of templates/mail/layout.mjml, without style sheets', async () => {
    const built = readFileSync(join(root, 'dist', 'mail-html', 'layout.hbs'), 'utf8');
    expect(built).toBe(await compileLayout(src('layout.mjml')));
    expect(built).toContain('{{{body}}}');
  });

  it('a process that renders mail loads neither MJML, juice nor cheerio', () => {
    const script = `
      import { renderHtml } from ${JSON.stringify(join(root, 'dist', 'mail', 'render-html.js'))};
      import { createRequire } from 'node:module';
      const html = await renderHtml('incomplete', { caseNumber: '1', failing: [] }, 'Subject', '1');
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({ ok: html.startsWith('<!doctype'), heavy: cache.filter((k) => /node_modules\\/(mjml[^/]*|juice|cheerio)\\//.test(k)).length }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ ok: true, heavy: 0 });
  });
});
