import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryStore } from '../../registry/registry-store.js';
import type { RegistryDocument, RegistrySnapshot } from '../../domain/registry-model.js';
import { RegistryInvalidError } from '../../registry/validate.js';
import { DeskKeys } from '../../store/keys.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import type { BrokenDocument } from '../support/registry-edit.js';

let server: RunningRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

function desk(prefix = `reg-${randomUUID()}`) {
  const keys = new DeskKeys(prefix);
  return { keys, store: new RegistryStore(redis, keys) };
}

/** Two partners with everything docs/registry-file.md describes, a disabled system and a forfeited license included. */
function fixture(): RegistryDocument {
  return {
    catalog: [
      {
        sku: 'ALTI-STATION-10',
        kind: 'station',
        count: 10,
        lifecycle: 'orderable',
        listPrice: { USD: 1500 },
        saYearly: { USD: 150 },
      },
      {
        sku: 'ALTI-ACM-AGENT-5',
        kind: 'agent',
        count: 5,
        lifecycle: 'orderable',
        listPrice: { USD: 2000 },
        saYearly: { USD: 200 },
      },
      { sku: 'IPO-R11-PWR-USER', kind: 'user', count: 1, lifecycle: 'end-of-sale', listPrice: { GBP: 120, EUR: 140 } },
      { sku: 'AUD-CS-SESSIONS', kind: 'session', count: 1, lifecycle: 'orderable', listPrice: { USD: 10 } },
    ],
    partners: [
      {
        id: 'P-100',
        name: 'Acme Telecom',
        currency: 'USD',
        contacts: ['ops@acme.example'],
        standardDiscountPct: 20,
        pricingExceptions: { 'ALTI-STATION-10': 900 },
      },
      { id: 'P-200', name: 'Bolt Networks', currency: 'GBP', contacts: ['desk@bolt.example'], standardDiscountPct: 15 },
    ],
    endUsers: [
      { id: 'EU-1', name: 'Globex', partnerId: 'P-100' },
      { id: 'EU-2', name: 'Initech', partnerId: 'P-200' },
      { id: 'EU-3', name: 'Umbrella', partnerId: 'P-100' },
    ],
    systems: [
      {
        key: 'SYS-0001',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: '2027-06-30',
      },
      {
        key: 'SYS-0002',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max2000',
        platform: 'virtual',
        registered: true,
        saExpiresOn: null,
        disabled: true,
      },
      { key: 'SYS-0101', endUserId: 'EU-2', program: 'avaya-swap', registered: false },
      { key: 'SYS-0102', endUserId: 'EU-2', program: 'avaya-swap', registered: true, disabled: false },
      { key: 'M-0001', endUserId: 'EU-3', program: 'audium', registered: true },
    ],
    licenses: [
      { key: 'LK-0001', systemKey: 'SYS-0001', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-0101', systemKey: 'SYS-0101', sku: 'IPO-R11-PWR-USER', quantity: 3 },
      { key: 'LK-0002', systemKey: 'SYS-0001', sku: 'ALTI-ACM-AGENT-5', quantity: 2, forfeited: false },
      { key: 'LK-0003', systemKey: 'SYS-0002', sku: 'ALTI-ACM-AGENT-5', quantity: 1, forfeited: true },
      { key: 'LK-0102', systemKey: 'SYS-0102', sku: 'IPO-R11-PWR-USER', quantity: 1 },
      { key: 'LK-AUD-1', systemKey: 'M-0001', sku: 'AUD-CS-SESSIONS', quantity: 1 },
    ],
    cases: [
      {
        number: '123456',
        partnerId: 'P-100',
        systemKey: 'SYS-0002',
        program: 'altigen',
        openedAt: '2026-11-20T09:00:00Z',
      },
      {
        number: '223344',
        partnerId: 'P-200',
        systemKey: 'SYS-0101',
        program: 'avaya-swap',
        openedAt: '2026-11-21T09:00:00Z',
        softwareOnlyUpgrade: true,
      },
    ],
    accounts: [
      {
        id: 'LV-RES-1',
        partnerId: 'P-100',
        parentId: null,
        contacts: ['lic@reseller.example'],
        linkedAccountIds: ['LV-RES-2'],
        available: { 'LV-ASR-PORT': 10 },
        deployed: { 'LV-ASR-PORT': 2 },
      },
      {
        id: 'LV-RES-2',
        partnerId: 'P-200',
        parentId: null,
        contacts: [],
        linkedAccountIds: [],
        available: { 'LV-ASR-PORT': 4 },
        deployed: {},
      },
      {
        id: 'LV-EU-9',
        partnerId: 'P-100',
        parentId: 'LV-RES-1',
        contacts: ['it@enduser.example'],
        linkedAccountIds: [],
        available: {},
        deployed: {},
      },
    ],
    pools: [
      { id: 'CS-POOL-1', endUserId: 'EU-1', sku: 'AUD-CS-SESSIONS', sessions: 100 },
      { id: 'CS-POOL-2', endUserId: 'EU-2', sku: 'AUD-CS-SESSIONS', sessions: 20 },
    ],
    installations: [
      {
        machineId: 'M-0001',
        endUserId: 'EU-1',
        poolId: 'CS-POOL-1',
        sessions: 10,
        activatedAt: '2026-11-01T10:00:00Z',
        lastReactivatedAt: null,
      },
      {
        machineId: 'M-0201',
        endUserId: 'EU-2',
        poolId: 'CS-POOL-2',
        sessions: 5,
        activatedAt: '2026-11-02T10:00:00Z',
        lastReactivatedAt: '2026-11-10T10:00:00Z',
      },
    ],
  };
}

/** A second, different registry (no optional lists) for re-import. */
function otherFixture(): RegistryDocument {
  return {
    catalog: [{ sku: 'ALTI-STATION-10', kind: 'station', count: 10, lifecycle: 'orderable', listPrice: { USD: 1500 } }],
    partners: [{ id: 'P-500', name: 'Zed', currency: 'USD', contacts: [], standardDiscountPct: 10 }],
    endUsers: [{ id: 'EU-50', name: 'Hooli', partnerId: 'P-500' }],
    systems: [{ key: 'SYS-5000', endUserId: 'EU-50', program: 'altigen', registered: true }],
    licenses: [{ key: 'LK-5000', systemKey: 'SYS-5000', sku: 'ALTI-STATION-10', quantity: 4 }],
    cases: [],
  };
}

async function scanKeys(pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out.sort();
}

/** Every key of a desk with its value, to prove nothing changed. */
async function dump(keys: DeskKeys): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of await scanKeys(`${keys.tag}*`)) {
    const type = await redis.type(key);
    if (type === 'string') out[key] = await redis.get(key);
    else if (type === 'hash') out[key] = await redis.hgetall(key);
    else if (type === 'list') out[key] = await redis.lrange(key, 0, -1);
    else if (type === 'set') out[key] = (await redis.smembers(key)).sort();
    else out[key] = type;
  }
  return out;
}

