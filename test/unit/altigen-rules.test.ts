import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../domain/clock.js';
import { decide } from '../../domain/decision.js';
import type { Finding } from '../../domain/finding.js';
import {
  checkCapacity,
  checkCardAuthorization,
  checkCaseTarget,
  checkFormFields,
  checkOwnership,
  checkRequiredForms,
  checkSaCharges,
  checkTargetSa,
  checkTransferFee,
  checkWholeKeys,
  convertKey,
  coverage,
  deadlineFinding,
  moveDeadline,
  parseKeyLine,
  planSoftwareOnly,
  proRatedSaMinor,
  requiredForms,
  reviewAltigen,
  stationLimit,
  transferFees,
  TRANSFER_FEE_MINOR,
  type AltigenRequest,
  type PlannedMove,
} from '../../domain/programs/altigen/index.js';
import type { FieldProblem } from '../../forms/types.js';
import type {
  CardAuthorizationForm,
  CaseForms,
  LicenseTransferForm,
  SsoMigrationForm,
} from '../../forms/typed-forms.js';
import { type RegistryDocument, type RegistrySnapshot, type System } from '../../domain/registry-model.js';
import { snapshotFrom, systemIn } from '../support/registry-edit.js';

// --- fixtures ---------------------------------------------------------------

const NOW = new Date('2026-11-20T12:00:00Z');
const TODAY = '2026-11-20';
const YESTERDAY = '2026-11-19';
const clock = () => new ManualClock(NOW);

/**
 * P-100's end user EU-1 owns SYS-0001 (source, SA expired 2026-06-30) and
 * SYS-0002 (target, Max1000, SA to 2027-06-30, empty); EU-2 (also P-100) owns
 * SYS-0003; EU-9 of partner P-200 owns SYS-0009.
 */
function baseDoc(): RegistryDocument {
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
        sku: 'ALTI-STATION-1',
        kind: 'station',
        count: 1,
        lifecycle: 'orderable',
        listPrice: { USD: 160 },
        saYearly: { USD: 15 },
      },
      {
        sku: 'ALTI-ACM-AGENT-5',
        kind: 'agent',
        count: 5,
        lifecycle: 'orderable',
        listPrice: { USD: 2000 },
        saYearly: { USD: 200 },
      },
      { sku: 'ALTI-VM-1', kind: 'voicemail', count: 1, lifecycle: 'orderable', listPrice: { USD: 50 } },
    ],
    partners: [
      { id: 'P-100', name: 'Acme Telecom', currency: 'USD', contacts: ['ops@acme.example'], standardDiscountPct: 20 },
      { id: 'P-200', name: 'Other Reseller', currency: 'USD', contacts: ['ops@other.example'], standardDiscountPct: 0 },
    ],
    endUsers: [
      { id: 'EU-1', name: 'Globex', partnerId: 'P-100' },
      { id: 'EU-2', name: 'Initech', partnerId: 'P-100' },
      { id: 'EU-9', name: 'Umbrella', partnerId: 'P-200' },
    ],
    systems: [
      {
        key: 'SYS-0001',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: '2026-06-30',
      },
      {
        key: 'SYS-0002',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: '2027-06-30',
      },
      {
        key: 'SYS-0003',
        endUserId: 'EU-2',
        program: 'altigen',
        model: 'Max2000',
        platform: 'physical',
        registered: true,
        saExpiresOn: '2027-06-30',
      },
      {
        key: 'SYS-0009',
        endUserId: 'EU-9',
        program: 'altigen',
        model: 'Max2000',
        platform: 'physical',
        registered: true,
        saExpiresOn: '2027-06-30',
      },
    ],
    licenses: [
      { key: 'LK-0001', systemKey: 'SYS-0001', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-0002', systemKey: 'SYS-0001', sku: 'ALTI-ACM-AGENT-5', quantity: 1 },
      { key: 'LK-0003', systemKey: 'SYS-0001', sku: 'ALTI-STATION-10', quantity: 3 },
      { key: 'LK-0004', systemKey: 'SYS-0001', sku: 'ALTI-VM-1', quantity: 2 },
      { key: 'LK-0090', systemKey: 'SYS-0003', sku: 'ALTI-STATION-10', quantity: 1 },
    ],
    cases: [
      {
        number: '123456',
        partnerId: 'P-100',
        systemKey: 'SYS-0002',
        program: 'altigen',
        openedAt: '2026-11-19T09:00:00Z',
      },
    ],
  };
}

const snap = (edit?: (d: RegistryDocument) => void): RegistrySnapshot => snapshotFrom(baseDoc, edit);

const system = systemIn;

function ltf(over: Partial<LicenseTransferForm> = {}): LicenseTransferForm {
  return {
    formId: 'license-transfer/v1',
    caseNumber: '123456',
    partnerId: 'P-100',
    partnerName: 'Acme Telecom',
    contactEmail: 'ops@acme.example',
    endUserId: 'EU-1',
    endUserName: 'Globex',
    fromSystemKey: 'SYS-0001',
    toSystemKey: 'SYS-0002',
    toChassisModel: 'Max1000',
    licenseKeys: ['LK-0001'],
    softwareOnlyUpgrade: false,
    signerName: 'Pat',
    signedOn: '2026-11-19',
    ...over,
  };
}

function card(over: Partial<CardAuthorizationForm> = {}): CardAuthorizationForm {
  return {
    formId: 'card-authorization/v1',
    caseNumber: '123456',
    cardholderName: 'Pat',
    cardLast4: '1111',
    cardNumberValid: true,
    cardExpiry: '12/28',
    billingPostcode: '94000',
    maxAmountMinor: 100_000,
    currency: 'USD',
    signerName: 'Pat',
    signedOn: '2026-11-19',
    ...over,
  };
}

