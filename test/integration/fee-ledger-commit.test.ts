/**
 * DSK-11: the fee ledger is written by the case commit script
 * (store/lua/commitCase-28.lua), on a real Redis and a real three-node Cluster
 * (every key under the desk's hash tag): an entry exists exactly when the
 * decision that assessed it committed, a state change is checked against the
 * entry's state before the first write, and the ledger's indexes (by state,
 * by date, by case) and its retention follow.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { newCaseDoc, type CaseDoc } from '../../domain/case-doc.js';
import { CaseStore } from '../../store/case-store.js';
import { FeeLedger } from '../../store/fee-ledger.js';
import { DeskKeys } from '../../store/keys.js';
import { ledgerWrites } from '../../workflows/fee-ledger.js';
import { afterBillingWord } from '../../workflows/fee-steps.js';
import { useSingleAndClusterRedis } from '../support/single-and-cluster-redis.js';

const topologies = useSingleAndClusterRedis();
const AT = new Date('2026-11-03T10:00:00Z');
const DAY = 86_400_000;

function assessed(): { prev: CaseDoc; next: CaseDoc } {
  const prev = newCaseDoc({ number: '700001', program: 'altigen', partnerId: 'P-100', systemKey: 'S2', at: AT });
  prev.card = { last4: '1111', token: 'tok_a' };
  const next: CaseDoc = {
    ...structuredClone(prev),
    state: 'approved',
    fees: [
      { rule: 'ALT-4', amount: '300.00', currency: 'USD', description: 'fee' },
      { rule: 'ALT-10', amount: '135.62', currency: 'USD', description: 'SA', licenseKey: 'LK-1' },
    ],
  };
  return { prev, next };
}

describe.each([
  ['one Redis server', topologies.single],
  ['a three-node Redis Cluster', topologies.clustered],
])('on %s', (_name, client) => {
  it('DSK-11 the decision that assesses fees writes their entries in the same commit; billing moves them, checked first', async () => {
    const redis: Redis = client();
    const keys = new DeskKeys(`fees-${randomUUID()}`);
    const cases = new CaseStore(redis, keys);
    const ledger = new FeeLedger(redis, keys);
    const { prev, next } = assessed();
    const first = ledgerWrites(undefined, prev, [], AT.toISOString(), 400 * DAY);
    expect(await cases.commit({ doc: first.doc, expectedVersion: 0, audit: [], ledger: first.writes })).toMatchObject({
      ok: true,
    });
    const a = ledgerWrites(first.doc, next, [], AT.toISOString(), 400 * DAY);
    expect(await cases.commit({ doc: a.doc, expectedVersion: 1, audit: [], ledger: a.writes })).toMatchObject({
      ok: true,
    });
    expect((await ledger.list({ state: 'due' })).map((e) => [e.id, e.amount])).toEqual([
      ['700001-1', '300.00'],
      ['700001-2', '135.62'],
    ]);
    // A commit refused for its version writes no entry.
    const stale = ledgerWrites(first.doc, { ...next, feeSeq: 5 }, [], AT.toISOString(), 400 * DAY);
    expect(await cases.commit({ doc: stale.doc, expectedVersion: 1, audit: [], ledger: stale.writes })).toMatchObject({
      ok: false,
      conflict: true,
    });
    expect(await ledger.list()).toHaveLength(2);

    const charged = afterBillingWord(a.doc, 'charged', 'bill@example.com', { ref: 'T-1' }, AT);
    const c = ledgerWrites(a.doc, charged.doc, [], AT.toISOString(), 400 * DAY);
    // The ledger says otherwise than the decision read (an entry waived meanwhile): nothing at all is written.
    const raw = await redis.hget(keys.fees(), '700001-2');
    await redis.hset(keys.fees(), '700001-2', raw!.replace('"state":"due"', '"state":"waived"'));
    const refused = await cases.commit({ doc: c.doc, expectedVersion: 2, audit: [], ledger: c.writes });
    expect(refused).toEqual({ ok: false, conflict: false, reason: 'fee 700001-2 is waived, not due' });
    expect((await ledger.list({ case: '700001' })).map((e) => e.state)).toEqual(['due', 'waived']);
    expect((await cases.get('700001'))?.version).toBe(2);
    await redis.hset(keys.fees(), '700001-2', raw!);

    expect(await cases.commit({ doc: c.doc, expectedVersion: 2, audit: [], ledger: c.writes })).toMatchObject({
      ok: true,
    });
    const after = await ledger.list({ case: '700001' });
    expect(after.map((e) => [e.state, e.history.map((h) => h.state), e.history[1]?.ref])).toEqual([
      ['charged', ['due', 'charged'], 'T-1'],
      ['charged', ['due', 'charged'], 'T-1'],
    ]);
    expect(await ledger.list({ state: 'due' })).toEqual([]);
    expect((await ledger.list({ state: 'charged', case: '700001' })).map((e) => e.id)).toEqual([
      '700001-1',
      '700001-2',
    ]);
    expect(await ledger.list({ since: new Date(AT.getTime() + 1) })).toEqual([]);

    // Retention: gone from the ledger and every index once its end has passed.
    expect(await ledger.prune(new Date(AT.getTime() + 399 * DAY))).toBe(0);
    expect(await ledger.prune(new Date(AT.getTime() + 401 * DAY))).toBe(2);
    expect(await ledger.list()).toEqual([]);
    expect(await redis.exists(keys.caseFees('700001'), keys.feesByState('charged'), keys.feesByTime())).toBe(0);
  });
});
