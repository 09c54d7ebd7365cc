/** HTML of the reps' console, from handlebars templates (escaped by default) in one layout. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerSharedHelpers } from '../mail/template-helpers.js';
import Handlebars from 'handlebars';
import { packageRoot } from '../lib/paths.js';
import type { StoredMessage } from '../store/message-store.js';
import type { ConsoleUser } from '../store/user-store.js';
import type { CaseDoc } from '../domain/case-doc.js';
import { CASE_STATES } from '../domain/case-states.js';
import type { CaseView } from './case-view.js';

const STATE_WORDS: Record<string, string> = {
  received: 'received: the desk is reading it',
  'waiting-partner': 'waiting for the partner: forms or fields are missing',
  held: 'held: waiting for a rep to decide',
  approved: 'approved: the move is under way',
  transferred: 'transferred: the licenses moved',
  'follow-up': 'follow-up: waiting for a physical key to come back',
  billed: 'billed: an unreturned key was billed',
  closed: 'closed: nothing more to do',
  rejected: 'rejected: nothing moved',
};

const hb = Handlebars.create();
registerSharedHelpers(hb);
hb.registerHelper('stateWords', (s: string) => STATE_WORDS[s] ?? s);
hb.registerHelper('json', (v: unknown) => JSON.stringify(v));

const cache = new Map<string, HandlebarsTemplateDelegate>();
const dir = () => join(packageRoot(), 'templates', 'console');
function template(name: string): HandlebarsTemplateDelegate {
  let t = cache.get(name);
  if (!t) {
    t = hb.compile(readFileSync(join(dir(), `${name}.hbs`), 'utf8'), { strict: false });
    cache.set(name, t);
  }
  return t;
}

let css: string | undefined;
export function consoleCss(): string {
  css ??= readFileSync(join(dir(), 'console.css'), 'utf8');
  return css;
}

export interface PageFrame {
  account: ConsoleUser | null;
  /** CSRF token for the page's forms (sign-out included). */
  csrf: string;
}

function page(name: string, title: string, frame: PageFrame, data: object): string {
  const body = template(name)({ ...frame, ...data });
  return template('layout')({ ...frame, title, body });
}

export function renderLoginPage(d: { csrf: string; next: string; error?: string; email?: string }): string {
  return page('login', 'Sign in', { account: null, csrf: d.csrf }, d);
}

export interface CasesPageData {
  rows: Array<{ doc: CaseDoc; deadline?: CaseView['deadline'] }>;
  total: number;
  /** Held cases at the desk, whatever the filter (the state index's count). */
  heldCount: number;
  page: number;
  pages: number;
  search?: string;
  state?: string;
  prev?: string;
  next?: string;
}

export function renderCasesPage(frame: PageFrame, d: CasesPageData): string {
  return page('cases', 'Cases', frame, { ...d, states: CASE_STATES });
}

export function renderCasePage(frame: PageFrame, v: CaseView): string {
  return page('case', `Case ${v.doc.number}`, frame, v);
}

/** The keying page of a case's forms on paper (DSK-9, console/paper-routes.ts). */
export function renderPaperPage(
  frame: PageFrame,
  d: { doc: CaseDoc; forms: object[]; held: boolean; failed: boolean },
): string {
  return page('paper', `Case ${d.doc.number}: forms on paper`, frame, d);
}

export function renderQuarantinePage(frame: PageFrame, messages: StoredMessage[]): string {
  return page('quarantine', 'Quarantine', frame, { messages });
}

export function renderWebhooksPage(frame: PageFrame, endpoints: object[]): string {
  return page('webhooks', 'Webhooks', frame, { endpoints });
}

export function renderNotice(frame: PageFrame, d: { heading: string; message: string; back: string }): string {
  return page('notice', d.heading, frame, d);
}
