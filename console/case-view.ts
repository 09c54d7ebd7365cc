/**
 * Everything the case page shows, gathered and put into words: findings by
 * outcome, the forms field by field (card masked, security codes never
 * kept), readers' disagreements, moves, fees, charges, audit trail, mails
 * sent with their text, deadline and timers, and the actions a rep may take.
 */
import type { DeskContext } from '../workers/desk/context.js';
import type { CaseDoc } from '../domain/case-doc.js';
import type { OutboxRecord } from '../store/outbox.js';
import type { AuditEntry } from '../store/audit-log.js';
import { jobIds, QUEUES } from '../workers/desk/queues.js';
import { deadlineMsLeft, isAtRisk } from './case-listing.js';
import type { RepQuestion } from '../domain/program.js';
import { repQuestions } from './rep-questions.js';

export interface FieldRow {
  name: string;
  value: string;
}
export interface FormView {
  formId: string;
  fields: FieldRow[];
}
export interface TimerView {
  name: string;
  id: string;
  dueAt: string;
  state: string;
}

export interface CaseView {
  doc: CaseDoc;
  deadline?: { text: string; atRisk: boolean; overdue: boolean };
  fails: CaseDoc['findings'];
  holds: CaseDoc['findings'];
  passes: CaseDoc['findings'];
  notes: CaseDoc['findings'];
  forms: FormView[];
  audit: AuditEntry[];
  mails: OutboxRecord[];
  timers: TimerView[];
  held: boolean;
  questions: RepQuestion[];
  keysAwaited: string[];
  reactivationOf?: string;
}

/** "5 h 12 min left" / "overdue by 2 h 3 min" */
export function countdown(ms: number): string {
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3600_000);
  const m = Math.floor((abs % 3600_000) / 60_000);
  const span = h > 0 ? `${h} h ${m} min` : `${m} min`;
  return ms >= 0 ? `${span} left` : `overdue by ${span}`;
}

export function deadlineView(doc: CaseDoc, now: Date): CaseView['deadline'] {
  const left = deadlineMsLeft(doc, now);
  if (left === undefined) return undefined;
  return { text: countdown(left), atRisk: isAtRisk(doc, now), overdue: left < 0 };
}

const HIDDEN_FIELDS = new Set(['formId', 'cardToken']);

function words(name: string, v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (name === 'cardLast4') return `•••• •••• •••• ${String(v)}`;
  if (name === 'maxAmountMinor' && typeof v === 'number') return (v / 100).toFixed(2);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${String(x)}`)
      .join(', ');
  return String(v);
}

/** Field by field, as read; the card's number only as its last four digits. */
export function formViews(doc: CaseDoc): FormView[] {
  return Object.entries(doc.forms).map(([formId, form]) => ({
    formId,
    fields: Object.entries(form as Record<string, unknown>)
      .filter(([k]) => !HIDDEN_FIELDS.has(k))
      .map(([k, v]) => ({ name: k, value: words(k, v) ?? '—' })),
  }));
}

async function caseMails(ctx: DeskContext, n: string): Promise<OutboxRecord[]> {
  // Outbox ids of a case's mail start with `case.N.` (mailIds.forCase); others are read only by that prefix test.
  const ids = (await ctx.redis.zrange(ctx.keys.outboxAll(), '0', '-1')).filter((id) => id.startsWith(`case.${n}.`));
  const out: OutboxRecord[] = [];
  for (const id of ids) {
    const r = await ctx.outbox.get(id);
    if (r) out.push(r);
  }
  return out;
}

async function caseTimers(ctx: DeskContext, doc: CaseDoc): Promise<TimerView[]> {
  const program = ctx.programs.get(doc.program);
  const q = ctx.queues[QUEUES.followup];
  const wanted: Array<[string, string]> = [
    ['deadline warning (reps)', jobIds.deadlineWarning(doc.number, doc.cycle)],
    [
      program.deadline.rule ? `deadline (${program.deadline.rule})` : 'deadline',
      jobIds.deadline(doc.number, doc.cycle),
    ],
    ...(doc.keyFollowUps ?? []).map((k): [string, string] => [
      program.keyReturns ? `return of key ${k.fk} (${program.keyReturns.rule})` : `return of key ${k.fk}`,
      jobIds.keyFollowup(doc.number, k.fk),
    ]),
  ];
  const out: TimerView[] = [];
  for (const [name, id] of wanted) {
    const job = await q.getJob(id);
    if (!job) continue;
    out.push({
      name,
      id,
      dueAt: new Date(job.timestamp + (job.opts.delay ?? 0)).toISOString(),
      state: await job.getState(),
    });
  }
  return out;
}

export async function caseView(ctx: DeskContext, doc: CaseDoc): Promise<CaseView> {
  const now = ctx.clock.now();
  const audit: AuditEntry[] = [];
  for await (const e of ctx.audit.read(doc.number)) audit.push(e);
  const held = doc.state === 'held';
  // AUD-2 and the like: the program says which machine's reactivation an approved move waits for.
  const machine =
    doc.state === 'approved' ? ctx.programs.get(doc.program).waitsForReactivation(doc.plan?.extra) : undefined;
  return {
    doc,
    deadline: deadlineView(doc, now),
    fails: doc.findings.filter((f) => f.outcome === 'fail'),
    holds: doc.findings.filter((f) => f.outcome === 'hold'),
    passes: doc.findings.filter((f) => f.outcome === 'pass'),
    notes: doc.findings.filter((f) => f.outcome === 'info'),
    forms: formViews(doc),
    audit,
    mails: await caseMails(ctx, doc.number),
    timers: await caseTimers(ctx, doc),
    held,
    questions: held ? await repQuestions(ctx, doc) : [],
    keysAwaited: (doc.keyFollowUps ?? []).filter((k) => !k.returnedAt).map((k) => k.fk),
    reactivationOf: machine,
  };
}
