/**
 * A process's copy of registry documents as imported, so a partner's
 * snapshot reads from Redis only the state that changes between imports
 * (where licenses are, disabled systems, forfeits, holdings, sessions).
 *
 * Why: each intake and each review reads its partner's snapshot. Read whole,
 * that is every system, end user, registry case and license document of the
 * partner; with a long history Redis spent most of a case sending the same
 * JSON again (README "Memory, and a desk with a past").
 *
 * Coherence: documents as imported change only when the registry is imported
 * or an installation is added, and both set `regImportGen` to a new random
 * token in the same MULTI. A copy is used only under the token it was read
 * under; a token that is missing (a desk imported before this key existed,
 * or a Redis that lost it) means no copy is kept. A random token, not a
 * counter, so a flushed and re-imported Redis can never repeat an old one.
 *
 * Bounds: both caches are LRUs sized in bytes of the JSON they were read
 * from, so a registry of any size costs a process at most `maxBytes` each.
 * Cached objects are frozen: a caller that tried to change one would throw
 * rather than silently change the next case's snapshot.
 */
import { LRUCache } from 'lru-cache';
import type {
  Account,
  CatalogItem,
  EndUser,
  Installation,
  License,
  Partner,
  Pool,
  RegistryCase,
  System,
} from '../domain/registry-model.js';

/** A partner's ids in file order (regPartnerIndex). */
export interface PartnerIndex {
  endUsers: string[];
  systems: string[];
  cases: string[];
  accounts: string[];
  pools: string[];
  installations: string[];
}

/** One partner's documents as imported (before the mutable state is merged in). */
export interface PartnerDocs {
  index: PartnerIndex;
  catalog: CatalogItem[];
  partner: Partner | undefined;
  endUsers: EndUser[];
  systems: System[];
  cases: RegistryCase[];
  accounts: Account[];
  pools: Pool[];
  installations: Installation[];
}

/** A license as imported and its position in the file. */
export interface LicenseDoc {
  license: License;
  pos: number;
}

/** Default bytes of JSON each cache may hold (partners' documents; licenses). */
export const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;

interface Tagged<T> {
  gen: string;
  value: T;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

export class ImportedDocsCache {
  private readonly partners: LRUCache<string, Tagged<PartnerDocs>>;
  private readonly licenses: LRUCache<string, Tagged<LicenseDoc>>;

  constructor(maxBytes = DEFAULT_CACHE_BYTES) {
    this.partners = new LRUCache({ maxSize: maxBytes });
    this.licenses = new LRUCache({ maxSize: maxBytes });
  }

  /** The partner's documents if they were read under the token Redis holds now. */
  partner(partnerId: string, gen: string | null): PartnerDocs | undefined {
    const hit = this.partners.get(partnerId);
    return hit && hit.gen === gen ? hit.value : undefined;
  }

  /** The token the partner's documents were read under, if any are kept. */
  partnerGen(partnerId: string): string | undefined {
    return this.partners.get(partnerId)?.gen;
  }

  /** Keeps a partner's documents read under `gen`; `bytes` is the JSON they came from. */
  keepPartner(gen: string, partnerId: string, docs: PartnerDocs, bytes: number): PartnerDocs {
    deepFreeze(docs);
    if (bytes <= this.partners.maxSize)
      this.partners.set(partnerId, { gen, value: docs }, { size: Math.max(1, bytes) });
    return docs;
  }

  license(key: string, gen: string): LicenseDoc | undefined {
    const hit = this.licenses.get(key);
    return hit && hit.gen === gen ? hit.value : undefined;
  }

  keepLicense(gen: string, key: string, doc: LicenseDoc, bytes: number): LicenseDoc {
    deepFreeze(doc);
    if (bytes <= this.licenses.maxSize) this.licenses.set(key, { gen, value: doc }, { size: Math.max(1, bytes) });
    return doc;
  }

  /** Drops every copy (a token changed under us: an import or a new installation). */
  clear(): void {
    this.partners.clear();
    this.licenses.clear();
  }
}
