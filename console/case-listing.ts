/**
 * The console's case list, read through the store's per-state indexes
 * (store/case-listing.ts pages them, never every key at once). Ordering and
 * search need the cases of the states asked for; a rep filtering by state
 * reads only that state's index.
 *
 * Filters by what the case waits for read only the states that can wait
 * for it; owner and program filter those documents.
 *
 * Order: held cases first, then cases at risk of missing their deadline
 * (ALT-8), then by deadline, then newest first.
 */
import type { DeskContext } from '../workers/desk/context.js';
import type { CaseDoc } from '../domain/case-doc.js';
import { FINAL_STATES, type CaseState } from '../domain/case-states.js';
import { allCases } from '../store/case-listing.js';
import { OPEN_FOR_REPS, STATES_OF, waitsFor, type Waits } from './waits-for.js';

export interface CaseListQuery {
  state?: CaseState;
  /** What the case waits for (console/waits-for.ts): only the states that can wait for it are read. */
  waits?: Waits;
  /** A rep's address (their open cases), or `none` (open cases nobody has taken). */
  owner?: string;
  program?: string;
  /** `time-left`: soonest due first (by the program's own deadline or key return), cases with no due time last. */
  sort?: 'time-left';
  /** Case number, partner, end user or system/FK key (any part, any case). */
  search?: string;
  /** 1-based. */
  page: number;
  perPage: number;
}

export interface CaseListPage {
  cases: CaseDoc[];
  total: number;
  page: number;
  pages: number;
}

/** Under this much time left before the deadline a case is at risk. */
export const AT_RISK_MS = 6 * 3600_000;

export function deadlineMsLeft(doc: CaseDoc, now: Date): number | undefined {
  if (!doc.deadlineAt || (FINAL_STATES as readonly string[]).includes(doc.state)) return undefined;
  return Date.parse(doc.deadlineAt) - now.getTime();
}

export const isAtRisk = (doc: CaseDoc, now: Date): boolean => {
  const left = deadlineMsLeft(doc, now);
  return left !== undefined && left < AT_RISK_MS;
};

/** Every identifier a rep may search a case by (never card data). */
function searchText(doc: CaseDoc): string {
  const parts: string[] = [doc.number, doc.partnerId, doc.systemKey, doc.program];
  for (const [formId, form] of Object.entries(doc.forms)) {
    if (formId.startsWith('card-authorization')) continue;
    for (const v of Object.values(form as Record<string, unknown>)) {
      if (typeof v === 'string') parts.push(v);
      else if (Array.isArray(v)) parts.push(...v.filter((x): x is string => typeof x === 'string'));
    }
  }
  for (const m of [...doc.moves, ...(doc.plan?.moves ?? [])]) parts.push(m.licenseKey, m.from, m.to);
  for (const k of doc.keyFollowUps ?? []) parts.push(k.fk);
  return parts.join('\n').toLowerCase();
}

function rank(doc: CaseDoc, now: Date): number {
  if (doc.state === 'held') return 0;
  if (isAtRisk(doc, now)) return 1;
  return 2;
}

/** The states a query reads: its state, within what it waits for; undefined: every state. */
function statesOf(q: CaseListQuery): readonly CaseState[] | undefined {
  // An owner's cases are the ones still to work on (a done case's owner no longer holds anything).
  const waiting = q.waits ? STATES_OF[q.waits] : q.owner ? OPEN_FOR_REPS : undefined;
  if (q.state) return !waiting || waiting.includes(q.state) ? [q.state] : [];
  return waiting;
}

async function casesIn(ctx: DeskContext, states: readonly CaseState[] | undefined): Promise<CaseDoc[]> {
  if (!states) return allCases(ctx.cases);
  const out: CaseDoc[] = [];
  for (const s of states) out.push(...(await allCases(ctx.cases, s)));
  return out;
}

export async function listCases(ctx: DeskContext, q: CaseListQuery): Promise<CaseListPage> {
  const now = ctx.clock.now();
  let docs = await casesIn(ctx, statesOf(q));
  const needle = q.search?.trim().toLowerCase();
  if (needle) docs = docs.filter((d) => searchText(d).includes(needle));
  if (q.program) docs = docs.filter((d) => d.program === q.program);
  if (q.owner) docs = docs.filter((d) => (q.owner === 'none' ? !d.owner : d.owner?.email === q.owner));
  if (q.waits) docs = docs.filter((d) => waitsFor(ctx.programs.get(d.program), d).waits === q.waits);
  if (q.sort === 'time-left') {
    const left = (d: CaseDoc) => {
      const at = waitsFor(ctx.programs.get(d.program), d).dueAt;
      return at ? Date.parse(at) : Number.POSITIVE_INFINITY;
    };
    docs.sort((a, b) => left(a) - left(b) || b.receivedAt.localeCompare(a.receivedAt));
  } else {
    // A decided case's old deadline no longer orders anything.
    const due = (d: CaseDoc) => (deadlineMsLeft(d, now) === undefined ? '9999' : d.deadlineAt!);
    docs.sort(
      (a, b) => rank(a, now) - rank(b, now) || due(a).localeCompare(due(b)) || b.receivedAt.localeCompare(a.receivedAt),
    );
  }
  const pages = Math.max(1, Math.ceil(docs.length / q.perPage));
  const page = Math.min(Math.max(1, q.page), pages);
  return { cases: docs.slice((page - 1) * q.perPage, page * q.perPage), total: docs.length, page, pages };
}
