import { describe, expect, it } from 'vitest';
import type { RegistryDocument } from '../../domain/registry-model.js';
import type { BrokenDocument } from '../support/registry-edit.js';
import {
  E_REGISTRY_INVALID,
  RegistryInvalidError,
  assertValidRegistry,
  findJsonError,
  formatPath,
  parseRegistryText,
  validateRegistry,
} from '../../registry/validate.js';

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
      { id: 'P-300', name: 'Reseller', currency: 'USD', contacts: [], standardDiscountPct: 0 },
    ],
    endUsers: [{ id: 'EU-1', name: 'Globex', partnerId: 'P-100' }],
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
      { key: 'SYS-0002', endUserId: 'EU-1', program: 'altigen', registered: true, disabled: true },
    ],
    licenses: [{ key: 'LK-7F3A-0001', systemKey: 'SYS-0001', sku: 'ALTI-STATION-10', quantity: 1 }],
    cases: [
      {
        number: '123456',
        partnerId: 'P-100',
        systemKey: 'SYS-0002',
        program: 'altigen',
        openedAt: '2026-11-20T09:00:00Z',
      },
    ],
    accounts: [
      {
        id: 'LV-RES-1',
        partnerId: 'P-300',
        parentId: null,
        contacts: ['lic@reseller.example'],
        linkedAccountIds: ['LV-EU-9'],
        available: { 'LV-ASR-PORT': 10 },
        deployed: { 'LV-ASR-PORT': 2 },
      },
      {
        id: 'LV-EU-9',
        partnerId: 'P-300',
        parentId: 'LV-RES-1',
        contacts: [],
        linkedAccountIds: [],
        available: {},
        deployed: {},
      },
    ],
    pools: [{ id: 'CS-POOL-1', endUserId: 'EU-1', sku: 'AUD-CS-SESSIONS', sessions: 100 }],
    installations: [
      {
        machineId: 'M-0001',
        endUserId: 'EU-1',
        poolId: 'CS-POOL-1',
        sessions: 10,
        activatedAt: '2026-11-01T10:00:00Z',
        lastReactivatedAt: null,
      },
    ],
  };
}

const errorsOf = (input: unknown): string[] => {
  const r = validateRegistry(input);
  if (r.ok) throw new Error('expected the registry to be refused');
  return r.errors;
};

