/**
 * DSK-8: the desk's own append-only audit trail, a Redis stream that is never
 * trimmed (BullMQ's event streams are, so they cannot serve as a record).
 */
import type { Redis } from 'ioredis';
import type { DeskKeys } from './keys.js';

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

export class AuditLog {
  constructor(private readonly redis: Redis, private readonly keys: DeskKeys) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.redis.xadd(this.keys.audit(), '*', 'e', JSON.stringify(entry));
  }

  /** Oldest first; only one case's entries when `caseNumber` is given. */
  async *read(caseNumber?: string): AsyncGenerator<AuditEntry & { id: string }> {
    let start = '-';
    for (;;) {
      const batch = await this.redis.xrange(this.keys.audit(), start, '+', 'COUNT', 500);
      for (const [id, fields] of batch) {
        const raw = fields[fields.indexOf('e') + 1];
        if (raw === undefined) continue;
        const entry = JSON.parse(raw) as AuditEntry;
        if (caseNumber === undefined || entry.case === caseNumber) yield { id, ...entry };
      }
      if (batch.length < 500) return;
      start = `(${batch[batch.length - 1]![0]}`;
    }
  }
}
