/**
 * Everything the case page shows, gathered and put into words: findings by
 * outcome, the forms field by field (card masked, security codes never
 * kept), readers' disagreements, moves, fees, charges, audit trail, mails
 * sent with their text, deadline and timers, and the actions a rep may take.
 */
import type { DeskContext } from '../workers/desk/context.js';
import type { CaseDoc } from '../domain/case-doc.js';
import type { OutboxRecord } from '../store/outbox.js';
import type { AuditEntry, StoredAuditEntry } from '../store/audit-log.js';
import type { StoredCase } from '../store/case-store.js';
import { jobIds, QUEUES } from '../workers/desk/queues.js';
import { AT_RISK_MS } from './case-listing.js';
import type { ProgramDefinition } from '../domain/program.js';

type Program = ProgramDefinition<unknown>;
import { fieldLabel, formRows, formTitle, span, type FieldRow } from './rep-words.js';
import { waitsFor, type WaitView } from './waits-for.js';
import type { RepQuestion } from '../domain/program.js';
import { repQuestions } from './rep-questions.js';
import { INLINE_TEXTS, mailText } from './received-mail.js';

export interface FormView {
  formId: string;
  /** The form's printed title. */
  title: string;
  fields: FieldRow[];
}
export interface TimerView {
  name: string;
  id: string;
  dueAt: string;
  state: string;
}

export interface DeadlineView {
  /** "Deadline (ALT-8)", "Deadline (DSK-7)", "Key due back (SWP-6)": the program's own rule. */
  label: string;
  at: string;
  text: string;
  atRisk: boolean;
  overdue: boolean;
}

/** What a rep's action did, as the page after it says. */
export const DONE = [
  'approved',
  'rejected',
  'key-returned',
  'reactivated',
  'taken',
  'released',
  'noted',
  'messaged',
  'asked',
] as const;
export type Done = (typeof DONE)[number];

const DONE_WORDS: Record<Done, string> = {
  approved: 'Approved.',
  rejected: 'Rejected; the partner is mailed your reason.',
  'key-returned': "The key's return is recorded.",
  reactivated: 'The reactivation is recorded.',
  taken: 'You have this case now.',
  released: 'The case is released: it has no owner.',
  noted: 'Your note is on the case (reps only, never mailed).',
  messaged: 'Your message is on its way to the partner.',
  asked: 'Your message is on its way to the partner; the case waits for their answer.',
};

export interface CaseView {
  doc: CaseDoc;
  /** The case's version this page was drawn from (the action forms send it back). */
  version: number;
  /** The last audit entry shown (the action forms send it back, so a refusal shows what came after). */
  seen: string;
  /** After an action: what it did, and what the case waits for now. */
  done?: string;
  /** The rep who has taken the case, when it is not the signed-in rep. */
  otherOwner?: string;
  mine: boolean;
  /** Reps' internal notes, oldest first. */
  repNotes: AuditEntry[];
  /** The case's forms a rep may attach to a message, pre-filled. */
  attachable: Array<{ formId: string; title: string }>;
  /** Where a rep's message goes. */
  contact?: string;
  /** Received mail, each with its text (the newest INLINE_TEXTS; older ones open on their own page). */
  received: Array<CaseDoc['messages'][number] & { index: number; text?: string }>;
  waits: WaitView;
  deadline?: DeadlineView;
  fails: CaseDoc['findings'];
  holds: CaseDoc['findings'];
  passes: CaseDoc['findings'];
  notes: CaseDoc['findings'];
  forms: FormView[];
  /** Field problems, each by its printed label. */
  problems: Array<{ form: string; label: string; message: string }>;
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
  return ms >= 0 ? `${span(ms)} left` : `overdue by ${span(ms)}`;
}

/** What the case is due for next and when, by the program's own rule (never another program's). */
export function deadlineView(program: Program, doc: CaseDoc, now: Date): DeadlineView | undefined {
  const w = waitsFor(program, doc);
  if (!w.dueAt || !w.dueLabel) return undefined;
  const left = Date.parse(w.dueAt) - now.getTime();
  return { label: w.dueLabel, at: w.dueAt, text: countdown(left), atRisk: left < AT_RISK_MS, overdue: left < 0 };
}

/** Field by field, as read, labelled as the printed form labels them; the card only as its last four digits. */
export function formViews(doc: CaseDoc): FormView[] {
  return Object.entries(doc.forms).map(([formId, form]) => ({
    formId,
    title: formTitle(formId),
    fields: formRows(formId, form as Record<string, unknown>),
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

export async function caseView(ctx: DeskContext, stored: StoredCase, rep: string, done?: Done): Promise<CaseView> {
  const { doc } = stored;
  const now = ctx.clock.now();
  const audit: StoredAuditEntry[] = [];
  for await (const e of ctx.audit.read(doc.number)) audit.push(e);
  const held = doc.state === 'held';
  const program = ctx.programs.get(doc.program);
  // AUD-2 and the like: the program says which machine's reactivation an approved move waits for.
  const machine = doc.state === 'approved' ? program.waitsForReactivation(doc.plan?.extra) : undefined;
  return {
    doc,
    version: stored.version,
    seen: audit.at(-1)?.id ?? '',
    ...(done ? { done: DONE_WORDS[done] } : {}),
    ...(doc.owner && doc.owner.email !== rep ? { otherOwner: doc.owner.email } : {}),
    mine: doc.owner?.email === rep,
    repNotes: audit.filter((a) => a.action === 'rep-note'),
    attachable: program.forms.map((formId) => ({ formId, title: formTitle(formId) })),
    ...(doc.replyTo ? { contact: doc.replyTo } : {}),
    received: await Promise.all(
      doc.messages.map(async (m, index) => ({
        ...m,
        index,
        ...(index >= doc.messages.length - INLINE_TEXTS ? { text: await mailText(ctx, m.id) } : {}),
      })),
    ),
    waits: waitsFor(program, doc),
    deadline: deadlineView(program, doc, now),
    fails: doc.findings.filter((f) => f.outcome === 'fail'),
    holds: doc.findings.filter((f) => f.outcome === 'hold'),
    passes: doc.findings.filter((f) => f.outcome === 'pass'),
    notes: doc.findings.filter((f) => f.outcome === 'info'),
    forms: formViews(doc),
    problems: doc.formProblems.map((p) => ({
      form: formTitle(p.formId),
      label: fieldLabel(p.formId, p.field),
      message: p.message,
    })),
    audit,
    mails: await caseMails(ctx, doc.number),
    timers: await caseTimers(ctx, doc),
    held,
    questions: held ? await repQuestions(ctx, doc) : [],
    keysAwaited: (doc.keyFollowUps ?? []).filter((k) => !k.returnedAt).map((k) => k.fk),
    reactivationOf: machine,
  };
}