describe('validateRegistry', () => {
  it('accepts the docs/registry-file.md example and gives it back unchanged', () => {
    const r = validateRegistry(fixture());
    expect(r).toEqual({ ok: true, doc: fixture() });
  });

  it('names the path of every bad value at once', () => {
    const doc = fixture() as unknown as BrokenDocument;
    doc.catalog[0].count = 1.5;
    doc.catalog[1].listPrice = { gbp: 120 };
    doc.partners[0].contacts = ['not-an-address'];
    doc.partners[0].standardDiscountPct = 120;
    doc.systems[1].saExpiresOn = '2027-02-30';
    doc.systems[0].program = 'nortel';
    doc.licenses[0].quantity = 0;
    doc.cases[0].openedAt = 'yesterday';
    delete doc.endUsers[0].name;
    doc.installations[0].lastReactivatedAt = 5;
    const errors = errorsOf(doc);
    expect(errors).toEqual(
      expect.arrayContaining([
        'catalog[0].count: not a whole number',
        'catalog[1].listPrice.gbp: bad key: not a currency code',
        'partners[0].contacts[0]: not an email address',
        'partners[0].standardDiscountPct: above 100',
        'systems[1].saExpiresOn: not a date',
        'systems[0].program: not one of "altigen", "avaya-swap", "lumenvox", "audium"',
        'licenses[0].quantity: must be positive',
        'cases[0].openedAt: not a date-time',
        'endUsers[0].name: missing',
        'installations[0].lastReactivatedAt: expected string, got number',
      ]),
    );
    expect(errors).toHaveLength(10);
  });

  it("keeps a partner's language and time zone, and names a bad one with its value", () => {
    const doc = fixture();
    doc.partners[0] = { ...doc.partners[0]!, language: 'de', timeZone: 'Europe/Berlin' };
    expect(validateRegistry(doc)).toEqual({ ok: true, doc });
    const bad = fixture() as unknown as BrokenDocument;
    bad.partners[0].language = 'klingon';
    bad.partners[1].timeZone = 'Mars/Olympus';
    expect(errorsOf(bad)).toEqual([
      'partners[0].language: "klingon" is not one of en, de, fr, es, it, nl',
      'partners[1].timeZone: "Mars/Olympus" is not an IANA time zone (e.g. Europe/Berlin, UTC)',
    ]);
  });

  it('refuses unknown fields with their path, at any depth', () => {
    const doc = fixture() as unknown as BrokenDocument;
    doc.systems[0].colour = 'red';
    doc.accounts[1].nickname = 'x';
    doc.extra = true;
    expect(errorsOf(doc)).toEqual([
      'systems[0].colour: unknown field',
      'accounts[1].nickname: unknown field',
      'extra: unknown field',
    ]);
  });

  it('reports a wrong root and wrong list types without noise', () => {
    expect(errorsOf([])).toEqual(['(file): expected object, got array']);
    const doc = fixture() as unknown as BrokenDocument;
    doc.endUsers = 'EU-1';
    expect(errorsOf(doc)).toEqual(['endUsers: expected array, got string']);
  });

  it('reports dangling references with their paths', () => {
    const doc = fixture() as unknown as BrokenDocument;
    doc.partners[0].pricingExceptions = { 'NO-SUCH-SKU': 5 };
    doc.endUsers.push({ id: 'EU-2', name: 'Initech', partnerId: 'P-999' });
    doc.systems.push({ key: 'SYS-0003', endUserId: 'EU-404', program: 'altigen', registered: false });
    doc.licenses.push({ key: 'LK-2', systemKey: 'SYS-404', sku: 'NOPE', quantity: 1 });
    doc.cases.push({
      number: '7777',
      partnerId: 'P-404',
      systemKey: 'SYS-405',
      program: 'altigen',
      openedAt: '2026-11-20T09:00:00Z',
    });
    doc.accounts[0].linkedAccountIds = ['LV-EU-9', 'LV-GONE'];
    doc.accounts[1].parentId = 'LV-NOBODY';
    doc.installations.push({
      machineId: 'M-2',
      endUserId: 'EU-1',
      poolId: 'POOL-X',
      sessions: 1,
      activatedAt: '2026-11-01T10:00:00Z',
      lastReactivatedAt: null,
    });
    expect(errorsOf(doc)).toEqual([
      'partners[0].pricingExceptions.NO-SUCH-SKU: no catalog sku "NO-SUCH-SKU"',
      'endUsers[1].partnerId: no partner "P-999"',
      'systems[2].endUserId: no end user "EU-404"',
      'licenses[1].systemKey: no system "SYS-404"',
      'licenses[1].sku: no catalog sku "NOPE"',
      'cases[1].partnerId: no partner "P-404"',
      'cases[1].systemKey: no system "SYS-405"',
      'accounts[0].linkedAccountIds[1]: no account "LV-GONE"',
      'accounts[1].parentId: no account "LV-NOBODY"',
      'installations[1].poolId: no pool "POOL-X"',
    ]);
  });

  it('refuses installations claiming more than their pool', () => {
    const doc = fixture();
    doc.installations!.push({
      machineId: 'M-2',
      endUserId: 'EU-1',
      poolId: 'CS-POOL-1',
      sessions: 95,
      activatedAt: '2026-11-01T10:00:00Z',
      lastReactivatedAt: null,
    });
    expect(errorsOf(doc)).toEqual(["pools[0].sessions: installations claim 105 sessions, more than the pool's 100"]);
  });

  it('refuses duplicate ids, keys, skus and case numbers', () => {
    const doc = fixture();
    doc.catalog.push({ ...doc.catalog[0]! });
    doc.systems.push({ ...doc.systems[0]! });
    doc.licenses.push({ ...doc.licenses[0]! });
    doc.cases.push({ ...doc.cases[0]! });
    doc.partners.push({ ...doc.partners[1]! });
    expect(errorsOf(doc)).toEqual([
      'catalog[3].sku: duplicate "ALTI-STATION-10" (also catalog[0])',
      'partners[2].id: duplicate "P-300" (also partners[1])',
      'systems[2].key: duplicate "SYS-0001" (also systems[0])',
      'licenses[1].key: duplicate "LK-7F3A-0001" (also licenses[0])',
      'cases[1].number: duplicate "123456" (also cases[0])',
    ]);
  });

  it('reports schema problems and reference problems together', () => {
    const doc = fixture() as unknown as BrokenDocument;
    doc.systems[0].saExpiresOn = 'soon';
    doc.licenses[0].systemKey = 'SYS-9';
    expect(errorsOf(doc)).toEqual(['systems[0].saExpiresOn: not a date', 'licenses[0].systemKey: no system "SYS-9"']);
  });
});

