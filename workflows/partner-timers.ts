/**
 * DSK-10, in pure code: a case waiting for the partner is reminded after
 * LICENSEDESK_REMINDER_DAYS and closed after LICENSEDESK_ABANDON_DAYS without
 * a new mail from it; a case opened and never used is closed the same way.
 * A timer belongs to one *round*: the number of partner mails the case had
 * when it was set. A mail from the partner starts a new round, so a timer of
 * an older round does nothing even if it fires (and intake removes it).
 */
import { newCaseDoc, type CaseDoc } from '../domain/case-doc.js';
import type { Effect } from '../domain/effects.js';
import type { RegistryCase } from '../domain/registry-model.js';
import { failing, type Step } from './case-workflow.js';
import { replyFormsFor } from './reply-forms.js';

/** The round of a case's partner timers: how many mails it has had (0: opened, none yet). */
export const partnerRound = (doc: CaseDoc | undefined): number => (doc ? (doc.messageCount ?? doc.messages.length) : 0);

const DAY_MS = 86_400_000;

/** When a round's reminder and closing are due: counted from the case's last change (its opening, for a case never used). */
export function partnerTimersDue(
  since: string,
  days: { reminderDays: number; abandonDays: number },
): { reminderAt: Date; abandonAt: Date } {
  const t = Date.parse(since);
  return { reminderAt: new Date(t + days.reminderDays * DAY_MS), abandonAt: new Date(t + days.abandonDays * DAY_MS) };
}

/** The reminder of `round`, or why it does nothing (the partner wrote, the case moved on). */
export function reminderStep(
  doc: CaseDoc | undefined,
  round: number,
  closesAt: string,
): { skip: string } | { effects: Effect[]; action: string; reason: string } {
  if (!doc || doc.state !== 'waiting-partner') return { skip: `not due (case is ${doc?.state ?? 'new'})` };
  if (partnerRound(doc) !== round) return { skip: 'not due (the partner wrote since)' };
  const fails = failing(doc.findings);
  return {
    effects: [
      {
        type: 'mail',
        kind: 'reminder',
        to: 'partner',
        step: `round-${round}`,
        data: { failing: fails, replyForms: replyFormsFor(doc, fails), closesAt },
      },
    ],
    action: 'partner-reminded',
    reason: `DSK-10: waiting for the partner since ${doc.updatedAt}`,
  };
}

/**
 * The closing of `round`: a waiting case, or an opened case that never got a
 * mail (no document yet: one is made, closed), goes to `closed`; its timers go,
 * its card details with it, and the partner is told how to start again.
 */
export function abandonStep(
  doc: CaseDoc | undefined,
  opened: RegistryCase | undefined,
  round: number,
  opener: string | undefined,
  days: number,
  now: Date,
): { skip: string } | Step {
  if (partnerRound(doc) !== round) return { skip: 'not due (the partner wrote since)' };
  if (doc && doc.state !== 'waiting-partner') return { skip: `not due (case is ${doc.state})` };
  if (!doc && !opened) return { skip: 'no such case' };
  const base =
    doc ??
    ({
      ...newCaseDoc({ ...opened!, at: now }),
      ...(opener ? { replyTo: opener } : {}),
    } satisfies CaseDoc);
  const next: CaseDoc = structuredClone(base);
  next.state = 'closed';
  next.updatedAt = now.toISOString();
  next.decision = { outcome: 'incomplete', at: now.toISOString(), by: 'timers', note: 'DSK-10: no answer' };
  // Nothing will be charged on a closed case: its card reference goes now, not with the retention.
  delete next.card;
  return {
    doc: next,
    action: 'case-abandoned',
    reason: `DSK-10: no mail from the partner for ${days} day(s)`,
    effects: [
      { type: 'cancel-deadlines' },
      { type: 'cancel-partner-timers' },
      { type: 'mail', kind: 'case-closed', to: 'partner', step: `round-${round}`, data: { abandonDays: days } },
    ],
  };
}
