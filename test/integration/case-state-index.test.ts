/**
 * The case commit (store/lua/commitCase-28.lua) on a real Redis and a real
 * three-node Cluster: one JSON plan, every check before the first write, and
 * the per-state case indexes moved in the same atomic step. Also the one-time
 * backfill of cases stored before the indexes existed.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RegistryStore } from '../../registry/registry-store.js';
import type { RegistryDocument } from '../../domain/registry-model.js';
import { newCaseDoc, type CaseDoc } from '../../domain/case-doc.js';
import { allCases, recentCases } from '../../store/case-listing.js';
import { ensureStateIndex } from '../../store/case-state-index.js';
import { CaseStore } from '../../store/case-store.js';
import { DeskKeys } from '../../store/keys.js';
import { CASE_STATES, type CaseState } from '../../domain/case-states.js';
import { casesToSweep } from '../../workers/followup/sweep-cases.js';
import { altigenRegistry } from '../support/altigen-fixture.js';
import { programsRegistry } from '../support/programs-fixture.js';
import { useSingleAndClusterRedis } from '../support/single-and-cluster-redis.js';

const topologies = useSingleAndClusterRedis();

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function doc(number: string, receivedMinute: number): CaseDoc {
  return newCaseDoc({ number, program: 'altigen', partnerId: 'P-100', systemKey: 'SYS-0001', at: at(receivedMinute) });
}

function changed(d: CaseDoc, state: CaseState, minute: number): CaseDoc {
  return { ...d, state, updatedAt: at(minute).toISOString() };
}

async function desk(redis: Redis) {
  const keys = new DeskKeys(`idx-${randomUUID()}`);
  await new RegistryStore(redis, keys).import(altigenRegistry() as unknown as RegistryDocument);
  return { keys, cases: new CaseStore(redis, keys), registry: new RegistryStore(redis, keys) };
}

/** Which index sets hold the case, with its score. */
async function indexed(redis: Redis, keys: DeskKeys, number: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of CASE_STATES) {
    const score = await redis.zscore(keys.casesByState(s), number);
    if (score !== null) out[s] = Number(score);
  }
  return out;
}

