/**
 * The registry in Redis (docs/registry-file.md). An import replaces the whole registry
 * in one MULTI/EXEC; reads go through MULTI so a snapshot is consistent.
 *
 * Stored shape (keys in DeskKeys):
 * - per collection `regDoc(c)` (hash id -> JSON of the entity as imported)
 *   and `regOrder(c)` (ids in file order); `regPresent` names the lists the
 *   file had, so optional lists stay absent on export;
 * - the mutable state, plain strings so Lua scripts change it with HSET/SADD:
 *   `regLicenseSystem`, `regSystemLicenses(sys)`, `regDisabled`,
 *   `regForfeited`, `regAccountHoldings`, `regInstallationState`;
 * - indexes built at import: `regLicenseSetSystems` (which per-system sets
 *   exist, so a re-import deletes them), `regPartnerIndex`, `regLicensePos`;
 * - `regImportGen`, a random token every import and every new installation
 *   sets, under which a process keeps the documents it read.
 *
 * A forfeited license is in `regForfeited` and in no per-system set (as the
 * commit script leaves it); `regLicenseSystem` keeps where it was.
 */
import { randomUUID } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import type { DeskKeys, RegistryCollection } from '../store/keys.js';
import { ID_FIELD } from './id-fields.js';
import { defineLuaCommands, queueLua } from '../store/lua-scripts.js';
import {
  snapshotOf,
  type Account,
  type CatalogItem,
  type EndUser,
  type Installation,
  type Partner,
  type Pool,
  type License,
  type RegistryCase,
  type RegistryDocument,
  type RegistrySnapshot,
  type System,
} from '../domain/registry-model.js';
import { assertValidRegistry } from './validate.js';
import { staleDifferences } from './stale-import.js';
import { CODES, DeskError, errors } from '../lib/errors.js';
import { ImportedDocsCache, type LicenseDoc, type PartnerDocs, type PartnerIndex } from './imported-docs-cache.js';

export const REGISTRY_COLLECTIONS = [
  'catalog',
  'partners',
  'endUsers',
  'systems',
  'licenses',
  'cases',
  'accounts',
  'pools',
  'installations',
] as const satisfies readonly RegistryCollection[];

const REQUIRED: ReadonlySet<RegistryCollection> = new Set([
  'catalog',
  'partners',
  'endUsers',
  'systems',
  'licenses',
  'cases',
]);

interface AccountHoldings {
  available: Account['available'];
  deployed: Account['deployed'];
}
interface InstallationState {
  sessions: number;
  lastReactivatedAt: string | null;
}

/** Fields per HSET/RPUSH/SADD command, so a big registry never builds one giant command. */
const CHUNK = 500;
const MAX_READ_ATTEMPTS = 10;

async function execAll(m: ChainableCommander): Promise<unknown[]> {
  const res = await m.exec();
  if (!res) throw new Error('registry transaction was aborted');
  return res.map(([err, v]) => {
    if (err) throw err;
    return v;
  });
}

