/**
 * What a partner's status link shows (CONTRACT.md "What a partner can see
 * without mailing"): read for a signed token, in the partner's locale. Every
 * request does the same work, whether the token is good or not (the HMAC, the
 * case's two reads), so an altered link, a link for another case, an expired
 * one and an unknown case are told apart neither by the answer nor by its time.
 */
import type { CaseDoc, FeeRecord, MoveRecord } from '../../domain/case-doc.js';
import { FINAL_STATES } from '../../domain/case-states.js';
import type { Finding } from '../../domain/finding.js';
import type { Locale } from '../../mail/i18n/locale.js';
import { readStatusToken } from '../../mail/status-link.js';
import { failing } from '../../workflows/case-workflow.js';
import { partnerTimersDue } from '../../workflows/partner-timers.js';
import { replyFormsFor } from '../../workflows/reply-forms.js';
import type { DeskContext } from '../desk/context.js';
import { openedCaseForms, partnerLocale, prefilledForms, type PlannedAttachments } from '../notify/index.js';

export type WaitsFor =
  | { who: 'partner' }
  | { who: 'rep' }
  | { who: 'desk' }
  | { who: 'reactivation'; machineId: string }
  | { who: 'key'; fk: string; dueAt: string }
  | { who: 'nothing' };

export interface CaseStatus {
  number: string;
  state: CaseDoc['state'] | 'new';
  deadlineAt: string | null;
  findings: Finding[];
  fees: FeeRecord[];
  cardLast4?: string;
  moves: MoveRecord[];
  waitsFor: WaitsFor[];
  /** DSK-10: when the case closes without an answer (waiting for the partner only). */
  closesAt?: string;
  locale: Locale;
  /** The forms still needed, pre-filled; `build()` makes their PDFs. */
  forms: PlannedAttachments;
}

const DAY_MS = 86_400_000;

/** A case's document as the desk holds it, or the opened case's (state `new`), read the same way for every token. */
async function readCase(ctx: DeskContext, number: string) {
  const [stored, opened] = await Promise.all([ctx.cases.get(number), ctx.registry.getCase(number)]);
  return { doc: stored?.doc, opened };
}

function waitsFor(ctx: DeskContext, doc: CaseDoc | undefined): WaitsFor[] {
  if (!doc) return [{ who: 'partner' }];
  switch (doc.state) {
    case 'waiting-partner':
      return [{ who: 'partner' }];
    case 'held':
      return [{ who: 'rep' }];
    case 'received':
      return [{ who: 'desk' }];
    case 'approved': {
      const machineId = ctx.programs.get(doc.program).waitsForReactivation(doc.plan?.extra);
      return machineId ? [{ who: 'reactivation', machineId }] : [{ who: 'desk' }];
    }
    case 'follow-up':
      return (doc.keyFollowUps ?? [])
        .filter((k) => !k.returnedAt && !k.billedAt)
        .map((k) => ({ who: 'key' as const, fk: k.fk, dueAt: k.dueAt }));
    default:
      return [{ who: 'nothing' }];
  }
}

/** The status a token shows, or undefined (404) for any token that is not a live link. */
export async function caseStatus(ctx: DeskContext, token: string): Promise<CaseStatus | undefined> {
  const facts = readStatusToken(ctx.box, token);
  // Read whatever the token: a refused one costs the same reads as a good one.
  const { doc, opened } = await readCase(ctx, facts?.caseNumber ?? '0000000000');
  if (!facts || (!doc && !opened)) return undefined;
  const now = ctx.clock.now().getTime();
  // A link works until the case's retention ends: its end (last change in a final state) plus the retention days.
  if (doc && FINAL_STATES.includes(doc.state) && Date.parse(doc.updatedAt) + ctx.config.retentionDays * DAY_MS <= now)
    return undefined;
  const locale = await partnerLocale(ctx, doc?.partnerId ?? opened?.partnerId);
  const number = facts.caseNumber;
  let forms: PlannedAttachments = { data: {}, build: async () => [] };
  if (doc?.state === 'waiting-partner')
    forms = await prefilledForms(ctx, doc, replyFormsFor(doc, failing(doc.findings)));
  else if (!doc) forms = await openedCaseForms(ctx, number, facts.address);
  const since = doc?.updatedAt ?? opened?.openedAt;
  return {
    number,
    state: doc?.state ?? 'new',
    deadlineAt: doc?.deadlineAt ?? null,
    findings: doc?.findings ?? [],
    fees: doc?.fees ?? [],
    ...(doc?.card?.last4 ? { cardLast4: doc.card.last4 } : {}),
    moves: doc?.moves ?? [],
    waitsFor: waitsFor(ctx, doc),
    ...((!doc || doc.state === 'waiting-partner') && since
      ? { closesAt: partnerTimersDue(since, ctx.config).abandonAt.toISOString() }
      : {}),
    locale,
    forms,
  };
}