describe.each([
  ['one Redis server', topologies.single],
  ['a three-node Redis Cluster', topologies.clustered],
])('on %s', (_name, client) => {
  it('a commit puts a new case in its state index and moves it atomically with the licenses', async () => {
    const redis = client();
    const { keys, cases, registry } = await desk(redis);
    const d = doc('300001', 0);
    expect(
      await cases.commit({
        doc: d,
        expectedVersion: 0,
        audit: [{ at: d.receivedAt, actor: 'test', action: 'created' }],
      }),
    ).toEqual({ ok: true, version: 1 });
    expect(await indexed(redis, keys, '300001')).toEqual({ received: T0 });

    const approved = changed(d, 'approved', 5);
    expect(
      (await cases.commit({ doc: approved, expectedVersion: 1, expectedStates: ['received'], audit: [] })).ok,
    ).toBe(true);
    const moved = changed(approved, 'transferred', 9);
    const res = await cases.commit({
      doc: moved,
      expectedVersion: 2,
      expectedStates: ['approved'],
      audit: [{ at: moved.updatedAt, actor: 'test', action: 'moved' }],
      moves: [
        { licenseKey: 'LK-0001', from: 'SYS-0001', to: 'SYS-0002' },
        { licenseKey: 'LK-0002', from: 'SYS-0001', to: 'SYS-0002' },
      ],
    });
    expect(res).toEqual({ ok: true, version: 3 });
    // Left received and approved, joined transferred with the time of this change.
    expect(await indexed(redis, keys, '300001')).toEqual({ transferred: T0 + 9 * 60_000 });
    expect(await redis.smembers(keys.regSystemLicenses('SYS-0002'))).toEqual(
      expect.arrayContaining(['LK-0001', 'LK-0002']),
    );
    const exported = await registry.export();
    expect(
      exported.licenses
        .filter((l) => l.systemKey === 'SYS-0002')
        .map((l) => l.key)
        .sort(),
    ).toEqual(['LK-0001', 'LK-0002']);
    expect((await cases.get('300001'))?.doc).toEqual(moved);
    expect(await redis.xlen(keys.audit())).toBe(2);
  });

  it('a failed check writes nothing: no license, no state, no index moves', async () => {
    const redis = client();
    const { keys, cases } = await desk(redis);
    const d = doc('300002', 0);
    await cases.commit({ doc: d, expectedVersion: 0, audit: [] });
    const before = {
      sys1: (await redis.smembers(keys.regSystemLicenses('SYS-0001'))).sort(),
      version: await redis.get(keys.regVersion()),
    };
    const res = await cases.commit({
      doc: changed(d, 'transferred', 3),
      expectedVersion: 1,
      audit: [{ at: d.receivedAt, actor: 'test', action: 'moved' }],
      // LK-0001 moves first and would pass; LK-0003 is not on SYS-0001, so nothing may be written.
      moves: [
        { licenseKey: 'LK-0001', from: 'SYS-0001', to: 'SYS-0002' },
        { licenseKey: 'LK-0003', from: 'SYS-0001', to: 'SYS-0002' },
      ],
    });
    expect(res).toEqual({
      ok: false,
      conflict: false,
      reason: 'license LK-0003 is not on SYS-0001 (it is on SYS-0003)',
    });
    expect((await redis.smembers(keys.regSystemLicenses('SYS-0001'))).sort()).toEqual(before.sys1);
    expect(await redis.get(keys.regVersion())).toBe(before.version);
    expect(await indexed(redis, keys, '300002')).toEqual({ received: T0 });
    expect((await cases.get('300002'))?.doc.state).toBe('received');
    expect(await redis.xlen(keys.audit())).toBe(0);

    // A stale version is a conflict, and changes nothing either.
    expect(await cases.commit({ doc: changed(d, 'held', 4), expectedVersion: 7, audit: [] })).toEqual({
      ok: false,
      conflict: true,
      version: 1,
      state: 'received',
    });
    expect(
      await cases.commit({ doc: changed(d, 'held', 4), expectedVersion: 1, expectedStates: ['approved'], audit: [] }),
    ).toEqual({ ok: false, conflict: true, version: 1, state: 'received' });
    expect(await indexed(redis, keys, '300002')).toEqual({ received: T0 });
  });

  it('SWP-5 a forfeit of a license moved since the review is refused before the first write (forfeit checks where the license is)', async () => {
    const redis = client();
    const { keys, cases, registry } = await desk(redis);
    const d = doc('300003', 0);
    await cases.commit({ doc: d, expectedVersion: 0, audit: [] });
    const before = {
      sys1: (await redis.smembers(keys.regSystemLicenses('SYS-0001'))).sort(),
      sys3: (await redis.smembers(keys.regSystemLicenses('SYS-0003'))).sort(),
      version: await redis.get(keys.regVersion()),
    };
    // The review planned LK-0003's forfeit on SYS-0001; it is on SYS-0003 now.
    const res = await cases.commit({
      doc: changed(d, 'transferred', 3),
      expectedVersion: 1,
      audit: [{ at: d.receivedAt, actor: 'test', action: 'moved' }],
      moves: [{ licenseKey: 'LK-0001', from: 'SYS-0001', to: 'SYS-0002' }],
      disableSystems: ['SYS-0001'],
      forfeit: [{ licenseKey: 'LK-0003', from: 'SYS-0001' }],
    });
    expect(res).toEqual({
      ok: false,
      conflict: false,
      reason: 'license LK-0003 is not on SYS-0001 (it is on SYS-0003)',
    });
    expect(await redis.smembers(keys.regForfeited())).not.toContain('LK-0003');
    expect((await redis.smembers(keys.regSystemLicenses('SYS-0001'))).sort()).toEqual(before.sys1);
    expect((await redis.smembers(keys.regSystemLicenses('SYS-0003'))).sort()).toEqual(before.sys3);
    expect(await redis.sismember(keys.regDisabled(), 'SYS-0001')).toBe(0);
    expect(await redis.get(keys.regVersion())).toBe(before.version);
    expect((await cases.get('300003'))?.doc.state).toBe('received');
    const exported = await registry.export();
    expect(exported.licenses.find((l) => l.key === 'LK-0003')).toMatchObject({ systemKey: 'SYS-0003' });
    expect(exported.licenses.find((l) => l.key === 'LK-0003')?.forfeited).not.toBe(true);

    // Where the plan says it is, the forfeit goes through.
    const ok = await cases.commit({
      doc: changed(d, 'transferred', 4),
      expectedVersion: 1,
      audit: [],
      forfeit: [{ licenseKey: 'LK-0003', from: 'SYS-0003' }],
    });
    expect(ok).toEqual({ ok: true, version: 2 });
    expect(await redis.smembers(keys.regForfeited())).toContain('LK-0003');
    expect(await redis.smembers(keys.regSystemLicenses('SYS-0003'))).not.toContain('LK-0003');
  });

  it('lists by state (newest change first), counts per state and lists the newest receipts, in pages', async () => {
    const redis = client();
    const { cases } = await desk(redis);
    // Ten cases received a minute apart; the even ones are held later, in reverse order.
    for (let i = 0; i < 10; i++) await cases.commit({ doc: doc(String(310000 + i), i), expectedVersion: 0, audit: [] });
    for (const i of [8, 6, 4, 2, 0]) {
      const stored = (await cases.get(String(310000 + i)))!;
      await cases.commit({ doc: changed(stored.doc, 'held', 100 - i), expectedVersion: stored.version, audit: [] });
    }
    const numbers = (docs: CaseDoc[]) => docs.map((d) => d.number);
    expect(numbers(await cases.listByState('held', 0, 3))).toEqual(['310000', '310002', '310004']);
    expect(numbers(await cases.listByState('held', 3, 3))).toEqual(['310006', '310008']);
    expect(numbers(await cases.listByState('received', 0, -1))).toEqual([
      '310009',
      '310007',
      '310005',
      '310003',
      '310001',
    ]);
    expect(await cases.listByState('held', 0, 0)).toEqual([]);
    expect(await cases.countByState()).toEqual(
      Object.fromEntries(CASE_STATES.map((s) => [s, s === 'held' || s === 'received' ? 5 : 0])),
    );
    expect(numbers(await cases.listRecent(0, 4))).toEqual(['310009', '310008', '310007', '310006']);
    expect(numbers(await cases.listRecent(8, 4))).toEqual(['310001', '310000']);
    // What `case list` and the console show: oldest receipt first, as before the indexes.
    expect(numbers(await allCases(cases))).toEqual(numbers(await cases.list()));
    expect(numbers(await allCases(cases, 'held'))).toEqual(['310000', '310002', '310004', '310006', '310008']);
    expect(numbers(await recentCases(cases, undefined, 3))).toEqual(['310007', '310008', '310009']);
    expect(numbers(await recentCases(cases, 'held', 2))).toEqual(['310000', '310002']);
  });
});