function sso(over: Partial<SsoMigrationForm> = {}): SsoMigrationForm {
  return {
    formId: 'sso-migration/v1',
    caseNumber: '123456',
    fromSystemKey: 'SYS-0001',
    toSystemKey: 'SYS-0002',
    stationCount: 10,
    agentSeatCount: 5,
    targetHostname: 'pbx1',
    targetOs: 'Windows Server',
    ...over,
  };
}

function request(
  forms: CaseForms = { 'license-transfer/v1': ltf(), 'card-authorization/v1': card() },
  over: {
    softwareOnlyUpgrade?: boolean;
    formProblems?: FieldProblem[];
    discardedFields?: string[];
    systemKey?: string;
  } = {},
): AltigenRequest {
  return {
    caseNumber: '123456',
    registryCase: {
      number: '123456',
      partnerId: 'P-100',
      systemKey: over.systemKey ?? 'SYS-0002',
      program: 'altigen',
      openedAt: '2026-11-19T09:00:00Z',
      ...(over.softwareOnlyUpgrade === undefined ? {} : { softwareOnlyUpgrade: over.softwareOnlyUpgrade }),
    },
    forms,
    formProblems: over.formProblems ?? [],
    discardedFields: over.discardedFields ?? [],
  };
}

const of = (rule: string, fs: Finding[]) => fs.filter((f) => f.rule === rule);
const outcomes = (fs: Finding[]) =>
  fs.map((f) => (f.outcome === 'fail' ? (f.fixable ? 'fixable' : 'final') : f.outcome));

/** Every fixable fail says what to send; every finding has words. */
function expectExplained(fs: Finding[]) {
  for (const f of fs) {
    expect(f.message.length).toBeGreaterThan(10);
    if (f.outcome === 'fail' && f.fixable) expect(f.fix).toBeTruthy();
  }
}

const move = (licenseKey: string, sku: string, quantity: number, from = 'SYS-0001', to = 'SYS-0002'): PlannedMove => ({
  licenseKey,
  from,
  to,
  sku,
  quantity,
});

// --- DSK-2 -------------------------------------------------------------------

describe('DSK-2 the form moves to the system the case was opened for', () => {
  it('DSK-2 passes when to_system_key is the case system key (case and spaces ignored)', () => {
    for (const to of ['SYS-0002', ' sys-0002 ']) {
      expect(outcomes(checkCaseTarget(request({ 'license-transfer/v1': ltf({ toSystemKey: to }) })))).toEqual(['pass']);
    }
  });
  it('DSK-2 rejects (not fixable) a form whose target differs from the case key, with that reason', () => {
    const fs = checkCaseTarget(request({ 'license-transfer/v1': ltf({ toSystemKey: 'SYS-0003' }) }));
    expect(outcomes(fs)).toEqual(['final']);
    expect(fs[0]?.message).toContain('SYS-0003');
    expect(fs[0]?.message).toContain('SYS-0002');
    expect(decide(fs).outcome).toBe('reject');
  });
  it('DSK-2 is not evaluated while to_system_key is missing', () => {
    expect(checkCaseTarget(request({ 'license-transfer/v1': ltf({ toSystemKey: undefined }) }))).toEqual([]);
    expect(checkCaseTarget(request({}))).toEqual([]);
  });
});

// --- ALT-1 ------------------------------------------------------------------

describe('ALT-1 target registered and on active SA on the day of the move', () => {
  const cases: [string, (s: System) => void, 'pass' | 'final'][] = [
    [
      'SA expiring today passes',
      (s) => {
        s.saExpiresOn = TODAY;
      },
      'pass',
    ],
    [
      'SA expiring tomorrow passes',
      (s) => {
        s.saExpiresOn = '2026-11-21';
      },
      'pass',
    ],
    [
      'SA that expired yesterday fails',
      (s) => {
        s.saExpiresOn = YESTERDAY;
      },
      'final',
    ],
    [
      'a missing SA date fails',
      (s) => {
        delete s.saExpiresOn;
      },
      'final',
    ],
    [
      'a null SA date fails',
      (s) => {
        s.saExpiresOn = null;
      },
      'final',
    ],
    [
      'an unregistered target fails',
      (s) => {
        s.registered = false;
      },
      'final',
    ],
    [
      'a disabled target fails',
      (s) => {
        s.disabled = true;
      },
      'final',
    ],
  ];
  it.each(cases)('ALT-1 %s', (_t, edit, want) => {
    const fs = checkTargetSa(
      request(),
      snap((d) => edit(system(d, 'SYS-0002'))),
      clock(),
    );
    expect(outcomes(fs)).toEqual([want]);
    expect(fs[0]?.message).toContain('SYS-0002');
  });
  it('ALT-1 fails a target that is not in the registry at all', () => {
    const fs = checkTargetSa(request(undefined, { systemKey: 'SYS-7777' }), snap(), clock());
    expect(outcomes(fs)).toEqual(['final']);
    expect(fs[0]?.message).toContain('SYS-7777');
  });
  it('ALT-1 counts the day in UTC: at 23:59:59Z on the expiry day SA is still active', () => {
    const c = new ManualClock(new Date('2026-11-20T23:59:59Z'));
    expect(
      outcomes(
        checkTargetSa(
          request(),
          snap((d) => {
            system(d, 'SYS-0002').saExpiresOn = TODAY;
          }),
          c,
        ),
      ),
    ).toEqual(['pass']);
    c.advance(1000);
    expect(
      outcomes(
        checkTargetSa(
          request(),
          snap((d) => {
            system(d, 'SYS-0002').saExpiresOn = TODAY;
          }),
          c,
        ),
      ),
    ).toEqual(['final']);
  });
});

