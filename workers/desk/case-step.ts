/**
 * The one way a worker changes a case: read it, decide through a pure
 * workflow step, commit with the version it read (and the registry writes the
 * step makes, all in one checked Lua commit), then carry out the step's
 * effects. A commit that finds the case changed meanwhile decides again from
 * a fresh read; that retry policy lives here and nowhere else.
 */
import type { CaseDoc } from '../../domain/case-doc.js';
import type { CaseState } from '../../domain/case-states.js';
import type { Effect } from '../../domain/effects.js';
import { errors } from '../../lib/errors.js';
import type { AuditEntry } from '../../store/audit-log.js';
import type { CommitRequest, StoredCase } from '../../store/case-store.js';
import { caseCommitEvents } from '../../workflows/case-events.js';
import { ledgerWrites } from '../../workflows/fee-ledger.js';
import type { Step } from '../../workflows/case-workflow.js';
import { passEffects } from '../../workflows/one-pass.js';
import type { DeskContext } from './context.js';
import { caseRetention } from '../retention/index.js';
import { enqueueMails, runEffectList, runEffects, type PlannedMail } from './effects.js';

/** How often a step is decided again when the case keeps changing under it, before the job is retried later. */
export const CASE_STEP_ATTEMPTS = 20;

export type RegistryWrites = Pick<CommitRequest, 'moves' | 'disableSystems' | 'forfeit' | 'accountTransfers'>;

/**
 * The step after a committed-to-be one, decided in the same pass (workflows/one-pass.ts) on the case as that step
 * leaves it: intake then review, review then the move. Undefined: the pass ends there, and the effect the next step
 * would replace is queued as before.
 */
export type NextStep = (
  ctx: DeskContext,
  doc: CaseDoc,
  effects: readonly Effect[],
  now: Date,
) => Promise<ChainedStep | undefined>;

/** The later steps a process may take in the same pass: those of the roles it runs. */
export interface PassRoles {
  review: boolean;
  transfer: boolean;
}

export interface ChainedStep {
  step: Step;
  actor: string;
  /** The previous step's effect this one carries out (`review`, `transfer`): it is not queued as well. */
  replaces: Effect['type'];
  writes?: RegistryWrites;
  records?: AuditEntry[];
  next?: NextStep;
}

/** What deciding on a read case gives: nothing to do, or a step to commit. */
export type CaseDecision =
  /** Nothing to commit; the effects (if any) finish work an interrupted attempt committed. */
  | { skip: string; doc?: CaseDoc; effects?: Effect[] }
  | {
      step: Step;
      /** Who acts, for the audit trail: a worker role, `rep:…`, `partner:…`. */
      actor: string;
      /** The commit is refused unless the case is still in one of these states. */
      expectedStates?: readonly CaseState[];
      /** Registry writes made in the same atomic commit. */
      writes?: RegistryWrites;
      /** Audit entries before the step's own (license movements …). */
      records?: AuditEntry[];
      /** What the worker returns once committed (default: the new state). */
      result?: string;
      /** The commit's checks refused the registry writes: what to commit instead. */
      onRefused?: (reason: string) => CaseDecision;
      /** Work to do after the effects (queue a review …). */
      after?: (doc: CaseDoc) => Promise<void>;
      /** The steps that follow in the same pass and commit (one pass a completed case). */
      next?: NextStep;
    };

type Decide = (stored: StoredCase | undefined, now: Date) => CaseDecision | Promise<CaseDecision>;

type Decided = Extract<CaseDecision, { step: Step }> & { ledger?: CommitRequest['ledger'] };

/** One step of a pass, with its ledger writes. */
type Link = Pick<Decided, 'step' | 'actor' | 'writes' | 'records' | 'ledger'> & { replaces?: Effect['type'] };

/**
 * The decision with its fee ledger writes (DSK-11): its case document gains the ids of the fees it assesses, so
 * the effects run on what was committed.
 */
function withLedger<D extends Link>(ctx: DeskContext, prev: CaseDoc | undefined, d: D, now: Date): D {
  const { doc, writes } = ledgerWrites(
    prev,
    d.step.doc,
    d.step.effects,
    now.toISOString(),
    ctx.config.feeRetentionDays * 86_400_000,
  );
  return { ...d, step: { ...d.step, doc }, ledger: writes };
}

/** The audit entries and events of one link, from the case before it. */
function linkRecords(prev: CaseDoc | undefined, l: Link, now: Date): Pick<CommitRequest, 'audit' | 'events'> {
  const { step } = l;
  return {
    // What other systems hear of this change, committed with it (an event never outlives a refused commit).
    events: caseCommitEvents(prev, step.doc, { ...l.writes, ledger: l.ledger }, step.effects, now.toISOString()),
    audit: [
      ...(l.records ?? []),
      {
        at: now.toISOString(),
        actor: l.actor,
        action: step.action,
        from: prev?.state,
        to: step.doc.state,
        reason: step.reason,
      },
    ],
  };
}