/** A MULTI whose results are picked up by the getters `q` returns. */
function transaction(redis: Redis) {
  const m = redis.multi();
  let n = 0;
  let results: unknown[] = [];
  return {
    q<T>(queue: (m: ChainableCommander) => unknown): () => T {
      queue(m);
      const i = n++;
      return () => results[i] as T;
    },
    /** HMGET of `fields`, or nothing sent when there are none (HMGET needs at least one). */
    hmget(key: string, fields: readonly string[]): () => Array<string | null> {
      return fields.length === 0 ? () => [] : this.q<Array<string | null>>((m) => m.hmget(key, ...fields));
    },
    async run(): Promise<void> {
      results = n === 0 ? [] : await execAll(m);
    },
  };
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const parse = <T>(json: string): T => JSON.parse(json) as T;

// --- the mutable state merged into the entities as imported ---

function mergeSystem(s: System, disabled: ReadonlySet<string>): System {
  if (disabled.has(s.key)) return { ...s, disabled: true };
  return s.disabled === undefined ? s : { ...s, disabled: false };
}

function mergeLicense(l: License, systemKey: string | undefined, forfeited: ReadonlySet<string>): License {
  const out: License = { ...l, systemKey: systemKey ?? l.systemKey };
  if (forfeited.has(l.key)) out.forfeited = true;
  else if (l.forfeited !== undefined) out.forfeited = false;
  return out;
}

function mergeAccount(a: Account, holdings: string | null | undefined): Account {
  if (!holdings) return a;
  const h = parse<AccountHoldings>(holdings);
  return { ...a, available: h.available, deployed: h.deployed };
}

function mergeInstallation(i: Installation, state: string | null | undefined): Installation {
  if (!state) return i;
  const s = parse<InstallationState>(state);
  return { ...i, sessions: s.sessions, lastReactivatedAt: s.lastReactivatedAt };
}

function emptyDocument(): RegistryDocument {
  return { catalog: [], partners: [], endUsers: [], systems: [], licenses: [], cases: [] };
}

/**
 * An optimistic transaction on its own connection (WATCH holds per connection):
 * `attempt` watches what it reads, then answers a value without writing, or a
 * MULTI and the value it gives once executed. A MULTI a concurrent write
 * aborted is decided again from a fresh read.
 */
async function watched<T>(
  redis: Redis,
  attempt: (conn: Redis) => Promise<{ done: T } | { multi: ChainableCommander; then: T }>,
): Promise<T> {
  const conn = redis.duplicate();
  defineLuaCommands(conn);
  try {
    for (let i = 0; i < MAX_READ_ATTEMPTS; i++) {
      const step = await attempt(conn);
      if ('done' in step) {
        await conn.unwatch();
        return step.done;
      }
      const res = await step.multi.exec();
      if (res === null) continue; // the registry changed between the check and the write: check again
      for (const [err] of res) if (err) throw err;
      return step.then;
    }
    throw errors.E_CASE_CONFLICT('the registry');
  } finally {
    conn.disconnect();
  }
}

export class RegistryStore {
  /** This process's copy of documents as imported (registry/imported-docs-cache.ts). */
  private readonly cache = new ImportedDocsCache();

  /** `programIds`: the programs a case or system may name (default: domain/programs/index.ts). */
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
    private readonly programIds?: readonly string[],
  ) {
    defineLuaCommands(redis);
  }

  /** Every registry key with a fixed name (all but per-system license sets and regVersion). */
  private fixedKeys(): string[] {
    const k = this.keys;
    return [
      ...REGISTRY_COLLECTIONS.flatMap((c) => [k.regDoc(c), k.regOrder(c)]),
      k.regPresent(),
      k.regLicenseSystem(),
      k.regDisabled(),
      k.regForfeited(),
      k.regAccountHoldings(),
      k.regInstallationState(),
      k.regLicenseSetSystems(),
      k.regPartnerIndex(),
      k.regLicensePos(),
      k.regChanged(), // what the desk changed since the last import: this file is the new baseline
    ];
  }

  /**
   * Replaces the whole registry in one MULTI/EXEC. The document is validated
   * first (RegistryInvalidError, E_REGISTRY_INVALID): a bad one changes nothing.
   * A file that disagrees with what the desk changed since the last import is
   * refused with every difference named (E_REGISTRY_STALE), unless `replace`.
   * `extra` queues what must commit with the import (its audit entry, its
   * events), given the cases the file opens that the registry did not have.
   */
  async import(
    input: RegistryDocument,
    opts: {
      replace?: boolean;
      extra?: (m: ChainableCommander, newCases: RegistryCase[], overridden: string[]) => void;
      /** Only if the registry is still at this version (an update made from a read of it); else `moved`. */
      expectedVersion?: number;
      /** Change notes that stay after the import (an update keeps the desk's notes, and adds its own). */
      keepChanged?: Record<string, string>;
    } = {},
  ): Promise<{ replaced: string[]; moved?: true }> {
    const doc = assertValidRegistry(input, this.programIds);
    const k = this.keys;
    return watched<{ replaced: string[]; moved?: true }>(this.redis, async (conn) => {
      await conn.watch(k.regVersion(), k.regChanged());
      if (opts.expectedVersion !== undefined && (await this.versionOn(conn)) !== opts.expectedVersion)
        return { done: { replaced: [], moved: true as const } };
      const changed = await conn.hgetall(k.regChanged());
      const stale = staleDifferences(doc, changed);
      if (stale.length > 0 && !opts.replace) {
        await conn.unwatch();
        throw new DeskError(CODES.E_REGISTRY_STALE, [stale.join('\n')], stale);
      }
      const known = new Set(await conn.hkeys(k.regDoc('cases')));
      const m = conn.multi();
      this.queueImport(m, doc);
      const keep = Object.entries(opts.keepChanged ?? {});
      for (const part of chunks(keep)) m.hset(k.regChanged(), new Map(part));
      opts.extra?.(
        m,
        doc.cases.filter((c) => !known.has(c.number)),
        stale,
      );
      return { multi: m, then: { replaced: stale } };
    });
  }

  private queueImport(m: ChainableCommander, doc: RegistryDocument): void {
    const k = this.keys;

    // store/lua/clearLicenseSets-2.lua: the per-system sets of the registry being replaced
    queueLua(m, 'clearLicenseSets', [k.regLicenseSetSystems(), k.regLicenseSystem()], [k.regSystemLicenses('')]);
    m.del(...this.fixedKeys());

    const hset = (key: string, entries: Array<[string, string]>) => {
      for (const c of chunks(entries)) m.hset(key, new Map(c));
    };
    const sadd = (key: string, members: string[]) => {
      for (const c of chunks(members)) m.sadd(key, ...c);
    };

    const present = REGISTRY_COLLECTIONS.filter((c) => doc[c] !== undefined);
    m.sadd(k.regPresent(), ...present);
    for (const c of present) {
      const list = (doc[c] ?? []) as ReadonlyArray<Record<string, unknown>>;
      const idField = ID_FIELD[c];
      const ids = list.map((e) => String(e[idField]));
      hset(
        k.regDoc(c),
        list.map((e, i) => [ids[i] as string, JSON.stringify(e)]),
      );
      for (const part of chunks(ids)) m.rpush(k.regOrder(c), ...part);
    }

    // licenses: where each is, the per-system sets, forfeits, file position
    const bySystem = new Map<string, string[]>();
    const setSystems = new Set<string>(doc.systems.map((s) => s.key));
    for (const l of doc.licenses) {
      setSystems.add(l.systemKey);
      if (l.forfeited) continue;
      const on = bySystem.get(l.systemKey) ?? [];
      on.push(l.key);
      bySystem.set(l.systemKey, on);
    }
    hset(
      k.regLicenseSystem(),
      doc.licenses.map((l) => [l.key, l.systemKey]),
    );
    hset(
      k.regLicensePos(),
      doc.licenses.map((l, i) => [l.key, String(i)]),
    );
    for (const [sys, keys] of bySystem) sadd(k.regSystemLicenses(sys), keys);
    sadd(
      k.regForfeited(),
      doc.licenses.filter((l) => l.forfeited).map((l) => l.key),
    );
    sadd(k.regLicenseSetSystems(), [...setSystems]);
    sadd(
      k.regDisabled(),
      doc.systems.filter((s) => s.disabled).map((s) => s.key),
    );

    hset(
      k.regAccountHoldings(),
      (doc.accounts ?? []).map((a) => [
        a.id,
        JSON.stringify({ available: a.available, deployed: a.deployed } satisfies AccountHoldings),
      ]),
    );
    hset(
      k.regInstallationState(),
      (doc.installations ?? []).map((i) => [
        i.machineId,
        JSON.stringify({ sessions: i.sessions, lastReactivatedAt: i.lastReactivatedAt } satisfies InstallationState),
      ]),
    );
    hset(
      k.regPartnerIndex(),
      [...partnerIndexes(doc)].map(([p, idx]) => [p, JSON.stringify(idx)]),
    );

    m.incr(k.regVersion());
    m.set(k.regImportGen(), randomUUID()); // every process's copy of the old documents is now stale
  }

  /** The registry as it is now, in the imported file's order and shape. */
  async export(): Promise<RegistryDocument> {
    const k = this.keys;
    const t = transaction(this.redis);
    const cols = REGISTRY_COLLECTIONS.map((c) => ({
      c,
      docs: t.q<Record<string, string>>((m) => m.hgetall(k.regDoc(c))),
      order: t.q<string[]>((m) => m.lrange(k.regOrder(c), 0, -1)),
    }));
    const present = t.q<string[]>((m) => m.smembers(k.regPresent()));
    const licenseSystem = t.q<Record<string, string>>((m) => m.hgetall(k.regLicenseSystem()));
    const disabled = t.q<string[]>((m) => m.smembers(k.regDisabled()));
    const forfeited = t.q<string[]>((m) => m.smembers(k.regForfeited()));
    const holdings = t.q<Record<string, string>>((m) => m.hgetall(k.regAccountHoldings()));
    const instState = t.q<Record<string, string>>((m) => m.hgetall(k.regInstallationState()));
    await t.run();

    const has = new Set(present());
    const out: Record<string, unknown[]> = {};
    for (const { c, docs, order } of cols) {
      if (!REQUIRED.has(c) && !has.has(c)) continue;
      const d = docs();
      out[c] = order().flatMap((id) => (d[id] === undefined ? [] : [parse<unknown>(d[id])]));
    }
    const doc = { ...emptyDocument(), ...out } as RegistryDocument;

    const dis = new Set(disabled());
    const forf = new Set(forfeited());
    const where = licenseSystem();
    const hold = holdings();
    const inst = instState();
    doc.systems = doc.systems.map((s) => mergeSystem(s, dis));
    doc.licenses = doc.licenses.map((l) => mergeLicense(l, where[l.key], forf));
    if (doc.accounts) doc.accounts = doc.accounts.map((a) => mergeAccount(a, hold[a.id]));
    if (doc.installations) doc.installations = doc.installations.map((i) => mergeInstallation(i, inst[i.machineId]));
    return doc;
  }

  /** The whole registry, as it is now. */
  async snapshot(): Promise<RegistrySnapshot> {
    return snapshotOf(await this.export());
  }

  /**
   * The part of the registry one partner's request may touch: the catalog,
   * the partner, its end users, their systems, the licenses now on those
   * systems (forfeited ones included), the partner's cases, accounts, pools
   * and installations. Other partners' systems and licenses are not loaded.
   * Read in three MULTIs checked against regVersion, retried if it moved.
   */
  async snapshotForPartner(partnerId: string): Promise<RegistrySnapshot> {
    return (await this.versionedSnapshotForPartner(partnerId)).snapshot;
  }

  /**
   * snapshotForPartner with the registry version it was read at: while version() still says the same, reading
   * it again would give the same snapshot (every registry write bumps the version).
   */
  async versionedSnapshotForPartner(partnerId: string): Promise<{ snapshot: RegistrySnapshot; version: number }> {
    for (let attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
      const read = await this.tryPartnerSnapshot(partnerId);
      if (read) return read;
    }
    throw new Error(`the registry kept changing while reading partner ${partnerId}'s snapshot`);
  }

  private async tryPartnerSnapshot(
    partnerId: string,
  ): Promise<{ snapshot: RegistrySnapshot; version: number } | undefined> {
    const k = this.keys;
    // The partner's documents as imported, if this process read them under the token it last saw:
    // then only the state that changes between imports is read below (registry/imported-docs-cache.ts).
    const lastGen = this.cache.partnerGen(partnerId);

    // 1: the import token, the partner's index (unless kept) and the forfeited licenses
    const a = transaction(this.redis);
    const v1 = a.q<string | null>((m) => m.get(k.regVersion()));
    const gen = a.q<string | null>((m) => m.get(k.regImportGen()));
    const indexJson =
      lastGen === undefined ? a.q<string | null>((m) => m.hget(k.regPartnerIndex(), partnerId)) : () => null;
    const forfeitedKeys = a.q<string[]>((m) => m.smembers(k.regForfeited()));
    await a.run();
    const kept = lastGen !== undefined ? this.cache.partner(partnerId, gen()) : undefined;
    if (lastGen !== undefined && !kept) {
      this.cache.clear(); // re-imported (or a new installation) since: read everything again
      return undefined;
    }
    const idx: PartnerIndex =
      kept?.index ??
      (indexJson()
        ? parse<PartnerIndex>(indexJson() as string)
        : { endUsers: [], systems: [], cases: [], accounts: [], pools: [], installations: [] });
    const forfeitedList = forfeitedKeys();

    // 2: the partner's documents (unless kept) and the mutable state about them
    const b = transaction(this.redis);
    const docsUnlessKept = (key: string, fields: string[]): (() => Array<string | null>) =>
      kept ? () => [] : b.hmget(key, fields);
    const v2 = b.q<string | null>((m) => m.get(k.regVersion()));
    const catalogDocs = kept ? () => ({}) : b.q<Record<string, string>>((m) => m.hgetall(k.regDoc('catalog')));
    const catalogOrder = kept ? () => [] : b.q<string[]>((m) => m.lrange(k.regOrder('catalog'), 0, -1));
    const partner = kept ? () => null : b.q<string | null>((m) => m.hget(k.regDoc('partners'), partnerId));
    const endUsers = docsUnlessKept(k.regDoc('endUsers'), idx.endUsers);
    const systems = docsUnlessKept(k.regDoc('systems'), idx.systems);
    const cases = docsUnlessKept(k.regDoc('cases'), idx.cases);
    const accounts = docsUnlessKept(k.regDoc('accounts'), idx.accounts);
    const pools = docsUnlessKept(k.regDoc('pools'), idx.pools);
    const installations = docsUnlessKept(k.regDoc('installations'), idx.installations);
    const disabled =
      idx.systems.length === 0
        ? () => [] as number[]
        : b.q<number[]>((m) => m.smismember(k.regDisabled(), ...idx.systems));
    const holdings = b.hmget(k.regAccountHoldings(), idx.accounts);
    const instState = b.hmget(k.regInstallationState(), idx.installations);
    // The licenses on the partner's systems and where each is, in one script call
    // (store/lua/partnerLicenses-1.lua): a SUNION and an HMGET, not a SMEMBERS a system.
    const onSystems =
      idx.systems.length === 0
        ? () => [[], []] as [string[], Array<string | null>]
        : b.q<[string[], Array<string | null>]>((m) =>
            queueLua(
              m,
              'partnerLicenses',
              [k.regLicenseSystem(), ...idx.systems.map((s) => k.regSystemLicenses(s))],
              [],
            ),
          );
    const forfeitedWhere = b.hmget(k.regLicenseSystem(), forfeitedList);
    await b.run();

    const partnerSystems = new Set(idx.systems);
    const licenseAt = new Map<string, string>();
    const [onKeys, onAt] = onSystems();
    onKeys.forEach((l, i) => {
      const at = onAt[i];
      if (at) licenseAt.set(l, at);
    });
    const forfeited = new Set<string>();
    forfeitedWhere().forEach((sys, i) => {
      const l = forfeitedList[i];
      if (l !== undefined && sys !== null && partnerSystems.has(sys)) {
        licenseAt.set(l, sys);
        forfeited.add(l);
      }
    });
    const token = gen();
    const licenseKeys = [...licenseAt.keys()];
    const keptLicenses = new Map<string, LicenseDoc>();
    if (token !== null) {
      for (const key of licenseKeys) {
        const d = this.cache.license(key, token);
        if (d) keptLicenses.set(key, d);
      }
    }
    const toRead = licenseKeys.filter((key) => !keptLicenses.has(key));

    // 3: the documents (as imported) and file positions of licenses not kept
    const c = transaction(this.redis);
    const v3 = toRead.length === 0 ? v2 : c.q<string | null>((m) => m.get(k.regVersion()));
    const licenseDocs = c.hmget(k.regDoc('licenses'), toRead);
    const licensePos = c.hmget(k.regLicensePos(), toRead);
    await c.run();

    if (v1() !== v2() || v2() !== v3()) return undefined;

    // Every import and every new installation changes both the version and the token, so from
    // here on what was read belongs to `token` and may be kept under it.
    const pos = licensePos();
    licenseDocs().forEach((r, i) => {
      const key = toRead[i] as string;
      if (r === null) return;
      const doc: LicenseDoc = {
        license: parse<License>(r),
        pos: pos[i] == null ? Number.POSITIVE_INFINITY : Number(pos[i]),
      };
      keptLicenses.set(key, token === null ? doc : this.cache.keepLicense(token, key, doc, r.length));
    });
    const licenseRows = licenseKeys
      .flatMap((key) => {
        const d = keptLicenses.get(key);
        return d ? [{ key, ...d }] : [];
      })
      .sort((x, y) => x.pos - y.pos || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));

    const docs =
      kept ??
      this.readPartnerDocs(token, partnerId, idx, indexJson(), {
        catalogDocs: catalogDocs(),
        catalogOrder: catalogOrder(),
        partner: partner(),
        endUsers: endUsers(),
        systems: systems(),
        cases: cases(),
        accounts: accounts(),
        pools: pools(),
        installations: installations(),
      });
    const dis = new Set(idx.systems.filter((_, i) => disabled()[i] === 1));
    const hold = new Map(idx.accounts.map((id, i) => [id, holdings()[i]]));
    const inst = new Map(idx.installations.map((id, i) => [id, instState()[i]]));
    const doc: RegistryDocument = {
      catalog: docs.catalog,
      partners: docs.partner ? [docs.partner] : [],
      endUsers: docs.endUsers,
      systems: docs.systems.map((s) => mergeSystem(s, dis)),
      licenses: licenseRows.map(({ key, license }) => mergeLicense(license, licenseAt.get(key), forfeited)),
      cases: docs.cases,
      accounts: docs.accounts.map((acc) => mergeAccount(acc, hold.get(acc.id))),
      pools: docs.pools,
      installations: docs.installations.map((ins) => mergeInstallation(ins, inst.get(ins.machineId))),
    };
    return { snapshot: snapshotOf(doc), version: Number(v1() ?? 0) };
  }

  /** A partner's documents as read in step 2, kept under the import token when there is one. */
  private readPartnerDocs(
    token: string | null,
    partnerId: string,
    index: PartnerIndex,
    indexJson: string | null,
    raw: {
      catalogDocs: Record<string, string>;
      catalogOrder: string[];
      partner: string | null;
      endUsers: Array<string | null>;
      systems: Array<string | null>;
      cases: Array<string | null>;
      accounts: Array<string | null>;
      pools: Array<string | null>;
      installations: Array<string | null>;
    },
  ): PartnerDocs {
    let bytes = (indexJson?.length ?? 0) + (raw.partner?.length ?? 0);
    const docs = <T>(rows: Array<string | null>): T[] =>
      rows.flatMap((r) => {
        if (r === null) return [];
        bytes += r.length;
        return [parse<T>(r)];
      });
    const cat = raw.catalogDocs;
    const out: PartnerDocs = {
      index,
      catalog: docs<CatalogItem>(raw.catalogOrder.map((sku) => cat[sku] ?? null)),
      partner: raw.partner ? parse<Partner>(raw.partner) : undefined,
      endUsers: docs<EndUser>(raw.endUsers),
      systems: docs<System>(raw.systems),
      cases: docs<RegistryCase>(raw.cases),
      accounts: docs<Account>(raw.accounts),
      pools: docs<Pool>(raw.pools),
      installations: docs<Installation>(raw.installations),
    };
    return token === null ? out : this.cache.keepPartner(token, partnerId, out, bytes);
  }

  /**
   * Writes one installation (an Audium activation: AUD-3, AUD-4) if the
   * registry is still at `expectedVersion`, so two claims on one pool can never
   * both pass on the same sessions. A new machine joins the registry's
   * installations, in file order, and its partner's index. False on a race.
   */
  async putInstallation(
    inst: Installation,
    expectedVersion: number,
    extra?: (m: ChainableCommander) => void,
  ): Promise<boolean> {
    const k = this.keys;
    const conn = this.redis.duplicate();
    try {
      await conn.watch(k.regVersion(), k.regPartnerIndex());
      if ((await this.versionOn(conn)) !== expectedVersion) return false;
      const known = (await conn.hexists(k.regDoc('installations'), inst.machineId)) === 1;
      const endUser = await conn.hget(k.regDoc('endUsers'), inst.endUserId);
      const partnerId = endUser ? (JSON.parse(endUser) as EndUser).partnerId : undefined;
      const multi = conn.multi();
      const state: InstallationState = { sessions: inst.sessions, lastReactivatedAt: inst.lastReactivatedAt };
      if (!known) {
        const { sessions: _s, lastReactivatedAt: _l, ...staticPart } = inst;
        void _s;
        void _l;
        multi.hset(
          k.regDoc('installations'),
          inst.machineId,
          JSON.stringify({ ...staticPart, sessions: inst.sessions, lastReactivatedAt: inst.lastReactivatedAt }),
        );
        multi.rpush(k.regOrder('installations'), inst.machineId);
        multi.sadd(k.regPresent(), 'installations');
        multi.set(k.regImportGen(), randomUUID()); // a new document and a changed partner index
        if (partnerId) {
          const raw = await conn.hget(k.regPartnerIndex(), partnerId);
          const idx: PartnerIndex = raw
            ? (JSON.parse(raw) as PartnerIndex)
            : { endUsers: [], systems: [], cases: [], accounts: [], pools: [], installations: [] };
          idx.installations.push(inst.machineId);
          multi.hset(k.regPartnerIndex(), partnerId, JSON.stringify(idx));
        }
      }
      multi.hset(k.regInstallationState(), inst.machineId, JSON.stringify(state));
      multi.hset(k.regChanged(), `installations/${inst.machineId}`, JSON.stringify(state));
      multi.incr(k.regVersion());
      extra?.(multi);
      return (await multi.exec()) !== null;
    } finally {
      conn.disconnect();
    }
  }

  private async versionOn(conn: Redis): Promise<number> {
    return Number((await conn.get(this.keys.regVersion())) ?? 0);
  }

  /** A system, its end user and whether it is disabled now: what opening a case on it needs. */
  async systemForCase(systemKey: string): Promise<{ system?: System; endUser?: EndUser; disabled: boolean }> {
    const k = this.keys;
    const [sys, dis] = await Promise.all([
      this.redis.hget(k.regDoc('systems'), systemKey),
      this.redis.sismember(k.regDisabled(), systemKey),
    ]);
    const system = sys ? parse<System>(sys) : undefined;
    const eu = system ? await this.redis.hget(k.regDoc('endUsers'), system.endUserId) : null;
    return { system, endUser: eu ? parse<EndUser>(eu) : undefined, disabled: dis === 1 || system?.disabled === true };
  }

  /**
   * A case number no case has had: the desk's counter (from 100000) moved on
   * past any number the registry or the case store already holds.
   */
  async nextCaseNumber(): Promise<string> {
    const k = this.keys;
    await this.redis.set(k.caseSeq(), '100000', 'NX');
    for (;;) {
      const n = String(await this.redis.incr(k.caseSeq()));
      const [inRegistry, asCase] = await Promise.all([
        this.redis.hexists(k.regDoc('cases'), n),
        this.redis.exists(k.case(n)),
      ]);
      if (inRegistry === 0 && asCase === 0) return n;
    }
  }

  /**
   * Adds one opened case to the registry, as an import would hold it, with
   * whatever `extra` queues (its audit entry and event) in the same MULTI.
   * False when the number is taken (by the registry or by a case).
   */
  async addCase(c: RegistryCase, extra: (m: ChainableCommander) => void): Promise<boolean> {
    const k = this.keys;
    return watched<boolean>(this.redis, async (conn) => {
      await conn.watch(k.regVersion(), k.regPartnerIndex(), k.regDoc('cases'), k.case(c.number));
      const taken =
        (await conn.hexists(k.regDoc('cases'), c.number)) === 1 || (await conn.exists(k.case(c.number))) === 1;
      if (taken) return { done: false };
      const raw = await conn.hget(k.regPartnerIndex(), c.partnerId);
      const idx: PartnerIndex = raw
        ? parse<PartnerIndex>(raw)
        : { endUsers: [], systems: [], cases: [], accounts: [], pools: [], installations: [] };
      idx.cases.push(c.number);
      const m = conn.multi();
      m.hset(k.regDoc('cases'), c.number, JSON.stringify(c));
      m.rpush(k.regOrder('cases'), c.number);
      m.hset(k.regPartnerIndex(), c.partnerId, JSON.stringify(idx));
      // Not in the last imported file: an import that leaves it out is refused (registry/stale-import.ts).
      m.hset(k.regChanged(), `cases/${c.number}`, JSON.stringify(c));
      m.incr(k.regVersion());
      m.set(k.regImportGen(), randomUUID()); // the partner's documents changed
      extra(m);
      return { multi: m, then: true };
    });
  }

  /** The registry's opened case with this number, or undefined. */
  async getCase(number: string): Promise<RegistryCase | undefined> {
    const json = await this.redis.hget(this.keys.regDoc('cases'), number);
    return json ? parse<RegistryCase>(json) : undefined;
  }

  /** True until a registry has been imported. */
  async isEmpty(): Promise<boolean> {
    return (await this.redis.exists(this.keys.regPresent())) === 0;
  }

  /** The registry's version (regVersion): bumped by every import and registry write. */
  async version(): Promise<number> {
    return Number((await this.redis.get(this.keys.regVersion())) ?? '0');
  }
}