// --- ALT-2 ------------------------------------------------------------------

describe('ALT-2 same end user, of the case partner', () => {
  it('ALT-2 passes for two systems of the same end user of the partner', () => {
    expect(outcomes(checkOwnership(request(), snap()))).toEqual(['pass']);
  });
  it('ALT-2 rejects a move between different end users, naming both', () => {
    const fs = checkOwnership(
      request(),
      snap((d) => {
        system(d, 'SYS-0001').endUserId = 'EU-2';
      }),
    );
    expect(outcomes(fs)).toEqual(['final']);
    expect(fs[0]?.message).toContain('EU-2');
    expect(fs[0]?.message).toContain('EU-1');
  });
  it("ALT-2 rejects when the systems' end user is not the case partner's", () => {
    const s = snap((d) => {
      for (const k of ['SYS-0001', 'SYS-0002']) system(d, k).endUserId = 'EU-9';
    });
    const fs = checkOwnership(request(), s);
    expect(outcomes(fs)).toEqual(['final']);
    expect(fs[0]?.message).toContain('P-100');
  });
  it('ALT-2 an unknown from system is fixable (likely a typo)', () => {
    const fs = checkOwnership(request({ 'license-transfer/v1': ltf({ fromSystemKey: 'SYS-00001' }) }), snap());
    expect(outcomes(fs)).toEqual(['fixable']);
    expect(fs[0]?.message).toContain('SYS-00001');
    expectExplained(fs);
  });
  it('ALT-2 moving a system to itself is fixable', () => {
    expect(
      outcomes(checkOwnership(request({ 'license-transfer/v1': ltf({ fromSystemKey: 'SYS-0002' }) }), snap())),
    ).toEqual(['fixable']);
  });
  it('ALT-2 a form naming another end user than the registry is only noted', () => {
    const fs = checkOwnership(request({ 'license-transfer/v1': ltf({ endUserId: 'EU-X' }) }), snap());
    expect(outcomes(fs)).toEqual(['info', 'pass']);
  });
});

// --- ALT-3 ------------------------------------------------------------------

describe('ALT-3 license keys move whole', () => {
  it.each([
    ['LK-1', { key: 'LK-1' }],
    ['  LK-1  ', { key: 'LK-1' }],
    ['LK-1 5', { key: 'LK-1', requested: { count: 5, unit: 'unspecified' } }],
    ['LK-1 x5', { key: 'LK-1', requested: { count: 5, unit: 'unspecified' } }],
    ['LK-1 ×5', { key: 'LK-1', requested: { count: 5, unit: 'unspecified' } }],
    ['LK-1 (5 stations)', { key: 'LK-1', requested: { count: 5, unit: 'seats' } }],
    ['LK-1 5 station licenses', { key: 'LK-1', requested: { count: 5, unit: 'seats' } }],
    ['LK-1 (1 unit)', { key: 'LK-1', requested: { count: 1, unit: 'units' } }],
    ['LK-1, 10', { key: 'LK-1', requested: { count: 10, unit: 'unspecified' } }],
    ['LK-1 - 10 seats', { key: 'LK-1', requested: { count: 10, unit: 'seats' } }],
  ])('ALT-3 reads the line %j', (line, want) => {
    expect(parseKeyLine(line)).toMatchObject(want);
  });
  it.each(['LK-1 LK-2', 'LK-1 five', 'LK-1 0', 'LK-1 5 bananas'])('ALT-3 does not read the line %j', (line) => {
    expect(parseKeyLine(line)).toBeUndefined();
  });

  it.each([
    // [requested, unit, seats, quantity, coverage]
    [10, 'seats', 10, 1, 'whole'],
    [9, 'seats', 10, 1, 'part'],
    [11, 'seats', 10, 1, 'more'],
    [1, 'units', 10, 1, 'whole'],
    [2, 'units', 30, 3, 'part'],
    [4, 'units', 30, 3, 'more'],
    [1, 'unspecified', 10, 1, 'whole'],
    [10, 'unspecified', 10, 1, 'whole'],
    [3, 'unspecified', 30, 3, 'whole'],
    [30, 'unspecified', 30, 3, 'whole'],
    [5, 'unspecified', 10, 1, 'part'],
    [29, 'unspecified', 30, 3, 'part'],
    [31, 'unspecified', 30, 3, 'more'],
  ] as const)('ALT-3 asking %i %s of a key with %i seats in %i units is %s', (count, unit, seats, qty, want) => {
    expect(coverage({ count, unit }, seats, qty)).toBe(want);
  });

  const keysOf = (licenseKeys: string[]) =>
    checkWholeKeys(request({ 'license-transfer/v1': ltf({ licenseKeys }) }), snap());

  it('ALT-3 passes whole keys and plans one move per key', () => {
    const r = keysOf(['LK-0001', 'LK-0003 30', 'LK-0002 (5 agents)', 'lk-0001']);
    expect(outcomes(r.findings)).toEqual(['pass']);
    expect(r.complete).toBe(true);
    expect(r.moves).toEqual([
      { licenseKey: 'LK-0001', from: 'SYS-0001', to: 'SYS-0002', sku: 'ALTI-STATION-10', quantity: 1 },
      { licenseKey: 'LK-0003', from: 'SYS-0001', to: 'SYS-0002', sku: 'ALTI-STATION-10', quantity: 3 },
      { licenseKey: 'LK-0002', from: 'SYS-0001', to: 'SYS-0002', sku: 'ALTI-ACM-AGENT-5', quantity: 1 },
    ]);
  });
  it('ALT-3 rejects a request for 5 of the 10 stations of an ALTI-STATION-10', () => {
    const r = keysOf(['LK-0001 (5 stations)']);
    expect(outcomes(r.findings)).toEqual(['final']);
    expect(r.findings[0]?.message).toContain('LK-0001');
    expect(r.findings[0]?.message).toContain('10');
    expect(decide(r.findings).outcome).toBe('reject');
  });
  it('ALT-3 rejects 2 of the 3 units of a key', () => {
    expect(outcomes(keysOf(['LK-0003 2 units']).findings)).toEqual(['final']);
  });
  it('ALT-3 a key that is not on the from system is fixable and named', () => {
    const r = keysOf(['LK-0090']);
    expect(outcomes(r.findings)).toEqual(['fixable']);
    expect(r.findings[0]?.message).toContain('LK-0090');
    expect(r.findings[0]?.message).toContain('SYS-0003');
    expect(r.complete).toBe(false);
    expectExplained(r.findings);
  });
  it('ALT-3 an unknown key is fixable and named', () => {
    const r = keysOf(['LK-9999']);
    expect(outcomes(r.findings)).toEqual(['fixable']);
    expect(r.findings[0]?.message).toContain('LK-9999');
  });
  it('ALT-3 no keys listed is fixable', () => {
    const r = keysOf(['', '  ']);
    expect(outcomes(r.findings)).toEqual(['fixable']);
    expect(r.moves).toEqual([]);
    expectExplained(r.findings);
  });
  it('ALT-3 more than the key carries is fixable', () => {
    expect(outcomes(keysOf(['LK-0001 12 stations']).findings)).toEqual(['fixable']);
  });
  it('ALT-3 an unreadable line is fixable', () => {
    expect(outcomes(keysOf(['LK-0001 LK-0002']).findings)).toEqual(['fixable']);
  });
});

