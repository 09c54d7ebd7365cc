/**
 * HTML of the partner's pages (`/open`, `/status/…`): handlebars templates
 * under templates/partner/ (escaped by default), in the partner's language,
 * no script, one column that reads on a phone. Not the reps' console layout:
 * a partner sees no console navigation.
 */
import Handlebars from 'handlebars';
import { templateFolder } from './template-folder.js';
import { registerSharedHelpers } from '../mail/template-helpers.js';
import { translate, type Locale } from '../mail/i18n/locale.js';
import type { MessageKey } from '../mail/i18n/catalogues.js';
import type { CaseStatus } from '../workers/actions/case-status.js';

const hb = Handlebars.create();
registerSharedHelpers(hb);

const folder = templateFolder(hb, 'partner', 'partner.css');
const template = (name: string) => folder.template(name);
export const partnerCss = (): string => folder.css();

function page(name: string, locale: Locale, title: string, data: object, refresh?: number): string {
  const body = template(name)({ ...data, locale });
  return template('layout')({ locale, title, body, refresh });
}

export function renderOpenPage(locale: Locale, d: { csrf: string; done?: boolean; limited?: boolean }): string {
  return page('open', locale, translate(locale, 'open.title'), d);
}

/** The status page; `formHref` gives the download link of one still-needed form. */
export function renderStatusPage(s: CaseStatus, now: Date, formHref: (fileName: string) => string): string {
  const { locale } = s;
  const forms = (s.forms.data.replyForms as Array<{ fileName: string; title: string }> | undefined) ?? [];
  const msLeft = s.deadlineAt ? Date.parse(s.deadlineAt) - now.getTime() : undefined;
  const left =
    msLeft !== undefined && msLeft > 0
      ? { hours: Math.floor(msLeft / 3600_000), minutes: Math.floor((msLeft % 3600_000) / 60_000) }
      : undefined;
  return page(
    'status',
    locale,
    translate(locale, 'status.title', { caseNumber: s.number }),
    {
      ...s,
      stateWords: translate(locale, `state.${s.state}` as MessageKey),
      open: s.findings
        .filter((f) => f.outcome === 'fail' || f.outcome === 'hold')
        .map((f) => ({ ...f, outcomeWords: translate(locale, `outcome.${f.outcome}` as MessageKey) })),
      forms: forms.map((f) => ({ ...f, href: formHref(f.fileName) })),
      left,
      passed: msLeft !== undefined && msLeft <= 0,
      now: now.toISOString(),
    },
    // The countdown moves without a script: the page reloads itself each minute while a deadline runs.
    left ? 60 : undefined,
  );
}