it('the timer sweep reads only open, approved and follow-up cases', async () => {
  const { cases } = await desk(topologies.single());
  const states: CaseState[] = [
    'received',
    'waiting-partner',
    'held',
    'approved',
    'transferred',
    'follow-up',
    'billed',
    'closed',
    'rejected',
  ];
  for (const [i, s] of states.entries()) {
    const d = doc(String(320000 + i), i);
    await cases.commit({ doc: d, expectedVersion: 0, audit: [] });
    if (s !== 'received') await cases.commit({ doc: changed(d, s, 50 + i), expectedVersion: 1, audit: [] });
  }
  const swept: string[] = [];
  for await (const d of casesToSweep(cases)) swept.push(d.state);
  expect(swept.sort()).toEqual(['approved', 'follow-up', 'held', 'received', 'waiting-partner']);
});

it('cases stored before the indexes are indexed once, by their state and last update; again it adds nothing', async () => {
  const keys = new DeskKeys(`idx-${randomUUID()}`);
  // The layout the commit wrote before: the case hash and the `cases` set only.
  const old = [changed(doc('330001', 0), 'held', 7), changed(doc('330002', 1), 'transferred', 8), doc('330003', 2)];
  for (const d of old) {
    await topologies.single().hset(keys.case(d.number), 'doc', JSON.stringify(d), 'state', d.state, 'version', '2');
    await topologies.single().zadd(keys.cases(), String(Date.parse(d.receivedAt)), d.number);
  }
  expect(await ensureStateIndex(topologies.single(), keys)).toBe(3);
  expect(await indexed(topologies.single(), keys, '330001')).toEqual({ held: T0 + 7 * 60_000 });
  expect(await indexed(topologies.single(), keys, '330002')).toEqual({ transferred: T0 + 8 * 60_000 });
  expect(await indexed(topologies.single(), keys, '330003')).toEqual({ received: T0 + 2 * 60_000 });
  expect(await ensureStateIndex(topologies.single(), keys)).toBe(0);
  // A store opened later lists them without any backfill call of its own.
  const cases = new CaseStore(topologies.single(), keys);
  expect((await cases.listByState('held', 0, -1)).map((d) => d.number)).toEqual(['330001']);
  // One more old case: the counts differ, the backfill runs and adds only it.
  const late = doc('330004', 3);
  await topologies
    .single()
    .hset(keys.case(late.number), 'doc', JSON.stringify(late), 'state', late.state, 'version', '1');
  await topologies.single().zadd(keys.cases(), String(Date.parse(late.receivedAt)), late.number);
  expect(await ensureStateIndex(topologies.single(), keys)).toBe(1);
  expect(await new CaseStore(topologies.single(), keys).countByState()).toMatchObject({
    received: 2,
    held: 1,
    transferred: 1,
  });
});