// --- ALT-4 ------------------------------------------------------------------

describe('ALT-4 transfer fee', () => {
  it('ALT-4 charges 300.00 USD per target system, however many licenses', () => {
    expect(TRANSFER_FEE_MINOR).toBe(30_000);
    expect(transferFees(['SYS-0002'])).toHaveLength(1);
    const fees = transferFees(['SYS-0002', 'SYS-0003', 'SYS-0002']);
    expect(fees.map((f) => [f.amountMinor, f.currency])).toEqual([
      [30_000, 'USD'],
      [30_000, 'USD'],
    ]);
    expect(transferFees([])).toEqual([]);
  });
  it('ALT-4 one License Transfer Form (one target) gives one fee for several keys', () => {
    const r = checkTransferFee(
      request({ 'license-transfer/v1': ltf({ licenseKeys: ['LK-0001', 'LK-0002', 'LK-0003'] }) }),
    );
    expect(r.fees).toEqual([
      { rule: 'ALT-4', amountMinor: 30_000, currency: 'USD', description: expect.stringContaining('SYS-0002') },
    ]);
    expect(outcomes(r.findings)).toEqual(['info']);
  });
  it('ALT-4 computes no fee without a License Transfer Form', () => {
    expect(checkTransferFee(request({}))).toEqual({ findings: [], fees: [] });
  });
});

// --- ALT-5 ------------------------------------------------------------------

describe('ALT-5 station capacity of the target chassis', () => {
  /** Target SYS-0002 of `model` already carrying `already` stations; LK-0001 (10 stations) moves. */
  function capacity(
    model: string | undefined,
    already: number,
    opts: { form?: LicenseTransferForm['toChassisModel']; softwareOnly?: boolean } = {},
  ) {
    const s = snap((d) => {
      const t = system(d, 'SYS-0002');
      if (model === undefined) delete t.model;
      else t.model = model;
      if (already > 0)
        d.licenses.push({ key: 'LK-ON-TARGET', systemKey: 'SYS-0002', sku: 'ALTI-STATION-1', quantity: already });
      d.licenses.push({ key: 'LK-AGENTS-ON-TARGET', systemKey: 'SYS-0002', sku: 'ALTI-ACM-AGENT-5', quantity: 20 });
    });
    const form = ltf({ toChassisModel: opts.form ?? (model as LicenseTransferForm['toChassisModel']) });
    return checkCapacity(
      request({ 'license-transfer/v1': form }),
      s,
      [move('LK-0001', 'ALTI-STATION-10', 1)],
      opts.softwareOnly ?? false,
    );
  }

  it.each([
    ['Max1000', 40, 'pass'], // 50 stations
    ['Max1000', 41, 'final'], // 51
    ['Max1000R', 90, 'pass'], // 100
    ['Max1000R', 91, 'final'], // 101
    ['Max2000', 90, 'pass'], // 100
    ['Max2000', 91, 'final'], // 101
    ['Max1000', 0, 'pass'],
  ] as const)('ALT-5 %s with %i stations plus 10 moved: %s', (model, already, want) => {
    const fs = capacity(model, already);
    expect(outcomes(fs)).toEqual([want]);
    expect(fs[0]?.message).toContain(String(already + 10));
  });
  it('ALT-5 rejects 51 stations on a Max1000', () => {
    const fs = capacity('Max1000', 41);
    expect(fs[0]?.message).toMatch(/51 station licenses.*no more than 50/);
    expect(decide(fs).outcome).toBe('reject');
  });
  it('ALT-5 agent seats do not count as stations', () => {
    expect(outcomes(capacity('Max1000', 40))).toEqual(['pass']); // 100 agent seats on target too
  });
  it('ALT-5 other models have no limit (info)', () => {
    expect(outcomes(capacity('Office', 500, { form: 'Office' }))).toEqual(['info']);
    expect(stationLimit('Office')).toBeUndefined();
    expect(stationLimit('max 1000r')).toBe(100);
  });
  it('ALT-5 a form chassis model that disagrees with the registry is held for a rep', () => {
    const fs = capacity('Max1000', 0, { form: 'Max2000' });
    expect(outcomes(fs)).toEqual(['hold', 'pass']);
    expect(decide(fs).outcome).toBe('hold');
  });
  it('ALT-5 the registry model decides the limit, not the form', () => {
    expect(outcomes(capacity('Max1000', 41, { form: 'Max2000' }))).toEqual(['hold', 'final']);
  });
  it('ALT-5 a software-only upgrade is not limited by chassis', () => {
    expect(outcomes(capacity('Max1000', 500, { softwareOnly: true }))).toEqual(['pass']);
  });
});

