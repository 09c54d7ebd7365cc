/**
 * Cases in Redis. Every write is a compare-and-set on the case's version
 * through COMMIT_CASE_LUA, so two workers can never both act on one case,
 * and a license movement is written in the same atomic step as the state.
 */
import type { Redis } from 'ioredis';
import { DeskError } from '../lib/errors.js';
import type { CaseState } from '../domain/case-states.js';
import type { AuditEntry } from './audit-log.js';
import type { CaseDoc } from '../domain/case-doc.js';
import type { DeskKeys } from './keys.js';
import { COMMIT_CASE_LUA } from './scripts/commit-case.js';

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
  accountTransfers?: Array<{ fromAccountId: string; toAccountId: string; product: string; quantity: number; intoDeployed?: boolean }>;
}

export type CommitResult =
  | { ok: true; version: number }
  | { ok: false; conflict: true; version: number; state: string }
  | { ok: false; conflict: false; reason: string };

type CommitFn = (numKeys: number, ...args: string[]) => Promise<string[]>;

export class CaseStore {
  private readonly commitScript: CommitFn;

  constructor(private readonly redis: Redis, private readonly keys: DeskKeys) {
    if (!(redis as unknown as { ldCommitCase?: CommitFn }).ldCommitCase) {
      redis.defineCommand('ldCommitCase', { lua: COMMIT_CASE_LUA });
    }
    const r = redis as unknown as { ldCommitCase: CommitFn };
    this.commitScript = r.ldCommitCase.bind(redis);
  }

  async get(number: string): Promise<StoredCase | undefined> {
    const [doc, version] = await this.redis.hmget(this.keys.case(number), 'doc', 'version');
    if (!doc || !version) return undefined;
    return { doc: JSON.parse(doc) as CaseDoc, version: Number(version) };
  }

  async mustGet(number: string): Promise<StoredCase> {
    const c = await this.get(number);
    if (!c) throw new DeskError('E_CASE_NOT_FOUND', `E_CASE_NOT_FOUND: no case ${number} at this desk`);
    return c;
  }

  async list(state?: CaseState): Promise<CaseDoc[]> {
    const numbers = await this.redis.zrange(this.keys.cases(), '0', '-1');
    if (numbers.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const n of numbers) pipe.hget(this.keys.case(n), 'doc');
    const rows = (await pipe.exec()) ?? [];
    const docs = rows.map(([, v]) => (typeof v === 'string' ? (JSON.parse(v) as CaseDoc) : undefined));
    return docs.filter((d): d is CaseDoc => !!d && (!state || d.state === state));
  }

  async commit(req: CommitRequest): Promise<CommitResult> {
    const k = this.keys;
    const keys = [
      k.case(req.doc.number), k.cases(), k.audit(), k.regLicenseSystem(),
      k.regDisabled(), k.regVersion(), k.regForfeited(), k.regAccountHoldings(),
    ];
    const setIndex = new Map<string, number>();
    const setKey = (system: string): string => {
      let idx = setIndex.get(system);
      if (idx === undefined) {
        keys.push(k.regSystemLicenses(system));
        idx = keys.length; // Lua KEYS are 1-based
        setIndex.set(system, idx);
      }
      return String(idx);
    };
    const moves = req.moves ?? [];
    const forfeits = req.forfeit ?? [];
    const disables = req.disableSystems ?? [];
    const transfers = req.accountTransfers ?? [];
    const args: string[] = [
      String(req.expectedVersion),
      (req.expectedStates ?? []).join(','),
      req.doc.state,
      JSON.stringify(req.doc),
      String(Date.parse(req.doc.receivedAt)),
      req.doc.number,
      String(req.audit.length),
      ...req.audit.map((a) => JSON.stringify({ case: req.doc.number, ...a })),
      String(moves.length),
      ...moves.flatMap((m) => [m.licenseKey, m.from, m.to, setKey(m.from), setKey(m.to)]),
      String(disables.length),
      ...disables,
      String(forfeits.length),
      ...forfeits.flatMap((f) => [f.licenseKey, setKey(f.from)]),
      String(transfers.length),
      ...transfers.flatMap((t) => [t.fromAccountId, t.toAccountId, t.product, String(t.quantity), t.intoDeployed ? '1' : '0']),
    ];
    const res = await this.commitScript(keys.length, ...keys, ...args);
    if (res[0] === 'OK') return { ok: true, version: Number(res[1]) };
    if (res[0] === 'CONFLICT') return { ok: false, conflict: true, version: Number(res[1]), state: String(res[2]) };
    return { ok: false, conflict: false, reason: String(res[1]) };
  }
}