describe('parseRegistryText', () => {
  it('parses and validates', () => {
    expect(parseRegistryText(`\uFEFF${JSON.stringify(fixture(), null, 2)}`)).toEqual({ ok: true, doc: fixture() });
  });

  it('reports a JSON syntax error with its line and column', () => {
    const r = parseRegistryText('{\n  "catalog": [],\n  "partners": [}\n}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^\(file\): not valid JSON at line 3, column 16 \(position 34\): unexpected "}"$/);
  });

  it('reports a truncated file at its end', () => {
    const r = parseRegistryText('{\n  "catalog": [');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^\(file\): not valid JSON at line 2, column 15 /);
  });
});

describe('RegistryInvalidError', () => {
  it('carries E_REGISTRY_INVALID and every line', () => {
    const doc = fixture() as unknown as BrokenDocument;
    doc.systems[0].saExpiresOn = 'x';
    doc.systems[1].colour = 'red';
    let caught: unknown;
    try {
      assertValidRegistry(doc);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RegistryInvalidError);
    const err = caught as RegistryInvalidError;
    expect(err.code).toBe(E_REGISTRY_INVALID);
    expect(err.details).toEqual(['systems[0].saExpiresOn: not a date', 'systems[1].colour: unknown field']);
    expect(err.message).toBe(
      'E_REGISTRY_INVALID: the registry file is not valid (2 problems)\nsystems[0].saExpiresOn: not a date\nsystems[1].colour: unknown field',
    );
  });
});

describe('formatPath', () => {
  it('formats zod paths the way the errors read', () => {
    expect(formatPath(['systems', 3, 'saExpiresOn'])).toBe('systems[3].saExpiresOn');
    expect(formatPath(['catalog', 0, 'listPrice', 'a b'])).toBe('catalog[0].listPrice["a b"]');
    expect(formatPath([])).toBe('(file)');
  });
});

describe('findJsonError', () => {
  it('agrees with JSON.parse on what is valid', () => {
    const samples = [
      '{}',
      '[]',
      '1',
      '-0.5e+3',
      '"a\\u00e9\\n"',
      'true',
      'null',
      ' {"a": [1, {"b": null}]} ',
      '',
      '{',
      '{"a" 1}',
      '{"a": 1,}',
      '[1 2]',
      '01',
      '"\\x"',
      'tru',
      '{} x',
      "{'a': 1}",
      '"a\nb"',
    ];
    for (const s of samples) {
      let valid = true;
      try {
        JSON.parse(s);
      } catch {
        valid = false;
      }
      expect(findJsonError(s) === undefined, s).toBe(valid);
    }
  });
});