// --- ALT-6 ------------------------------------------------------------------

describe('ALT-6 required forms', () => {
  it('ALT-6 without an upgrade needs the License Transfer Form and Credit Card Authorization', () => {
    expect(requiredForms(request())).toEqual(['license-transfer/v1', 'card-authorization/v1']);
    expect(outcomes(checkRequiredForms(request()))).toEqual(['pass']);
  });
  it('ALT-6 names each missing form, fixable, with what to send', () => {
    const fs = checkRequiredForms(request({ 'license-transfer/v1': ltf() }));
    expect(outcomes(fs)).toEqual(['fixable']);
    expect(fs[0]?.message).toContain('Credit Card Authorization');
    expectExplained(fs);
    expect(outcomes(checkRequiredForms(request({})))).toEqual(['fixable', 'fixable']);
  });
  it('ALT-6 with the upgrade box checked also needs the Software Only Migration Worksheet', () => {
    const forms = { 'license-transfer/v1': ltf({ softwareOnlyUpgrade: true }), 'card-authorization/v1': card() };
    const fs = checkRequiredForms(request(forms));
    expect(outcomes(fs)).toEqual(['fixable']);
    expect(fs[0]?.message).toContain('Worksheet');
    expect(outcomes(checkRequiredForms(request({ ...forms, 'sso-migration/v1': sso() })))).toEqual(['pass']);
  });
  it('ALT-6 when the case says it is an upgrade the worksheet is needed even with the box unchecked', () => {
    const r = request(undefined, { softwareOnlyUpgrade: true });
    expect(requiredForms(r)).toContain('sso-migration/v1');
    expect(outcomes(checkRequiredForms(r))).toEqual(['fixable']);
  });
  it('ALT-6 a worksheet sent without any upgrade marked is held for a rep', () => {
    const fs = checkRequiredForms(
      request({ 'license-transfer/v1': ltf(), 'card-authorization/v1': card(), 'sso-migration/v1': sso() }),
    );
    expect(outcomes(fs)).toEqual(['hold']);
  });
});

// --- DSK-6 ------------------------------------------------------------------

describe('DSK-6 fields and case numbers of the forms', () => {
  it('DSK-6 one fixable finding per field problem, with the fix', () => {
    const problems: FieldProblem[] = [
      {
        formId: 'license-transfer/v1',
        field: 'signed_on',
        problem: 'ambiguous',
        message: '03/04/2026 can be read two ways',
      },
      {
        formId: 'card-authorization/v1',
        field: 'billing_postcode',
        problem: 'missing',
        message: 'billing_postcode is empty',
      },
    ];
    const fs = checkFormFields(request(undefined, { formProblems: problems }));
    expect(outcomes(fs)).toEqual(['fixable', 'fixable']);
    expect(fs[0]?.fix).toContain('YYYY-MM-DD');
    expect(fs[1]?.message).toContain('billing_postcode');
  });
  it('DSK-6 a form naming another case number is fixable', () => {
    const fs = checkFormFields(
      request({
        'license-transfer/v1': ltf({ caseNumber: '654321' }),
        'card-authorization/v1': card({ caseNumber: '#123456' }),
      }),
    );
    expect(outcomes(fs)).toEqual(['fixable']);
    expect(fs[0]?.message).toContain('654321');
  });
  it('DSK-6 passes when every field can be read', () => {
    expect(outcomes(checkFormFields(request()))).toEqual(['pass']);
  });
});

// --- ALT-7 ------------------------------------------------------------------

describe('ALT-7 software-only conversion', () => {
  const s = snap();
  it.each([
    ['ALTI-STATION-10', 1, 'SSW-STATION-10'],
    ['ALTI-STATION-10', 3, 'SSW-STATION-30'],
    ['ALTI-STATION-1', 7, 'SSW-STATION-7'],
    ['ALTI-ACM-AGENT-5', 1, 'SSW-ACMAGENT-5'],
    ['ALTI-ACM-AGENT-5', 2, 'SSW-ACMAGENT-10'],
    ['ALTI-VM-1', 2, 'ALTI-VM-1'],
  ] as const)('ALT-7 %s × %i becomes %s', (sku, qty, want) => {
    const item = s.catalog.get(sku);
    if (!item) throw new Error(sku);
    expect(convertKey({ licenseKey: 'LK', sku, quantity: qty }, item).toSku).toBe(want);
  });
  const moves = [move('LK-0001', 'ALTI-STATION-10', 1), move('LK-0002', 'ALTI-ACM-AGENT-5', 1)];
  const forms = (w: SsoMigrationForm): CaseForms => ({
    'license-transfer/v1': ltf({ softwareOnlyUpgrade: true, licenseKeys: ['LK-0001', 'LK-0002'] }),
    'sso-migration/v1': w,
  });
  it('ALT-7 plans the conversions and passes when the worksheet counts match', () => {
    const r = planSoftwareOnly(request(forms(sso())), s, moves, true, true);
    expect(r.conversions.map((c) => [c.licenseKey, c.toSku, c.seats])).toEqual([
      ['LK-0001', 'SSW-STATION-10', 10],
      ['LK-0002', 'SSW-ACMAGENT-5', 5],
    ]);
    expect(outcomes(r.findings)).toEqual(['pass']);
    expect(r.findings[0]?.message).toContain('no-charge purchase order');
  });
  it('ALT-7 worksheet counts that disagree with the keys are fixable', () => {
    const r = planSoftwareOnly(request(forms(sso({ stationCount: 11, agentSeatCount: 4 }))), s, moves, true, true);
    expect(outcomes(r.findings)).toEqual(['fixable', 'fixable']);
    expect(r.findings[0]?.message).toContain('11');
    expect(r.findings[1]?.message).toContain('4');
  });
  it('ALT-7 does nothing when it is not a software-only upgrade', () => {
    expect(planSoftwareOnly(request(), s, moves, false, true)).toEqual({ findings: [], conversions: [] });
  });
});