/** What the Lua scripts do: a move, a forfeit, a SWAP's disable, holdings and sessions. */
async function changeState(keys: DeskKeys) {
  await redis
    .multi()
    .hset(keys.regLicenseSystem(), 'LK-0101', 'SYS-0001') // P-200's license moved to a P-100 system
    .srem(keys.regSystemLicenses('SYS-0101'), 'LK-0101')
    .sadd(keys.regSystemLicenses('SYS-0001'), 'LK-0101')
    .sadd(keys.regForfeited(), 'LK-0002')
    .srem(keys.regSystemLicenses('SYS-0001'), 'LK-0002')
    .sadd(keys.regDisabled(), 'SYS-0001')
    .hset(
      keys.regAccountHoldings(),
      'LV-RES-1',
      JSON.stringify({ available: { 'LV-ASR-PORT': 7 }, deployed: { 'LV-ASR-PORT': 5 } }),
    )
    .hset(
      keys.regInstallationState(),
      'M-0001',
      JSON.stringify({ sessions: 12, lastReactivatedAt: '2026-12-01T08:00:00Z' }),
    )
    .incr(keys.regVersion())
    .exec();
}

const ids = (m: ReadonlyMap<string, unknown>) => [...m.keys()];

describe('RegistryStore import/export', () => {
  it('export right after import gives back the imported document, in order', async () => {
    const { store } = desk();
    expect(await store.isEmpty()).toBe(true);
    const doc = fixture();
    await store.import(doc);
    expect(await store.isEmpty()).toBe(false);
    const out = await store.export();
    expect(out).toEqual(doc);
    expect(JSON.stringify(out)).toBe(JSON.stringify(doc)); // same order, same field order, absent stays absent
    expect(await store.getCase('223344')).toEqual(doc.cases[1]);
    expect(await store.getCase('999999')).toBeUndefined();
    expect(await store.version()).toBe(1);
  });

  it('an empty registry exports as empty lists, optional lists absent', async () => {
    const { store } = desk();
    expect(await store.export()).toEqual({
      catalog: [],
      partners: [],
      endUsers: [],
      systems: [],
      licenses: [],
      cases: [],
    });
    const empty: RegistryDocument = {
      catalog: [],
      partners: [],
      endUsers: [],
      systems: [],
      licenses: [],
      cases: [],
      pools: [],
    };
    await store.import(empty);
    expect(await store.isEmpty()).toBe(false);
    expect(await store.export()).toEqual(empty);
  });

  it('exports the mutable state merged in, and an import of the export gives the same registry', async () => {
    const { keys, store } = desk();
    await store.import(fixture());
    await changeState(keys);
    const out = await store.export();
    const sys = new Map(out.systems.map((s) => [s.key, s]));
    expect(sys.get('SYS-0001')).toEqual({ ...fixture().systems[0], disabled: true });
    expect(sys.get('SYS-0002')?.disabled).toBe(true);
    expect(sys.get('SYS-0101')).not.toHaveProperty('disabled');
    expect(sys.get('SYS-0102')?.disabled).toBe(false);
    const lic = new Map(out.licenses.map((l) => [l.key, l]));
    expect(lic.get('LK-0101')).toEqual({ key: 'LK-0101', systemKey: 'SYS-0001', sku: 'IPO-R11-PWR-USER', quantity: 3 });
    expect(lic.get('LK-0002')?.forfeited).toBe(true);
    expect(lic.get('LK-0003')?.forfeited).toBe(true);
    expect(lic.get('LK-0001')).not.toHaveProperty('forfeited');
    expect(out.accounts?.[0]).toMatchObject({ available: { 'LV-ASR-PORT': 7 }, deployed: { 'LV-ASR-PORT': 5 } });
    expect(out.installations?.[0]).toMatchObject({ sessions: 12, lastReactivatedAt: '2026-12-01T08:00:00Z' });

    // into a fresh desk, and back over the same desk
    const fresh = desk();
    await fresh.store.import(out);
    expect(await fresh.store.export()).toEqual(out);
    // the same state (the documents differ: they now hold the state as it was exported)
    const stateOnly = async (k: DeskKeys) =>
      Object.fromEntries(
        Object.entries(await dumpWithoutTag(k)).filter(
          ([key]) => !key.startsWith('reg:doc:') && key !== 'reg:version' && key !== 'reg:importGen',
        ),
      );
    expect(await stateOnly(fresh.keys)).toEqual(await stateOnly(keys));
    await store.import(out);
    expect(await store.export()).toEqual(out);
    const full = await store.snapshot();
    expect(full.licenses.get('LK-0101')?.systemKey).toBe('SYS-0001');
  });

  it('a bad file changes nothing in Redis', async () => {
    const { keys, store } = desk();
    const bad = fixture() as unknown as BrokenDocument;
    bad.systems[3].saExpiresOn = '2027-13-01';
    bad.licenses[0].systemKey = 'SYS-NOPE';
    bad.partners[1].colour = 'red';

    await expect(store.import(bad as RegistryDocument)).rejects.toBeInstanceOf(RegistryInvalidError);
    expect(await scanKeys(`${keys.tag}*`)).toEqual([]);

    await store.import(fixture());
    await changeState(keys);
    const before = await dump(keys);
    const err = await store.import(bad as RegistryDocument).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RegistryInvalidError);
    expect((err as RegistryInvalidError).code).toBe('E_REGISTRY_INVALID');
    expect((err as RegistryInvalidError).details).toEqual([
      'partners[1].colour: unknown field',
      'systems[3].saExpiresOn: not a date',
      'licenses[0].systemKey: no system "SYS-NOPE"',
    ]);
    expect(await dump(keys)).toEqual(before);
  });

  it('a re-import replaces everything: no stale license sets or lists left', async () => {
    const { keys, store } = desk();
    await store.import(fixture());
    await changeState(keys);
    // a license moved to a system the registry does not know (as a move could)
    await redis
      .multi()
      .hset(keys.regLicenseSystem(), 'LK-0102', 'SYS-ELSEWHERE')
      .srem(keys.regSystemLicenses('SYS-0102'), 'LK-0102')
      .sadd(keys.regSystemLicenses('SYS-ELSEWHERE'), 'LK-0102')
      .exec();
    await store.import(otherFixture());

    expect(await store.export()).toEqual(otherFixture());
    expect(await scanKeys(keys.regSystemLicenses('*'))).toEqual([keys.regSystemLicenses('SYS-5000')]);
    expect(await redis.smembers(keys.regSystemLicenses('SYS-5000'))).toEqual(['LK-5000']);
    expect(await redis.hgetall(keys.regLicenseSystem())).toEqual({ 'LK-5000': 'SYS-5000' });
    expect(await redis.smembers(keys.regDisabled())).toEqual([]);
    expect(await redis.smembers(keys.regForfeited())).toEqual([]);
    for (const c of ['accounts', 'pools', 'installations'] as const) {
      expect(await redis.exists(keys.regDoc(c), keys.regOrder(c))).toBe(0);
    }
    expect(await redis.exists(keys.regAccountHoldings(), keys.regInstallationState())).toBe(0);
    expect(Object.keys(await redis.hgetall(keys.regPartnerIndex()))).toEqual(['P-500']);
    expect(await store.version()).toBe(3); // import, changeState, import
    const snap = await store.snapshot();
    expect(ids(snap.systems)).toEqual(['SYS-5000']);
    expect(ids(snap.accounts)).toEqual([]);
  });
});

