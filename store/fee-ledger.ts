/**
 * Reads the fee ledger (DSK-11). Entries are written only by the case commit
 * script (store/lua/commitCase-28.lua), with the decision that assessed or
 * settled them; here they are listed (by state, date or case, oldest first)
 * and, once their retention is over, removed.
 */
import type { Redis } from 'ioredis';
import { FEE_STATES, type FeeEntry, type FeeState } from '../domain/fee-ledger.js';
import type { DeskKeys } from './keys.js';

export interface FeeQuery {
  state?: FeeState;
  /** Only entries assessed at or after this time. */
  since?: Date;
  case?: string;
  /** Entries skipped (paging). */
  offset?: number;
  /** At most this many (default: all). */
  limit?: number;
}

export class FeeLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
  ) {}

  /** Entries matching `q`, oldest assessment first. */
  async list(q: FeeQuery = {}): Promise<FeeEntry[]> {
    const k = this.keys;
    const index = q.case ? k.caseFees(q.case) : q.state ? k.feesByState(q.state) : k.feesByTime();
    const min = q.since ? String(q.since.getTime()) : '-inf';
    const filtered = Boolean(q.case && q.state);
    // With both a case and a state, the case's few entries are read and filtered here.
    const page = filtered ? [] : ['LIMIT', String(q.offset ?? 0), String(q.limit ?? -1)];
    const ids = (await this.redis.zrangebyscore(index, min, '+inf', ...(page as []))) as string[];
    let entries = await this.get(ids);
    if (filtered) {
      entries = entries.filter((e) => e.state === q.state);
      entries = entries.slice(q.offset ?? 0, q.limit === undefined ? undefined : (q.offset ?? 0) + q.limit);
    }
    return entries;
  }

  /** The entries with these ids, in order; an id with no entry is left out. */
  async get(ids: readonly string[]): Promise<FeeEntry[]> {
    if (ids.length === 0) return [];
    const rows = await this.redis.hmget(this.keys.fees(), ...ids);
    return rows.flatMap((v) => (typeof v === 'string' ? [JSON.parse(v) as FeeEntry] : []));
  }

  /** Removes the entries whose retention ended by `now` (at most `limit` a call); returns how many. */
  async prune(now: Date, limit = 500): Promise<number> {
    const k = this.keys;
    const ids = await this.redis.zrangebyscore(k.feesByTime(), '-inf', '+inf', 'LIMIT', 0, limit);
    const entries = await this.get(ids);
    const due = entries.filter((e) => Date.parse(e.retainUntil) <= now.getTime());
    // Entries are assessed in time order and all kept equally long: the first one still kept ends the pass.
    const gone = ids.filter((id) => !entries.some((e) => e.id === id));
    const m = this.redis.multi();
    for (const e of due) {
      m.hdel(k.fees(), e.id).zrem(k.feesByTime(), e.id).zrem(k.caseFees(e.case), e.id);
      for (const s of FEE_STATES) m.zrem(k.feesByState(s), e.id);
    }
    for (const id of gone) m.zrem(k.feesByTime(), id);
    if (due.length + gone.length > 0) await m.exec();
    return due.length;
  }
}
