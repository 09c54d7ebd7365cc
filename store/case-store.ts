/**
 * Cases in Redis. Every write is a compare-and-set on the case's version
 * through store/lua/commitCase-28.lua, so two workers can never both act on
 * one case, and a license movement is written in the same atomic step as the
 * state and the per-state index.
 */
import type { NewDeskEvent } from '../domain/events.js';
import type { Redis } from 'ioredis';
import { errors } from '../lib/errors.js';
import { CASE_STATES, type CaseState } from '../domain/case-states.js';
import type { AuditEntry } from './audit-log.js';
import type { CaseDoc } from '../domain/case-doc.js';
import type { DeskKeys } from './keys.js';
import { defineLuaCommands, runLua } from './lua-scripts.js';
import { ensureStateIndex } from './case-state-index.js';
import { FEE_STATES, type LedgerWrites } from '../domain/fee-ledger.js';

export interface StoredCase {
  doc: CaseDoc;
  version: number;
}

export interface LicenseMove {
  licenseKey: string;
  from: string;
  to: string;
}

export interface CommitRequest {
  doc: CaseDoc;
  /** Version read before the change; 0 creates the case. */
  expectedVersion: number;
  /** The change is refused unless the case is in one of these states. */
  expectedStates?: readonly CaseState[];
  audit: AuditEntry[];
  moves?: LicenseMove[];
  disableSystems?: string[];
  forfeit?: Array<{ licenseKey: string; from: string }>;
  accountTransfers?: Array<{
    fromAccountId: string;
    toAccountId: string;
    product: string;
    quantity: number;
    intoDeployed?: boolean;
  }>;
  /** Appended to the event log in the same commit, after every write (workflows/case-events.ts). */
  events?: NewDeskEvent[];
  /** The fee ledger's writes (workflows/fee-ledger.ts), checked and written in the same commit. */
  ledger?: LedgerWrites;
}

/** How long events are kept when no retention is configured (LICENSEDESK_EVENT_RETENTION_DAYS). */
export const DEFAULT_EVENT_RETENTION_MS = 30 * 86_400_000;

export type CommitResult =
  | { ok: true; version: number }
  | { ok: false; conflict: true; version: number; state: string }
  | { ok: false; conflict: false; reason: string };

