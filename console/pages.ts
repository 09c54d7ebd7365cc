/** HTML of the reps' console, from handlebars templates (escaped by default) in one layout. */
import { registerSharedHelpers } from '../mail/template-helpers.js';
import Handlebars from 'handlebars';
import { templateFolder } from './template-folder.js';
import type { StoredMessage } from '../store/message-store.js';
import type { ConsoleUser } from '../store/user-store.js';
import type { CaseDoc } from '../domain/case-doc.js';
import { CASE_STATES } from '../domain/case-states.js';
import type { CaseView } from './case-view.js';
import { localiseText, relative, timeIn } from './rep-words.js';
import type { ReceivedMail } from './received-mail.js';

const STATE_WORDS: Record<string, string> = {
  received: 'received: the desk is reading it',
  'waiting-partner': 'waiting for the partner: forms or fields are missing',
  held: 'held: waiting for a rep to decide',
  approved: 'approved: decided to move',
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
type Root = { data?: { root?: { zone?: string; now?: string } } };
const rootOf = (args: unknown[]) => (args[args.length - 1] as Root).data?.root ?? {};
// Times in the signed-in rep's zone (the page frame carries it), never as ISO text.
hb.registerHelper('when', (...args: unknown[]) =>
  typeof args[0] === 'string' ? timeIn(args[0], rootOf(args).zone ?? 'UTC') : '',
);
/** `{{ago at}}`: "in 5 h 12 min", "2 days ago", against the page's own clock. */
hb.registerHelper('ago', (...args: unknown[]) => {
  const now = rootOf(args).now;
  return typeof args[0] === 'string' && now ? relative(args[0], new Date(now)) : '';
});
/** Free text (a finding, an audit reason) with any ISO instant in it put in the rep's zone. */
hb.registerHelper('local', (...args: unknown[]) =>
  typeof args[0] === 'string' ? localiseText(args[0], rootOf(args).zone ?? 'UTC') : '',
);

// Every action form of a case page: its CSRF token, the version and last audit entry it was drawn from,
// and, on a case another rep has taken, the box that says "act anyway".
hb.registerPartial(
  'drawn',
  `<input type="hidden" name="_csrf" value="{{@root.csrf}}"><input type="hidden" name="version" value="{{@root.version}}"><input type="hidden" name="seen" value="{{@root.seen}}">{{#if @root.otherOwner}}{{#unless noOverride}}<p class="warn"><label><input type="checkbox" name="override" value="1" required> act anyway: {{@root.otherOwner}} has this case</label></p>{{/unless}}{{/if}}`,
);

const folder = templateFolder(hb, 'console', 'console.css');
const template = (name: string) => folder.template(name);
export const consoleCss = (): string => folder.css();

export interface PageFrame {
  account: ConsoleUser | null;
  /** CSRF token for the page's forms (sign-out included). */
  csrf: string;
  /** The zone the page's times are shown in (the account's, the browser's, or UTC). */
  zone: string;
  /** The desk's clock when the page was drawn (ISO), for "in 5 h" words. */
  now: string;
}

/** One page of the console: templates/console/<name>.hbs in the layout. */
export function page(name: string, title: string, frame: PageFrame, data: object): string {
  const body = template(name)({ ...frame, ...data });
  return template('layout')({ ...frame, title, body });
}

export function renderLoginPage(d: { csrf: string; next: string; error?: string; email?: string }): string {
  return page('login', 'Sign in', { account: null, csrf: d.csrf, zone: 'UTC', now: '' }, d);
}

export interface CasesPageData {
  rows: Array<{ doc: CaseDoc; waits: string; deadline?: CaseView['deadline'] }>;
  total: number;
  /** Held cases at the desk, whatever the filter (the state index's count). */
  heldCount: number;
  page: number;
  pages: number;
  search?: string;
  state?: string;
  /** The list's filters, each a link that turns it on or off, with its count. */
  filters: Array<{ id: string; words: string; count: number; href: string; on: boolean }>;
  programs: Array<{ id: string; title: string; on: boolean }>;
  waits?: string;
  owner?: string;
  sort?: string;
  prev?: string;
  next?: string;
}

export function renderCasesPage(frame: PageFrame, d: CasesPageData): string {
  return page('cases', 'Cases', frame, { ...d, states: CASE_STATES });
}

export function renderCasePage(frame: PageFrame, v: CaseView): string {
  return page('case', `Case ${v.doc.number}`, frame, v);
}

export function renderChangedPage(
  frame: PageFrame,
  d: { number: string; message: string; since: Array<{ at: string; actor: string; action: string; reason?: string }> },
): string {
  return page('changed', `Case ${d.number} changed`, frame, d);
}

export function renderReceivedPage(
  frame: PageFrame,
  d: { mail: ReceivedMail; back: string; backWords: string; fileBase: string },
): string {
  return page('received', d.mail.subject || 'Mail', frame, d);
}

/** The keying page of a case's forms on paper (DSK-9, console/paper-routes.ts). */
export function renderPaperPage(
  frame: PageFrame,
  d: { doc: CaseDoc; forms: object[]; held: boolean; failed: boolean },
): string {
  return page('paper', `Case ${d.doc.number}: forms on paper`, frame, d);
}

export function renderQuarantinePage(frame: PageFrame, messages: Array<StoredMessage & { text?: string }>): string {
  return page('quarantine', 'Quarantine', frame, { messages });
}

export function renderAccountPage(
  frame: PageFrame,
  d: { zones: readonly string[]; chosen: string; shown: string; saved: boolean },
): string {
  return page('account', 'Your account', frame, d);
}

export function renderWebhooksPage(frame: PageFrame, endpoints: object[]): string {
  return page('webhooks', 'Webhooks', frame, { endpoints });
}

export function renderNotice(frame: PageFrame, d: { heading: string; message: string; back: string }): string {
  return page('notice', d.heading, frame, d);
}
