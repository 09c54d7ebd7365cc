/**
 * DSK-8: a case's audit trail is read through its own index (store/audit-log.ts),
 * so the console's case page and `audit N` cost the same however long the desk's
 * history is; a desk upgraded with a history written before the index is indexed
 * once, and its old entries still show on each case's trail.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RegistryStore } from '../../registry/registry-store.js';
import type { RegistryDocument } from '../../domain/registry-model.js';
import { newCaseDoc } from '../../domain/case-doc.js';
import { AuditLog, type AuditEntry } from '../../store/audit-log.js';
import { CaseStore } from '../../store/case-store.js';
import { DeskKeys } from '../../store/keys.js';
import { altigenRegistry } from '../support/altigen-fixture.js';
import { useSingleAndClusterRedis } from '../support/single-and-cluster-redis.js';

const topologies = useSingleAndClusterRedis();

const at = (i: number) => new Date(Date.parse('2026-03-02T09:00:00Z') + i * 1000).toISOString();

async function read(log: AuditLog, n?: string): Promise<Array<AuditEntry & { id: string }>> {
  const out: Array<AuditEntry & { id: string }> = [];
  for await (const e of log.read(n)) out.push(e);
  return out;
}

/** Calls of one command so far (INFO commandstats, counts calls from Lua too). */
async function calls(redis: Redis, command: string): Promise<number> {
  const info = await redis.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

describe.each([
  ['a single Redis', topologies.single],
  ['a Redis Cluster', topologies.clustered],
])('on %s', (_name, redisOf) => {
  it("DSK-8 a case's trail holds exactly its entries, oldest first, from the commit script and from direct appends alike", async () => {
    const redis = redisOf();
    const keys = new DeskKeys(`aud-${randomUUID()}`);
    await new RegistryStore(redis, keys).import(altigenRegistry() as unknown as RegistryDocument);
    const cases = new CaseStore(redis, keys);
    const log = new AuditLog(redis, keys);
    const doc = newCaseDoc({
      number: '300001',
      program: 'altigen',
      partnerId: 'P-100',
      systemKey: 'SYS-0001',
      at: new Date(at(0)),
    });
    expect(
      await cases.commit({ doc, expectedVersion: 0, audit: [{ at: at(0), actor: 'intake', action: 'case-opened' }] }),
    ).toMatchObject({ ok: true });
    await log.append({ at: at(1), actor: 'cli', action: 'other-case-note', case: '300002' });
    await log.append({
      at: at(2),
      actor: 'rep:alice@desk.test',
      action: 'note',
      case: '300001',
      reason: 'called the partner',
    });
    await log.append({ at: at(3), actor: 'cli', action: 'registry-imported' });
    expect(
      await cases.commit({
        doc: { ...doc, state: 'held' },
        expectedVersion: 1,
        audit: [{ at: at(4), actor: 'review', action: 'held', reason: 'ALT-9' }],
      }),
    ).toMatchObject({ ok: true });

    expect((await read(log, '300001')).map((e) => e.action)).toEqual(['case-opened', 'note', 'held']);
    expect((await read(log, '300002')).map((e) => e.action)).toEqual(['other-case-note']);
    expect(await read(log, '399999')).toEqual([]);
    // The whole trail is unchanged: every entry once, in order.
    expect((await read(log)).map((e) => e.action)).toEqual([
      'case-opened',
      'other-case-note',
      'note',
      'registry-imported',
      'held',
    ]);
  });
});

describe('a long history', () => {
  it("DSK-8 reading one case's trail among 20,000 other entries reads only that case's entries", async () => {
    const keys = new DeskKeys(`aud-${randomUUID()}`);
    const log = new AuditLog(topologies.single(), keys);
    await log.append({ at: at(0), actor: 'intake', action: 'case-opened', case: '400000' });
    for (let batch = 0; batch < 20; batch++) {
      const pipe = topologies.single().pipeline();
      for (let i = 0; i < 1000; i++)
        pipe.xadd(
          keys.audit(),
          '*',
          'e',
          JSON.stringify({
            at: at(1),
            actor: 'intake',
            action: 'case-opened',
            case: String(400001 + batch * 1000 + i),
          }),
        );
      await pipe.exec();
    }
    await log.append({ at: at(2), actor: 'transfer', action: 'transferred', case: '400000' });
    // The history above was written straight to the stream, as a desk before the index did: the first read
    // indexes it once (and marks it done); after that a case's trail costs one XRANGE per entry.
    expect((await read(log, '400000')).map((e) => e.action)).toEqual(['case-opened', 'transferred']);
    expect((await read(log, '412345')).map((e) => e.action)).toEqual(['case-opened']);
    const before = await calls(topologies.single(), 'xrange');
    const again = new AuditLog(topologies.single(), keys);
    expect((await read(again, '400000')).map((e) => e.action)).toEqual(['case-opened', 'transferred']);
    expect((await calls(topologies.single(), 'xrange')) - before).toBe(2);
  });
});