export class CaseStore {
  private indexReady?: Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
    private readonly eventRetentionMs = DEFAULT_EVENT_RETENTION_MS,
  ) {
    defineLuaCommands(redis);
  }

  async get(number: string): Promise<StoredCase | undefined> {
    const [doc, version] = await this.redis.hmget(this.keys.case(number), 'doc', 'version');
    if (!doc || !version) return undefined;
    return { doc: JSON.parse(doc) as CaseDoc, version: Number(version) };
  }

  async mustGet(number: string): Promise<StoredCase> {
    const c = await this.get(number);
    if (!c) throw errors.E_CASE_NOT_FOUND(number);
    return c;
  }

  /** Every case (or every case in one state), oldest receipt first: reads all of them. */
  async list(state?: CaseState): Promise<CaseDoc[]> {
    const numbers = await this.redis.zrange(this.keys.cases(), '0', '-1');
    const docs = await this.docs(numbers);
    return docs.filter((d) => !state || d.state === state);
  }

  /**
   * Cases in one state, most recently updated first, from the state's index.
   * `limit` < 0 reads to the end.
   */
  async listByState(state: CaseState, offset: number, limit: number): Promise<CaseDoc[]> {
    if (limit === 0) return [];
    await this.ensureIndex();
    return this.docs(await this.redis.zrevrange(this.keys.casesByState(state), offset, stop(offset, limit)));
  }

  /**
   * The numbers of every case now in these states (a snapshot of their
   * indexes), for a pass that must not skip a case that changes state while
   * it runs; read their documents with `getDocs` in batches.
   */
  async numbersInStates(states: readonly CaseState[]): Promise<string[]> {
    await this.ensureIndex();
    const pipe = this.redis.pipeline();
    for (const s of states) pipe.zrange(this.keys.casesByState(s), '0', '-1');
    const rows = (await pipe.exec()) ?? [];
    return [...new Set(rows.flatMap(([, v]) => (Array.isArray(v) ? (v as string[]) : [])))];
  }

  /** How many cases are in each state (one ZCARD per state). */
  async countByState(): Promise<Record<CaseState, number>> {
    await this.ensureIndex();
    const pipe = this.redis.pipeline();
    for (const s of CASE_STATES) pipe.zcard(this.keys.casesByState(s));
    const rows = (await pipe.exec()) ?? [];
    return Object.fromEntries(CASE_STATES.map((s, i) => [s, Number(rows[i]?.[1] ?? 0)])) as Record<CaseState, number>;
  }

  /** Cases newest first by first receipt. `limit` < 0 reads to the end. */
  async listRecent(offset: number, limit: number): Promise<CaseDoc[]> {
    if (limit === 0) return [];
    return this.docs(await this.redis.zrevrange(this.keys.cases(), offset, stop(offset, limit)));
  }

  /**
   * Indexes cases written before the commit script kept the per-state
   * indexes (once per process; a no-op when every case is indexed).
   */
  ensureIndex(): Promise<void> {
    this.indexReady ??= ensureStateIndex(this.redis, this.keys).then(
      () => undefined,
      (e: unknown) => {
        this.indexReady = undefined;
        throw e;
      },
    );
    return this.indexReady;
  }

  /** The documents of these cases, in order; a number with no case is left out. */
  getDocs(numbers: readonly string[]): Promise<CaseDoc[]> {
    return this.docs(numbers);
  }

  private async docs(numbers: readonly string[]): Promise<CaseDoc[]> {
    if (numbers.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const n of numbers) pipe.hget(this.keys.case(n), 'doc');
    const rows = (await pipe.exec()) ?? [];
    return rows.flatMap(([, v]) => (typeof v === 'string' ? [JSON.parse(v) as CaseDoc] : []));
  }

  async commit(req: CommitRequest): Promise<CommitResult> {
    const k = this.keys;
    const keys = [
      k.case(req.doc.number),
      k.cases(),
      k.audit(),
      k.regLicenseSystem(),
      k.regDisabled(),
      k.regVersion(),
      k.regForfeited(),
      k.regAccountHoldings(),
      ...CASE_STATES.map((s) => k.casesByState(s)),
      k.caseAudit(req.doc.number),
      k.events(),
      k.regChanged(),
      k.fees(),
      k.feesByTime(),
      ...FEE_STATES.map((s) => k.feesByState(s)),
      k.caseFees(req.doc.number),
    ];
    const setIndex = new Map<string, number>();
    const setKey = (system: string): number => {
      let idx = setIndex.get(system);
      if (idx === undefined) {
        keys.push(k.regSystemLicenses(system));
        idx = keys.length; // Lua KEYS are 1-based
        setIndex.set(system, idx);
      }
      return idx;
    };
    // One JSON plan (decoded with cjson in the script). The case document and
    // the audit entries stay JSON strings inside it: cjson would turn an empty
    // array into an object if they were decoded and encoded again.
    const plan = {
      expectedVersion: req.expectedVersion,
      expectedStates: req.expectedStates ?? [],
      number: req.doc.number,
      state: req.doc.state,
      doc: JSON.stringify(req.doc),
      receivedScore: String(Date.parse(req.doc.receivedAt)),
      updatedScore: String(Date.parse(req.doc.updatedAt)),
      states: CASE_STATES,
      audit: req.audit.map((a) => JSON.stringify({ case: req.doc.number, ...a })),
      moves: (req.moves ?? []).map((m) => ({
        licenseKey: m.licenseKey,
        from: m.from,
        to: m.to,
        fromSet: setKey(m.from),
        toSet: setKey(m.to),
      })),
      disable: req.disableSystems ?? [],
      forfeit: (req.forfeit ?? []).map((f) => ({ licenseKey: f.licenseKey, from: f.from, fromSet: setKey(f.from) })),
      transfers: (req.accountTransfers ?? []).map((t) => ({
        from: t.fromAccountId,
        to: t.toAccountId,
        product: t.product,
        quantity: t.quantity,
        intoDeployed: t.intoDeployed === true,
      })),
      events: (req.events ?? []).map((e) => JSON.stringify(e)),
      eventsMinId: String(Math.max(0, Date.parse(req.doc.updatedAt) - this.eventRetentionMs)),
      feeStates: FEE_STATES,
      feeAdds: (req.ledger?.adds ?? []).map((e) => ({
        id: e.id,
        state: e.state,
        score: String(Date.parse(e.assessedAt)),
        entry: JSON.stringify(e),
      })),
      feeChanges: (req.ledger?.changes ?? []).map((c) => ({
        id: c.id,
        from: c.from,
        to: c.to,
        item: c.item,
        ...(c.card !== undefined ? { card: c.card } : {}),
      })),
    };
    const res = (await runLua(this.redis, 'commitCase', keys, [JSON.stringify(plan)])) as string[];
    if (res[0] === 'OK') return { ok: true, version: Number(res[1]) };
    if (res[0] === 'CONFLICT') return { ok: false, conflict: true, version: Number(res[1]), state: String(res[2]) };
    return { ok: false, conflict: false, reason: String(res[1]) };
  }
}

/** ZREVRANGE's inclusive stop for a page; a negative limit reads to the end. */
const stop = (offset: number, limit: number): number => (limit < 0 ? -1 : offset + limit - 1);