it('a plan with 300 audit entries, two moves and a disabled system is taken whole in one JSON argument', async () => {
  const { keys, cases } = await desk(topologies.single());
  const d = doc('340001', 0);
  await cases.commit({ doc: d, expectedVersion: 0, audit: [] });
  const audit = Array.from({ length: 300 }, (_, i) => ({
    at: d.receivedAt,
    actor: 'test',
    action: `step-${i}`,
    reason: 'x'.repeat(100),
  }));
  const res = await cases.commit({
    doc: changed(d, 'transferred', 2),
    expectedVersion: 1,
    audit,
    moves: [
      { licenseKey: 'LK-0003', from: 'SYS-0003', to: 'SYS-0004' },
      { licenseKey: 'LK-0004', from: 'SYS-0003', to: 'SYS-0004' },
    ],
    disableSystems: ['SYS-0003'],
  });
  expect(res).toEqual({ ok: true, version: 2 });
  expect(await topologies.single().xlen(keys.audit())).toBe(300);
  expect(await topologies.single().smembers(keys.regDisabled())).toEqual(['SYS-0003']);
  expect((await topologies.single().smembers(keys.regSystemLicenses('SYS-0004'))).sort()).toEqual([
    'LK-0003',
    'LK-0004',
  ]);
});

it('the plan carries any text whole: a document with accents, emoji and a lone surrogate comes back as written', async () => {
  const { cases } = await desk(topologies.single());
  const d: CaseDoc = {
    ...doc('350001', 0),
    findings: [
      { rule: 'ALT-1', outcome: 'pass', message: 'Zoë’s “Max1000” 🚀 \ud800 tab\tquote" backslash\\ [] {}' },
    ] as CaseDoc['findings'],
    forms: {},
  };
  expect(
    (
      await cases.commit({
        doc: d,
        expectedVersion: 0,
        audit: [{ at: d.receivedAt, actor: 'Zoë 🚀', action: 'created' }],
      })
    ).ok,
  ).toBe(true);
  expect((await cases.get('350001'))?.doc).toEqual(d);
});

it('LVX-2 account quantities: moved only when every transfer fits, into available or deployed', async () => {
  const keys = new DeskKeys(`idx-${randomUUID()}`);
  await new RegistryStore(topologies.single(), keys).import(programsRegistry() as unknown as RegistryDocument);
  const cases = new CaseStore(topologies.single(), keys);
  const holdings = async (id: string) =>
    JSON.parse((await topologies.single().hget(keys.regAccountHoldings(), id))!) as {
      available: Record<string, number>;
      deployed: Record<string, number>;
    };
  const d = { ...doc('360001', 0), program: 'lumenvox' as const, partnerId: 'P-300' };
  await cases.commit({ doc: d, expectedVersion: 0, audit: [] });
  // 8 fit, then 5 more do not (10 available): nothing of the plan is written.
  const tooMany = await cases.commit({
    doc: changed(d, 'transferred', 1),
    expectedVersion: 1,
    audit: [],
    accountTransfers: [
      { fromAccountId: 'LV-RES-1', toAccountId: 'LV-EU-9', product: 'LV-ASR-PORT', quantity: 8 },
      { fromAccountId: 'LV-RES-1', toAccountId: 'LV-RES-2', product: 'LV-ASR-PORT', quantity: 5 },
    ],
  });
  expect(tooMany).toEqual({
    ok: false,
    conflict: false,
    reason: 'account LV-RES-1 has only 2 LV-ASR-PORT available, not 5',
  });
  expect(await holdings('LV-RES-1')).toEqual({ available: { 'LV-ASR-PORT': 10 }, deployed: { 'LV-ASR-PORT': 2 } });
  const ok = await cases.commit({
    doc: changed(d, 'transferred', 2),
    expectedVersion: 1,
    audit: [],
    accountTransfers: [
      { fromAccountId: 'LV-RES-1', toAccountId: 'LV-EU-9', product: 'LV-ASR-PORT', quantity: 3, intoDeployed: true },
      { fromAccountId: 'LV-RES-1', toAccountId: 'LV-RES-2', product: 'LV-ASR-PORT', quantity: 4 },
    ],
  });
  expect(ok).toEqual({ ok: true, version: 2 });
  expect(await holdings('LV-RES-1')).toEqual({ available: { 'LV-ASR-PORT': 3 }, deployed: { 'LV-ASR-PORT': 2 } });
  expect((await holdings('LV-EU-9')).deployed).toEqual({ 'LV-ASR-PORT': 3 });
  expect((await holdings('LV-RES-2')).available).toEqual({ 'LV-ASR-PORT': 4 });
});
