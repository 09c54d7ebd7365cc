/**
 * DSK-8: the desk's own append-only audit trail, a Redis stream that is never
 * trimmed (BullMQ's event streams are, so they cannot serve as a record).
 *
 * Each entry about a case is also indexed under that case (a sorted set of
 * stream ids, written in the same Lua step as the entry), so the console's case
 * page reads one case's trail in a few round trips however long the desk's
 * history is, instead of scanning every entry ever written.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import type { DeskKeys } from './keys.js';
import { queueLua, runLua } from './lua-scripts.js';

export interface AuditEntry {
  at: string;
  /** Who or what: a worker role, `rep:alice@…`, `cli`, `partner:…`. */
  actor: string;
  action: string;
  case?: string;
  from?: string;
  to?: string;
  reason?: string;
  detail?: Record<string, unknown>;
}

export type StoredAuditEntry = AuditEntry & { id: string };

/** Stream entries read per round trip when scanning. */
const PAGE = 500;

/** Stream ids in stream order (`ms-seq`, both parts numeric). */
function byStreamOrder(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

export class AuditLog {
  private indexReady: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
  ) {}

  /** Queues `entry` on a MULTI that makes the change it records, so both commit or neither. */
  queue(m: ChainableCommander, entry: AuditEntry): void {
    if (entry.case === undefined) m.xadd(this.keys.audit(), '*', 'e', JSON.stringify(entry));
    else queueLua(m, 'appendAudit', [this.keys.audit(), this.keys.caseAudit(entry.case)], [JSON.stringify(entry)]);
  }

  async append(entry: AuditEntry): Promise<void> {
    if (entry.case === undefined) {
      await this.redis.xadd(this.keys.audit(), '*', 'e', JSON.stringify(entry));
      return;
    }
    await runLua(
      this.redis,
      'appendAudit',
      [this.keys.audit(), this.keys.caseAudit(entry.case)],
      [JSON.stringify(entry)],
    );
  }

  /** Oldest first; only one case's entries when `caseNumber` is given. */
  async *read(caseNumber?: string): AsyncGenerator<StoredAuditEntry> {
    if (caseNumber === undefined) {
      yield* this.scan();
      return;
    }
    await this.ensureCaseIndex();
    const ids = [...new Set(await this.redis.zrange(this.keys.caseAudit(caseNumber), '0', '-1'))].sort(byStreamOrder);
    for (let i = 0; i < ids.length; i += PAGE) {
      const pipe = this.redis.pipeline();
      for (const id of ids.slice(i, i + PAGE)) pipe.xrange(this.keys.audit(), id, id);
      for (const [, rows] of (await pipe.exec()) ?? []) {
        for (const [id, fields] of (rows ?? []) as Array<[string, string[]]>) {
          const entry = parse(fields);
          if (entry) yield { id, ...entry };
        }
      }
    }
  }

  private async *scan(): AsyncGenerator<StoredAuditEntry> {
    let start = '-';
    for (;;) {
      const batch = await this.redis.xrange(this.keys.audit(), start, '+', 'COUNT', PAGE);
      for (const [id, fields] of batch) {
        const entry = parse(fields);
        if (entry) yield { id, ...entry };
      }
      if (batch.length < PAGE) return;
      start = `(${batch[batch.length - 1]![0]}`;
    }
  }

  /**
   * Indexes, once, the entries written before the case indexes existed (a desk
   * upgraded with its history). ZADD is idempotent, so two processes doing it
   * at once, or entries indexed twice, change nothing; the mark is set only
   * after the whole stream was read.
   */
  private ensureCaseIndex(): Promise<void> {
    this.indexReady ??= (async () => {
      if (await this.redis.exists(this.keys.auditIndexed())) return;
      let start = '-';
      for (;;) {
        const batch = await this.redis.xrange(this.keys.audit(), start, '+', 'COUNT', PAGE);
        const pipe = this.redis.pipeline();
        for (const [id, fields] of batch) {
          const c = parse(fields)?.case;
          if (c !== undefined) pipe.zadd(this.keys.caseAudit(c), id.split('-')[0]!, id);
        }
        if (pipe.length > 0) await pipe.exec();
        if (batch.length < PAGE) break;
        start = `(${batch[batch.length - 1]![0]}`;
      }
      await this.redis.set(this.keys.auditIndexed(), new Date().toISOString());
    })().catch((e: unknown) => {
      this.indexReady = undefined;
      throw e;
    });
    return this.indexReady;
  }
}

function parse(fields: string[]): AuditEntry | undefined {
  const raw = fields[fields.indexOf('e') + 1];
  return raw === undefined ? undefined : (JSON.parse(raw) as AuditEntry);
}