/** One commit for the links of a pass: the last one's case, every link's records, events, registry and ledger writes. */
function commitRequest(
  stored: StoredCase | undefined,
  links: readonly Link[],
  expectedStates: Decided['expectedStates'],
  now: Date,
): CommitRequest {
  const req: CommitRequest = {
    doc: links[links.length - 1]!.step.doc,
    expectedVersion: stored?.version ?? 0,
    expectedStates,
    audit: [],
    events: [],
  };
  let prev = stored?.doc;
  for (const l of links) {
    const { audit, events } = linkRecords(prev, l, now);
    req.audit.push(...audit);
    req.events!.push(...events!);
    // Only the move writes to the registry; the ledger may have writes from every step (fees assessed, a PO).
    Object.assign(req, l.writes);
    req.ledger = {
      adds: [...(req.ledger?.adds ?? []), ...(l.ledger?.adds ?? [])],
      changes: [...(req.ledger?.changes ?? []), ...(l.ledger?.changes ?? [])],
    };
    prev = l.step.doc;
  }
  return req;
}

/** The links that follow `first` in its pass, each decided on the case as the one before leaves it. */
async function chainLinks(ctx: DeskContext, first: Decided, now: Date): Promise<Link[]> {
  const links: Link[] = [first];
  let next = first.next;
  while (next) {
    const last = links[links.length - 1]!;
    const c = await next(ctx, last.step.doc, last.step.effects, now);
    if (!c) break;
    links.push(withLedger(ctx, last.step.doc, c, now));
    next = c.next;
  }
  return links;
}

/** Every link's effects (those the pass carried out or undid left out), each run with the case as its link left it. */
async function runPassEffects(ctx: DeskContext, links: readonly Link[]): Promise<void> {
  const lists = passEffects(links.map((l) => ({ effects: l.step.effects, replaces: l.replaces })));
  await caseRetention(ctx, links[links.length - 1]!.step.doc); // once, for the case the pass ends with
  const mails: PlannedMail[] = [];
  for (let i = 0; i < links.length; i++) await runEffectList(ctx, links[i]!.step.doc, lists[i]!, mails);
  await enqueueMails(ctx, mails); // every mail of the pass's one commit, in one notify job
}

async function skipped(ctx: DeskContext, d: Extract<CaseDecision, { skip: string }>): Promise<string> {
  if (d.doc && d.effects) await runEffects(ctx, d.doc, d.effects);
  return d.skip;
}

/** Read → decide → commit → effects on case `caseNumber`, deciding again while the case changes underneath. */
export async function runCaseStep(ctx: DeskContext, caseNumber: string, decide: Decide): Promise<string> {
  for (let attempt = 0; attempt < CASE_STEP_ATTEMPTS; attempt++) {
    const stored = await ctx.cases.get(caseNumber);
    const now = ctx.clock.now();
    const first = await decide(stored, now);
    if ('skip' in first) return skipped(ctx, first);
    let d = withLedger(ctx, stored?.doc, first, now);
    let links = await chainLinks(ctx, d, now);
    let res = await ctx.cases.commit(commitRequest(stored, links, d.expectedStates, now));
    if (!res.ok && !res.conflict && links.length > 1) {
      // The registry changed since the pass read it: commit the steps before the first that writes to it; the
      // step that writes then runs on its own (its job was the effect it replaced) and decides what a refusal means.
      const upTo = links.findIndex((l) => l.writes !== undefined);
      links = links.slice(0, Math.max(1, upTo));
      res = await ctx.cases.commit(commitRequest(stored, links, d.expectedStates, now));
    }
    if (!res.ok && !res.conflict && d.onRefused) {
      // The registry changed since review: nothing was written; commit what the workflow says instead.
      const instead = d.onRefused(res.reason);
      if ('skip' in instead) return skipped(ctx, instead);
      d = withLedger(ctx, stored?.doc, instead, now);
      links = [d];
      res = await ctx.cases.commit(commitRequest(stored, links, d.expectedStates, now));
    }
    if (!res.ok) {
      if (res.conflict) continue;
      throw new Error(`case ${caseNumber}: commit refused: ${res.reason}`);
    }
    await runPassEffects(ctx, links);
    const last = links[links.length - 1]!.step.doc;
    await d.after?.(last);
    return d.result ?? last.state;
  }
  throw errors.E_CASE_CONFLICT(`case ${caseNumber}`);
}