// --- ALT-8 ------------------------------------------------------------------

describe('ALT-8 move within 24 hours of complete forms', () => {
  it.each([
    ['2026-11-20T09:30:00.000Z', '2026-11-21T09:30:00.000Z'],
    ['2026-12-31T23:59:59.999Z', '2027-01-01T23:59:59.999Z'],
    ['2028-02-28T12:00:00.000Z', '2028-02-29T12:00:00.000Z'],
  ])('ALT-8 complete at %s → deadline %s', (at, want) => {
    expect(moveDeadline(new Date(at)).toISOString()).toBe(want);
    expect(deadlineFinding(new Date(at)).message).toContain(want);
  });
  it('ALT-8 the review gives deadlineAt and an info finding when completeAt is given', () => {
    const r = reviewAltigen(request(), snap(), clock(), new Date('2026-11-20T10:00:00Z'));
    expect(r.deadlineAt?.toISOString()).toBe('2026-11-21T10:00:00.000Z');
    expect(outcomes(of('ALT-8', r.findings))).toEqual(['info']);
    expect(reviewAltigen(request(), snap(), clock()).deadlineAt).toBeUndefined();
  });
});

// --- ALT-10 -----------------------------------------------------------------

describe('ALT-10 pro-rated SA charge', () => {
  it.each([
    // [saYearly minor, quantity, days, amount minor]
    [15000, 1, 365, 15000],
    [15000, 1, 0, 0],
    [15000, 1, 1, 41], // 41.095…
    [15000, 1, 26, 1068], // 1068.493… rounds down
    [15000, 1, 47, 1932], // 1931.507… rounds up
    [19999, 1, 353, 19341], // 19341.4986… just under a half cent: down
    [19999, 1, 12, 658], // 657.5014… just over a half cent: up
    [15000, 3, 184, 22685], // 22684.93…
    [15000, 1, 366, 15041], // a leap year's 366 days: 150.41
    [1, 1, 182, 0], // 0.4986…
    [1, 1, 183, 1], // 0.5013…
  ])('ALT-10 %i × %i × %i days / 365 = %i', (yearly, qty, days, want) => {
    expect(proRatedSaMinor(yearly, qty, days)).toBe(want);
  });
  it('ALT-10 no exact half cent can arise over 365 days (365 is odd), so 182/365 and 183/365 are the boundary', () => {
    expect(proRatedSaMinor(1, 1, 182)).toBe(0);
    expect(proRatedSaMinor(1, 1, 183)).toBe(1);
  });

  it('ALT-10 charges each moved key from the source expiry to the target expiry, exactly', () => {
    // source SA ended 2026-06-30; target ends 2027-06-30 → 365 days
    const moves = [
      move('LK-0001', 'ALTI-STATION-10', 1),
      move('LK-0003', 'ALTI-STATION-10', 3),
      move('LK-0002', 'ALTI-ACM-AGENT-5', 1),
    ];
    const r = checkSaCharges(snap(), clock(), moves);
    expect(r.charges.map((c) => [c.licenseKey, c.days, c.amountMinor])).toEqual([
      ['LK-0001', 365, 15000],
      ['LK-0003', 365, 45000],
      ['LK-0002', 365, 20000],
    ]);
    expect(r.complete).toBe(true);
    expect(r.charges[0]).toMatchObject({ rule: 'ALT-10', currency: 'USD', fromDay: '2026-06-30', toDay: '2027-06-30' });
    expect(r.findings[0]?.message).toContain('150.00 USD');
  });
  it('ALT-10 counts a leap day: 2028-02-28 to 2029-02-28 is 366 days', () => {
    const s = snap((d) => {
      system(d, 'SYS-0001').saExpiresOn = '2028-02-28';
      system(d, 'SYS-0002').saExpiresOn = '2029-02-28';
    });
    const r = checkSaCharges(s, new ManualClock(new Date('2028-03-15T00:00:00Z')), [
      move('LK-0001', 'ALTI-STATION-10', 1),
    ]);
    expect(r.charges.map((c) => [c.days, c.amountMinor])).toEqual([[366, 15041]]);
    const plain = snap((d) => {
      system(d, 'SYS-0001').saExpiresOn = '2027-02-28';
      system(d, 'SYS-0002').saExpiresOn = '2028-02-28';
    });
    const p = checkSaCharges(plain, new ManualClock(new Date('2027-03-15T00:00:00Z')), [
      move('LK-0001', 'ALTI-STATION-10', 1),
    ]);
    expect(p.charges.map((c) => [c.days, c.amountMinor])).toEqual([[365, 15000]]);
  });
  it.each([
    ['source SA still active (ends today)', TODAY, '2027-06-30'],
    ['source SA ended after the target SA ends', '2026-10-31', '2026-09-30'],
    ['source SA ended on the target SA end date', '2026-10-31', '2026-10-31'],
  ])('ALT-10 no charge when %s', (_t, src, tgt) => {
    const s = snap((d) => {
      system(d, 'SYS-0001').saExpiresOn = src;
      system(d, 'SYS-0002').saExpiresOn = tgt;
    });
    const r = checkSaCharges(s, clock(), [move('LK-0001', 'ALTI-STATION-10', 1)]);
    expect(r.charges).toEqual([]);
    expect(outcomes(r.findings)).toEqual(['pass']);
  });
  it('ALT-10 source SA that expired yesterday is charged', () => {
    const s = snap((d) => {
      system(d, 'SYS-0001').saExpiresOn = YESTERDAY;
    });
    const r = checkSaCharges(s, clock(), [move('LK-0001', 'ALTI-STATION-10', 1)]);
    // 2026-11-19 → 2027-06-30 = 223 days: 15000 × 223 / 365 = 9164.38…
    expect(r.charges.map((c) => [c.days, c.amountMinor])).toEqual([[223, 9164]]);
  });
  it('ALT-10 a product without a yearly SA rate is noted and not charged', () => {
    const r = checkSaCharges(snap(), clock(), [move('LK-0004', 'ALTI-VM-1', 2)]);
    expect(r.charges).toEqual([]);
    expect(outcomes(r.findings)).toEqual(['info']);
    expect(r.findings[0]?.message).toContain('ALTI-VM-1');
  });
  it('ALT-10 a source with no SA date on record is held for a rep', () => {
    const s = snap((d) => {
      delete system(d, 'SYS-0001').saExpiresOn;
    });
    const r = checkSaCharges(s, clock(), [move('LK-0001', 'ALTI-STATION-10', 1)]);
    expect(outcomes(r.findings)).toEqual(['hold']);
    expect(r.complete).toBe(false);
  });
});

