/**
 * The event log (docs/interfaces.md "Events"): one Redis stream under the
 * desk's hash tag, oldest first. Case commits append their events inside the
 * commit script; other changes (a registry import or update, a key's return,
 * a claim of sessions) append theirs in the same MULTI as the change and its
 * audit entry. Entries older than the retention are trimmed as new ones come.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import type { DeskEvent, NewDeskEvent } from '../domain/events.js';
import type { DeskKeys } from './keys.js';

/** A stream id: `<ms>-<seq>`. */
export const EVENT_ID = /^\d{1,15}-\d{1,15}$/;

export function decodeEvent(id: string, fields: string[]): DeskEvent | undefined {
  const i = fields.indexOf('e');
  if (i < 0 || fields[i + 1] === undefined) return undefined;
  try {
    const e = JSON.parse(fields[i + 1]!) as NewDeskEvent;
    return { id, type: e.type, at: e.at, ...(e.case ? { case: e.case } : {}), data: e.data ?? {} };
  } catch {
    return undefined;
  }
}

export class EventLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
    private readonly retentionMs: number,
  ) {}

  /** Queues the append of `events` on a MULTI that also makes the change they announce. */
  queue(m: ChainableCommander, events: readonly NewDeskEvent[]): void {
    for (const e of events) {
      const minId = String(Math.max(0, Date.parse(e.at) - this.retentionMs));
      m.xadd(this.keys.events(), 'MINID', '~', minId, '*', 'e', JSON.stringify(e));
    }
  }

  /** Up to `limit` events after `after` (exclusive; none: from the oldest kept), oldest first. */
  async page(after: string | undefined, limit: number): Promise<DeskEvent[]> {
    const start = after ? `(${after}` : '-';
    const rows = (await this.redis.xrange(this.keys.events(), start, '+', 'COUNT', limit)) as Array<[string, string[]]>;
    return rows.flatMap(([id, fields]) => {
      const e = decodeEvent(id, fields);
      return e ? [e] : [];
    });
  }

  /** Waits up to `blockMs` for events after `after` (`$`: only new ones). */
  async next(after: string, blockMs: number, limit = 100): Promise<DeskEvent[]> {
    const res = (await this.redis.xread(
      'COUNT',
      limit,
      'BLOCK',
      blockMs,
      'STREAMS',
      this.keys.events(),
      after,
    )) as Array<[string, Array<[string, string[]]>]> | null;
    return (res?.[0]?.[1] ?? []).flatMap(([id, fields]) => {
      const e = decodeEvent(id, fields);
      return e ? [e] : [];
    });
  }

  /** One event by its id, or undefined once retention has trimmed it. */
  async get(id: string): Promise<DeskEvent | undefined> {
    const rows = (await this.redis.xrange(this.keys.events(), id, id)) as Array<[string, string[]]>;
    return rows[0] ? decodeEvent(rows[0][0], rows[0][1]) : undefined;
  }

  /** The id of the newest event, or `0-0` when the log is empty. */
  async lastId(): Promise<string> {
    const rows = (await this.redis.xrevrange(this.keys.events(), '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
    return rows[0]?.[0] ?? '0-0';
  }
}