/** Each partner's ids in file order; systems, pools and installations through their end user. */
function partnerIndexes(doc: RegistryDocument): Map<string, PartnerIndex> {
  const out = new Map<string, PartnerIndex>();
  const of = (p: string): PartnerIndex => {
    let idx = out.get(p);
    if (!idx) {
      idx = { endUsers: [], systems: [], cases: [], accounts: [], pools: [], installations: [] };
      out.set(p, idx);
    }
    return idx;
  };
  for (const p of doc.partners) of(p.id);
  const partnerOfEndUser = new Map<string, string>();
  for (const u of doc.endUsers) {
    partnerOfEndUser.set(u.id, u.partnerId);
    of(u.partnerId).endUsers.push(u.id);
  }
  const viaEndUser = (endUserId: string) => {
    const p = partnerOfEndUser.get(endUserId);
    return p === undefined ? undefined : of(p);
  };
  for (const s of doc.systems) viaEndUser(s.endUserId)?.systems.push(s.key);
  for (const c of doc.cases) of(c.partnerId).cases.push(c.number);
  for (const a of doc.accounts ?? []) of(a.partnerId).accounts.push(a.id);
  for (const p of doc.pools ?? []) viaEndUser(p.endUserId)?.pools.push(p.id);
  for (const i of doc.installations ?? []) viaEndUser(i.endUserId)?.installations.push(i.machineId);
  return out;
}