// --- DSK-5 ------------------------------------------------------------------

describe('DSK-5 credit card authorization', () => {
  const due = { totalMinor: 45_000, currency: 'USD' };
  const cardCheck = (c: CardAuthorizationForm, d = due, problems: FieldProblem[] = []) =>
    checkCardAuthorization(request({ 'card-authorization/v1': c }, { formProblems: problems }), clock(), d);
  it('DSK-5 passes a valid card authorising exactly the amount due, naming only the last 4 digits', () => {
    const fs = cardCheck(card({ maxAmountMinor: 45_000 }));
    expect(outcomes(fs)).toEqual(['pass']);
    expect(fs[0]?.message).toContain('1111');
    expect(fs[0]?.message).toContain('450.00 USD');
  });
  it('DSK-5 one cent short is fixable and says the total to authorise', () => {
    const fs = cardCheck(card({ maxAmountMinor: 44_999 }));
    expect(outcomes(fs)).toEqual(['fixable']);
    expect(fs[0]?.fix).toContain('450.00 USD');
  });
  it.each([
    ['a number failing the Luhn check', card({ cardNumberValid: false })],
    ['a card that expired last month', card({ cardExpiry: '10/26' })],
    ['an unreadable expiry', card({ cardExpiry: '13/26' })],
    ['a currency other than USD', card({ currency: 'EUR' })],
  ])('DSK-5 %s is fixable', (_t, c) => {
    const fs = cardCheck(c);
    expect(outcomes(fs)).toEqual(['fixable']);
    expectExplained(fs);
  });
  it('DSK-5 a card expiring this month is still good', () => {
    expect(outcomes(cardCheck(card({ cardExpiry: '11/26' })))).toEqual(['pass']);
  });
  it('DSK-5 an expiry the reader reported as a problem fails', () => {
    const problems: FieldProblem[] = [
      { formId: 'card-authorization/v1', field: 'card_expiry', problem: 'invalid', message: 'not MM/YY' },
    ];
    expect(outcomes(cardCheck(card({ cardExpiry: undefined }), due, problems))).toEqual(['fixable']);
  });
  it('DSK-5 discarded security-code fields are reported as info', () => {
    const r = reviewAltigen(request(undefined, { discardedFields: ['cvv'] }), snap(), clock());
    const f = r.findings.find((x) => x.rule === 'DSK-5' && x.outcome === 'info');
    expect(f?.message).toContain('cvv');
  });
});

// --- the whole review ----------------------------------------------------------