/** A desk's keys and values with its tag removed, to compare two desks. */
async function dumpWithoutTag(keys: DeskKeys): Promise<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(await dump(keys)).map(([k, v]) => [k.slice(keys.tag.length + 1), v]));
}

describe('RegistryStore snapshots', () => {
  /** The Redis commands on this desk's keys while `read` runs. */
  async function commandsDuring(keys: DeskKeys, read: () => Promise<unknown>): Promise<string[][]> {
    const seen: string[][] = [];
    const monitor = await redis.duplicate().monitor();
    const marker = `end-${randomUUID()}`;
    const done = new Promise<void>((resolve) => {
      monitor.on('monitor', (_time: string, args: string[]) => {
        if (args[0]?.toLowerCase() === 'echo' && args[1] === marker) resolve();
        else seen.push(args);
      });
    });
    await read();
    await redis.echo(marker);
    await done;
    monitor.disconnect();
    return seen.filter((a) => a.some((x) => x.startsWith(keys.tag)));
  }

  /** What a process that never read this registry before sees. */
  const coldSnapshot = (keys: DeskKeys, partnerId: string) =>
    new RegistryStore(redis, keys).snapshotForPartner(partnerId);

  /** The full snapshot restricted to one partner, the way snapshotForPartner should see it. */
  function expectedFor(full: RegistrySnapshot, partnerId: string) {
    const endUsers = [...full.endUsers.values()].filter((u) => u.partnerId === partnerId).map((u) => u.id);
    const systems = [...full.systems.values()].filter((s) => endUsers.includes(s.endUserId)).map((s) => s.key);
    return {
      catalog: ids(full.catalog),
      partners: [partnerId],
      endUsers,
      systems,
      licenses: [...full.licenses.values()].filter((l) => systems.includes(l.systemKey)).map((l) => l.key),
      cases: [...full.cases.values()].filter((c) => c.partnerId === partnerId).map((c) => c.number),
      accounts: [...full.accounts.values()].filter((a) => a.partnerId === partnerId).map((a) => a.id),
      pools: [...full.pools.values()].filter((p) => endUsers.includes(p.endUserId)).map((p) => p.id),
      installations: [...full.installations.values()]
        .filter((i) => endUsers.includes(i.endUserId))
        .map((i) => i.machineId),
    };
  }

  const shape = (s: RegistrySnapshot) =>
    Object.fromEntries(Object.entries(s).map(([k, m]) => [k, ids(m as Map<string, unknown>)]));

  it('snapshot() is the whole registry as it is now', async () => {
    const { keys, store } = desk();
    await store.import(fixture());
    await changeState(keys);
    const snap = await store.snapshot();
    expect(ids(snap.licenses)).toEqual(fixture().licenses.map((l) => l.key));
    expect(snap.systems.get('SYS-0001')?.disabled).toBe(true);
    expect(snap.licenses.get('LK-0002')?.forfeited).toBe(true);
    expect(snap.accounts.get('LV-RES-1')?.available).toEqual({ 'LV-ASR-PORT': 7 });
    expect(snap.installations.get('M-0001')?.sessions).toBe(12);
  });

  it("snapshotForPartner loads that partner's part only, with the current state", async () => {
    const { keys, store } = desk();
    await store.import(fixture());
    await changeState(keys);
    const full = await store.snapshot();

    const p100 = await store.snapshotForPartner('P-100');
    expect(shape(p100)).toEqual(expectedFor(full, 'P-100'));
    expect(shape(p100)).toEqual({
      catalog: ['ALTI-STATION-10', 'ALTI-ACM-AGENT-5', 'IPO-R11-PWR-USER', 'AUD-CS-SESSIONS'],
      partners: ['P-100'],
      endUsers: ['EU-1', 'EU-3'],
      systems: ['SYS-0001', 'SYS-0002', 'M-0001'],
      licenses: ['LK-0001', 'LK-0101', 'LK-0002', 'LK-0003', 'LK-AUD-1'], // file order; LK-0101 moved in
      cases: ['123456'],
      accounts: ['LV-RES-1', 'LV-EU-9'],
      pools: ['CS-POOL-1'],
      installations: ['M-0001'],
    });
    for (const [name, m] of Object.entries(p100) as Array<[keyof RegistrySnapshot, Map<string, unknown>]>) {
      for (const [id, v] of m) expect(v, `${name} ${id}`).toEqual(full[name].get(id));
    }
    expect(p100.licenses.get('LK-0101')?.systemKey).toBe('SYS-0001');
    expect(p100.licenses.get('LK-0002')?.forfeited).toBe(true);
    expect(p100.systems.get('SYS-0001')?.disabled).toBe(true);

    const p200 = await store.snapshotForPartner('P-200');
    expect(shape(p200)).toEqual(expectedFor(full, 'P-200'));
    expect(ids(p200.licenses)).toEqual(['LK-0102']); // LK-0101 has left
    expect(ids(p200.systems)).toEqual(['SYS-0101', 'SYS-0102']);

    const nobody = await store.snapshotForPartner('P-404');
    expect(shape(nobody)).toEqual({ ...expectedFor(full, 'P-404'), partners: [] });
  });

  it("snapshotForPartner never reads another partner's systems or licenses", async () => {
    const { keys, store } = desk();
    await store.import(fixture());
    const commands = await commandsDuring(keys, () => store.snapshotForPartner('P-100'));
    expect(commands.length).toBeGreaterThan(0);
    const text = commands.map((a) => a.join(' ')).join('\n');
    for (const other of [
      'P-200',
      'EU-2',
      'SYS-0101',
      'SYS-0102',
      'LK-0101',
      'LK-0102',
      'LV-RES-2',
      'CS-POOL-2',
      'M-0201',
      '223344',
    ]) {
      expect(text).not.toContain(other);
    }
    for (const c of ['systems', 'licenses', 'endUsers', 'cases', 'accounts', 'pools', 'installations'] as const) {
      expect(commands.some((a) => a[0]?.toLowerCase() === 'hgetall' && a[1] === keys.regDoc(c))).toBe(false);
    }
    expect(commands.some((a) => a[0]?.toLowerCase() === 'hgetall' && a[1] === keys.regLicenseSystem())).toBe(false);
  });

  it('a second snapshot of a partner reads only the state that changes between imports, and sees every change of it', async () => {
    const { keys, store } = desk();
    await store.import(fixture());
    await store.snapshotForPartner('P-100');
    await changeState(keys); // LK-0101 moves onto SYS-0001, LK-0002 forfeited, SYS-0001 disabled, holdings, sessions

    let warm: RegistrySnapshot | undefined;
    const commands = await commandsDuring(keys, async () => {
      warm = await store.snapshotForPartner('P-100');
    });
    expect(warm).toEqual(await coldSnapshot(keys, 'P-100'));
    expect(warm!.licenses.get('LK-0101')?.systemKey).toBe('SYS-0001');
    expect(warm!.systems.get('SYS-0001')?.disabled).toBe(true);
    expect(warm!.accounts.get('LV-RES-1')?.available).toEqual({ 'LV-ASR-PORT': 7 });
    expect(warm!.installations.get('M-0001')?.sessions).toBe(12);
    // Only the license that arrived since is read as a document; nothing else as imported is sent again.
    const docReads = commands.filter(
      (a) => a[1]?.startsWith(keys.regDoc('catalog').replace(/catalog$/, '')) || a[1] === keys.regPartnerIndex(),
    );
    expect(docReads.map((a) => a.join(' '))).toEqual([`hmget ${keys.regDoc('licenses')} LK-0101`]);
    // The kept documents cannot be changed by a caller (the next case would see the change).
    expect(() => {
      (warm!.partners.get('P-100') as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      warm!.cases.get('123456')!.systemKey = 'SYS-0001';
    }).toThrow(TypeError);
  });

  it('a re-import, an emptied Redis imported again and a new installation each reach a process that kept the old documents', async () => {
    const { keys, store } = desk();
    await store.import(fixture());
    expect((await store.snapshotForPartner('P-100')).partners.get('P-100')?.contacts).toEqual(['ops@acme.example']);

    const changed = fixture();
    changed.partners[0]!.contacts = ['new@acme.example'];
    changed.systems[0]!.model = 'Max3000';
    await store.import(changed);
    let snap = await store.snapshotForPartner('P-100');
    expect(snap.partners.get('P-100')?.contacts).toEqual(['new@acme.example']);
    expect(snap.systems.get('SYS-0001')?.model).toBe('Max3000');
    expect(snap).toEqual(await coldSnapshot(keys, 'P-100'));

    // Redis emptied (a FLUSHALL, a restore from an old backup) and the registry imported again:
    // the new token can never be the one the process kept.
    const all = await scanKeys(`${keys.tag}*`);
    if (all.length > 0) await redis.del(...all);
    const again = fixture();
    again.partners[0]!.name = 'Acme Telecom Ltd';
    await store.import(again);
    snap = await store.snapshotForPartner('P-100');
    expect(snap.partners.get('P-100')?.name).toBe('Acme Telecom Ltd');
    expect(snap.systems.get('SYS-0001')?.model).toBe('Max1000');
    expect(snap).toEqual(await coldSnapshot(keys, 'P-100'));

    // A new installation (AUD-4) is a new document and a changed partner index.
    expect(
      await store.putInstallation(
        {
          machineId: 'M-0009',
          endUserId: 'EU-1',
          poolId: 'CS-POOL-1',
          sessions: 3,
          activatedAt: '2026-11-30T10:00:00Z',
          lastReactivatedAt: null,
        },
        await store.version(),
      ),
    ).toBe(true);
    snap = await store.snapshotForPartner('P-100');
    expect(snap.installations.get('M-0009')?.sessions).toBe(3);
    expect(snap).toEqual(await coldSnapshot(keys, 'P-100'));
  });

  it('every key the registry writes carries the {prefix} hash tag', async () => {
    await redis.flushall();
    const prefix = `ld-tag-${randomUUID()}`; // given without braces: wrapped
    const { keys, store } = desk(prefix);
    expect(keys.tag).toBe(`{${prefix}}`);
    await store.import(fixture());
    await changeState(keys);
    await store.import(await store.export());
    await store.snapshotForPartner('P-100');
    const all = await scanKeys('*');
    expect(all.length).toBeGreaterThan(10);
    for (const key of all) expect(key.startsWith(`{${prefix}}:`), key).toBe(true);
  });
});