describe('reviewAltigen', () => {
  it('ALT-1 ALT-2 ALT-3 ALT-4 ALT-5 ALT-6 ALT-10 DSK-2 DSK-5 DSK-6 a complete good request moves, with fee and SA charge', () => {
    const r = reviewAltigen(request(undefined), snap(), clock());
    expect(decide(r.findings).outcome).toBe('move');
    for (const rule of ['DSK-2', 'ALT-6', 'DSK-6', 'ALT-1', 'ALT-2', 'ALT-3', 'ALT-5', 'DSK-5']) {
      expect(outcomes(of(rule, r.findings)), rule).toEqual(['pass']);
    }
    expect(r.moves).toEqual([
      { licenseKey: 'LK-0001', from: 'SYS-0001', to: 'SYS-0002', sku: 'ALTI-STATION-10', quantity: 1 },
    ]);
    expect(r.fees.map((f) => f.amountMinor)).toEqual([30_000]);
    expect(r.charges.map((c) => c.amountMinor)).toEqual([15_000]);
    expect(r.softwareOnly).toBe(false);
    expect(r.conversions).toEqual([]);
    expect(of('DSK-5', r.findings)[0]?.message).toContain('450.00 USD');
    expectExplained(r.findings);
  });
  it('DSK-5 ALT-4 ALT-10 the card must cover fee plus SA charges', () => {
    const r = reviewAltigen(
      request({ 'license-transfer/v1': ltf(), 'card-authorization/v1': card({ maxAmountMinor: 30_000 }) }),
      snap(),
      clock(),
    );
    expect(decide(r.findings).outcome).toBe('incomplete');
    expect(of('DSK-5', r.findings)[0]?.fix).toContain('450.00 USD');
  });
  it('ALT-6 with forms missing it still evaluates what it can, and computes no money', () => {
    const r = reviewAltigen(
      request({ 'card-authorization/v1': card() }),
      snap((d) => {
        system(d, 'SYS-0002').saExpiresOn = YESTERDAY;
      }),
      clock(),
    );
    expect(outcomes(of('ALT-6', r.findings))).toEqual(['fixable']);
    expect(outcomes(of('ALT-1', r.findings))).toEqual(['final']);
    expect(r.fees).toEqual([]);
    expect(r.charges).toEqual([]);
    expect(decide(r.findings).outcome).toBe('reject');
  });
  it('ALT-6 ALT-7 a software-only upgrade converts keys and is not limited by chassis', () => {
    const s = snap((d) => {
      d.licenses.push({ key: 'LK-BIG', systemKey: 'SYS-0002', sku: 'ALTI-STATION-1', quantity: 60 });
    });
    const forms: CaseForms = {
      'license-transfer/v1': ltf({
        softwareOnlyUpgrade: true,
        toChassisModel: 'SoftwareOnly',
        licenseKeys: ['LK-0001', 'LK-0002'],
      }),
      'card-authorization/v1': card(),
      'sso-migration/v1': sso(),
    };
    const r = reviewAltigen(request(forms), s, clock());
    expect(r.softwareOnly).toBe(true);
    expect(r.conversions.map((c) => c.toSku)).toEqual(['SSW-STATION-10', 'SSW-ACMAGENT-5']);
    expect(outcomes(of('ALT-5', r.findings))).toEqual(['pass']);
    expect(outcomes(of('ALT-7', r.findings))).toEqual(['pass']);
    expect(decide(r.findings).outcome).toBe('move');
  });
  it('ALT-2 ALT-3 DSK-2 one reply lists every failing rule', () => {
    const forms: CaseForms = {
      'license-transfer/v1': ltf({ toSystemKey: 'SYS-0003', licenseKeys: ['LK-0001 5', 'LK-9999'] }),
      'card-authorization/v1': card(),
    };
    const r = reviewAltigen(
      request(forms),
      snap((d) => {
        system(d, 'SYS-0001').endUserId = 'EU-2';
      }),
      clock(),
    );
    const d = decide(r.findings);
    expect(d.outcome).toBe('reject');
    expect(new Set(d.reasons.map((f) => f.rule))).toEqual(new Set(['DSK-2', 'ALT-2', 'ALT-3']));
    // money is not computed on unknown data: one key is unknown
    expect(of('DSK-5', r.findings).some((f) => f.message.includes('covers'))).toBe(false);
  });
});

// --- object built-ins ------------------------------------------------------------

describe('ALT-1 ALT-2 ALT-3 ALT-10 object built-ins typed as keys, systems or SKUs are names like any other', () => {
  const BUILTINS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
  const noBuiltInText = (fs: Finding[]) => {
    for (const f of fs) expect(`${f.message} ${f.fix ?? ''}`).not.toMatch(/function|native code|\[object/);
  };

  it.each(BUILTINS)('ALT-3 a license key %s is an unknown key: fixable, nothing moves', (name) => {
    const r = reviewAltigen(
      request({ 'license-transfer/v1': ltf({ licenseKeys: [name] }), 'card-authorization/v1': card() }),
      snap(),
      clock(),
    );
    expect(outcomes(of('ALT-3', r.findings))).toEqual(['fixable']);
    expect(of('ALT-3', r.findings)[0]?.message).toContain(name);
    expect(r.moves).toEqual([]);
    noBuiltInText(r.findings);
  });

  it.each(BUILTINS)('ALT-1 ALT-2 a system key %s on the form is an unknown system: the case does not move', (name) => {
    for (const over of [{ fromSystemKey: name }, { toSystemKey: name }]) {
      const r = reviewAltigen(
        request({ 'license-transfer/v1': ltf(over), 'card-authorization/v1': card() }),
        snap(),
        clock(),
      );
      expect(decide(r.findings).outcome).not.toBe('move');
      noBuiltInText(r.findings);
    }
  });

  it.each(BUILTINS)(
    'ALT-3 ALT-10 a registry license and SKU both named %s move, priced from their own catalog entry',
    (name) => {
      const s = snap((d) => {
        d.catalog.push({
          sku: name,
          kind: 'station',
          count: 1,
          lifecycle: 'orderable',
          listPrice: { USD: 160 },
          saYearly: { USD: 365 },
        });
        d.licenses.push({ key: name, systemKey: 'SYS-0001', sku: name, quantity: 1 });
      });
      const r = reviewAltigen(
        request({ 'license-transfer/v1': ltf({ licenseKeys: [name] }), 'card-authorization/v1': card() }),
        s,
        clock(),
      );
      expect(decide(r.findings).outcome).toBe('move');
      expect(r.moves).toEqual([{ licenseKey: name, from: 'SYS-0001', to: 'SYS-0002', sku: name, quantity: 1 }]);
      // 365.00 USD a year from the source's SA end (2026-06-30) to the target's (2027-06-30): 365 days.
      expect(r.charges.map((c) => c.amountMinor)).toEqual([36_500]);
    },
  );
});
