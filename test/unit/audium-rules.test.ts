import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../domain/clock.js';
import { decide } from '../../domain/decision.js';
import type { Finding } from '../../domain/finding.js';
import {
  checkAudiumForms,
  checkCaseTarget,
  checkDeclaration,
  checkMachines,
  checkMoveReason,
  checkMoves,
  checkNoFloating,
  claimSessions,
  isFloatingTarget,
  reactivate,
  reviewAudium,
  sessionsLeft,
  type AudiumRequest,
  type ClaimInput,
} from '../../domain/programs/audium/index.js';
import type { FieldProblem } from '../../forms/types.js';
import type { CaseForms, LicenseTransferForm, UninstallDeclarationForm } from '../../forms/typed-forms.js';
import {
  type Installation,
  type Pool,
  type RegistryDocument,
  type RegistrySnapshot,
} from '../../domain/registry-model.js';
import { snapshotFrom, systemIn } from '../support/registry-edit.js';

// --- fixtures ---------------------------------------------------------------

const NOW = new Date('2026-11-20T12:00:00Z');
const TODAY = '2026-11-20';
const TOMORROW = '2026-11-21';
const clock = () => new ManualClock(NOW);

/**
 * Partner P-500's end user EU-50 (Contoso) owns Audium machines M-OLD (licenses
 * AUD-LK-1, AUD-LK-2) and M-NEW (empty), plus AltiGen system SYS-ALT; EU-51
 * (also P-500) owns M-FAB; EU-60 of partner P-600 owns M-FOREIGN-1/2.
 * Pool CS-POOL-1 (EU-50) has 100 sessions: M-OLD claims 10 and M-CS-2 claims
 * 60, so 30 are left. CS-POOL-2 (EU-50) has 20, none claimed.
 */
function baseDoc(): RegistryDocument {
  return {
    catalog: [
      { sku: 'AUD-STUDIO-SEAT', kind: 'seat', count: 1, lifecycle: 'orderable', listPrice: { USD: 1000 } },
      { sku: 'AUD-CS-SESSIONS', kind: 'session', count: 1, lifecycle: 'orderable', listPrice: { USD: 100 } },
    ],
    partners: [
      { id: 'P-500', name: 'Voice Apps', currency: 'USD', contacts: ['ops@voiceapps.example'], standardDiscountPct: 0 },
      { id: 'P-600', name: 'Other Reseller', currency: 'USD', contacts: ['ops@other.example'], standardDiscountPct: 0 },
    ],
    endUsers: [
      { id: 'EU-50', name: 'Contoso', partnerId: 'P-500' },
      { id: 'EU-51', name: 'Fabrikam', partnerId: 'P-500' },
      { id: 'EU-60', name: 'Umbrella', partnerId: 'P-600' },
    ],
    systems: [
      { key: 'M-OLD', endUserId: 'EU-50', program: 'audium', registered: true },
      { key: 'M-NEW', endUserId: 'EU-50', program: 'audium', registered: true },
      { key: 'M-CS-2', endUserId: 'EU-50', program: 'audium', registered: true },
      {
        key: 'SYS-ALT',
        endUserId: 'EU-50',
        program: 'altigen',
        model: 'Max1000',
        registered: true,
        saExpiresOn: '2027-06-30',
      },
      { key: 'M-FAB', endUserId: 'EU-51', program: 'audium', registered: true },
      { key: 'M-FOREIGN-1', endUserId: 'EU-60', program: 'audium', registered: true },
      { key: 'M-FOREIGN-2', endUserId: 'EU-60', program: 'audium', registered: true },
    ],
    licenses: [
      { key: 'AUD-LK-1', systemKey: 'M-OLD', sku: 'AUD-STUDIO-SEAT', quantity: 1 },
      { key: 'AUD-LK-2', systemKey: 'M-OLD', sku: 'AUD-STUDIO-SEAT', quantity: 2 },
      { key: 'AUD-LK-3', systemKey: 'M-FAB', sku: 'AUD-STUDIO-SEAT', quantity: 1 },
      { key: 'AUD-LK-4', systemKey: 'M-OLD', sku: 'AUD-STUDIO-SEAT', quantity: 1, forfeited: true },
    ],
    cases: [
      { number: '300001', partnerId: 'P-500', systemKey: 'M-NEW', program: 'audium', openedAt: '2026-11-19T09:00:00Z' },
    ],
    pools: [
      { id: 'CS-POOL-1', endUserId: 'EU-50', sku: 'AUD-CS-SESSIONS', sessions: 100 },
      { id: 'CS-POOL-2', endUserId: 'EU-50', sku: 'AUD-CS-SESSIONS', sessions: 20 },
    ],
    installations: [
      {
        machineId: 'M-OLD',
        endUserId: 'EU-50',
        poolId: 'CS-POOL-1',
        sessions: 10,
        activatedAt: '2026-11-01T10:00:00Z',
        lastReactivatedAt: null,
      },
      {
        machineId: 'M-CS-2',
        endUserId: 'EU-50',
        poolId: 'CS-POOL-1',
        sessions: 60,
        activatedAt: '2026-11-02T10:00:00Z',
        lastReactivatedAt: null,
      },
    ],
  };
}

const snap = (edit?: (d: RegistryDocument) => void): RegistrySnapshot => snapshotFrom(baseDoc, edit);

const system = systemIn;

const pool = (s: RegistrySnapshot, id: string): Pool => {
  const p = s.pools.get(id);
  if (!p) throw new Error(id);
  return p;
};

/** The snapshot after writing one installation (what the CLI commits). */
const withInstallation = (s: RegistrySnapshot, i: Installation): RegistrySnapshot => ({
  ...s,
  installations: new Map(s.installations).set(i.machineId, i),
});

function ltf(over: Partial<LicenseTransferForm> = {}): LicenseTransferForm {
  return {
    formId: 'license-transfer/v1',
    caseNumber: '300001',
    partnerId: 'P-500',
    partnerName: 'Voice Apps',
    contactEmail: 'ops@voiceapps.example',
    endUserId: 'EU-50',
    endUserName: 'Contoso',
    fromSystemKey: 'M-OLD',
    toSystemKey: 'M-NEW',
    toChassisModel: 'Other',
    licenseKeys: ['AUD-LK-1'],
    softwareOnlyUpgrade: false,
    signerName: 'Pat',
    signedOn: '2026-11-19',
    ...over,
  };
}

function decl(over: Partial<UninstallDeclarationForm> = {}): UninstallDeclarationForm {
  return {
    formId: 'uninstall-declaration/v1',
    caseNumber: '300001',
    endUserId: 'EU-50',
    oldMachineId: 'M-OLD',
    newMachineId: 'M-NEW',
    reason: 'defective',
    uninstalledOn: '2026-11-18',
    signerName: 'Pat',
    signedOn: '2026-11-19',
    ...over,
  };
}

function request(
  forms: CaseForms = { 'license-transfer/v1': ltf(), 'uninstall-declaration/v1': decl() },
  over: { formProblems?: FieldProblem[]; discardedFields?: string[]; systemKey?: string; partnerId?: string } = {},
): AudiumRequest {
  return {
    caseNumber: '300001',
    registryCase: {
      number: '300001',
      partnerId: over.partnerId ?? 'P-500',
      systemKey: over.systemKey ?? 'M-NEW',
      program: 'audium',
      openedAt: '2026-11-19T09:00:00Z',
    },
    forms,
    formProblems: over.formProblems ?? [],
    discardedFields: over.discardedFields ?? [],
    sender: 'ops@voiceapps.example',
  };
}

const both = (
  l: Partial<LicenseTransferForm> = {},
  d: Partial<UninstallDeclarationForm> = {},
  over: Parameters<typeof request>[1] = {},
) => request({ 'license-transfer/v1': ltf(l), 'uninstall-declaration/v1': decl(d) }, over);

const of = (rule: string, fs: Finding[]) => fs.filter((f) => f.rule === rule);
const outcomes = (fs: Finding[]) =>
  fs.map((f) => (f.outcome === 'fail' ? (f.fixable ? 'fixable' : 'final') : f.outcome));

function expectExplained(fs: Finding[]) {
  for (const f of fs) {
    expect(f.message.length).toBeGreaterThan(10);
    if (f.outcome === 'fail' && f.fixable) expect(f.fix).toBeTruthy();
  }
}

const problem = (
  formId: FieldProblem['formId'],
  field: string,
  kind: FieldProblem['problem'] = 'missing',
): FieldProblem => ({ formId, field, problem: kind, message: `The form has no usable ${field}.` });

const claim = (over: Partial<ClaimInput> = {}): ClaimInput => ({
  machineId: 'M-NEW',
  poolId: 'CS-POOL-1',
  sessions: 10,
  now: NOW,
  ...over,
});

// --- DSK-6 / DSK-2 --------------------------------------------------------------

describe('DSK-6 DSK-2 the Audium forms', () => {
  it('DSK-6 asks for each missing form', () => {
    const fs = checkAudiumForms(request({}));
    expect(outcomes(fs)).toEqual(['fixable', 'fixable']);
    expect(fs.map((f) => f.message).join(' ')).toContain('license-transfer/v1');
    expect(fs.map((f) => f.message).join(' ')).toContain('uninstall-declaration/v1');
    const plan = reviewAudium(request({}), snap(), clock());
    expect(decide(plan.findings).outcome).toBe('incomplete');
    expect(plan.moves).toEqual([]);
  });
  it('DSK-6 names the empty fields the rules need', () => {
    const fs = checkAudiumForms(
      both({ fromSystemKey: undefined, licenseKeys: [] }, { reason: undefined, uninstalledOn: undefined }),
    );
    expect(outcomes(fs)).toEqual(['fixable', 'fixable']);
    const fixes = fs.map((f) => f.fix).join(' ');
    for (const field of ['from_system_key', 'license_keys', 'reason', 'uninstalled_on']) expect(fixes).toContain(field);
  });
  it('DSK-6 does not ask for the AltiGen-only chassis model', () => {
    const fs = checkAudiumForms(
      both({ toChassisModel: undefined }, {}, { formProblems: [problem('license-transfer/v1', 'to_chassis_model')] }),
    );
    expect(outcomes(fs)).toEqual(['pass']);
  });
  it('DSK-6 a form with another case number is fixable', () => {
    expect(outcomes(checkAudiumForms(both({}, { caseNumber: '300002' })))).toEqual(['fixable']);
  });
  it.each([
    ['M-NEW', 'pass'],
    [' m-new ', 'pass'],
    ['M-FAB', 'final'],
  ])('DSK-2 to_system_key %s on a case opened for M-NEW: %s', (to, want) => {
    expect(outcomes(checkCaseTarget(both({ toSystemKey: to })))).toEqual([want]);
  });
});

// --- AUD-1 --------------------------------------------------------------------

describe('AUD-1 licenses are bound to a machine; a rep approves a move', () => {
  it.each(['defective', 'obsolete', 'retired'] as const)(
    'AUD-1 a machine that is %s: the move is held for a rep, even when everything else passes',
    (reason) => {
      const plan = reviewAudium(both({}, { reason }), snap(), clock());
      const d = decide(plan.findings);
      expect(d.outcome).toBe('hold');
      expect(d.reasons.map((f) => f.rule)).toEqual(['AUD-1']);
      expect(d.reasons[0]?.message).toContain(reason);
      expect(d.reasons[0]?.message).toContain('M-OLD');
      expect(d.reasons[0]?.message).toContain('Account Representative');
      expect(plan.extra.reason).toBe(reason);
    },
  );
  it('AUD-1 a reason outside defective, obsolete and retired is rejected (not fixable)', () => {
    const invalid = both(
      {},
      { reason: undefined },
      { formProblems: [problem('uninstall-declaration/v1', 'reason', 'invalid')] },
    );
    expect(outcomes(checkMoveReason(invalid))).toEqual(['final']);
    const typed = both({}, { reason: 'upgrade' as unknown as UninstallDeclarationForm['reason'] });
    const fs = checkMoveReason(typed);
    expect(outcomes(fs)).toEqual(['final']);
    expect(fs[0]?.message).toContain('upgrade');
    const plan = reviewAudium(invalid, snap(), clock());
    expect(decide(plan.findings).outcome).toBe('reject');
    expect(of('DSK-6', plan.findings).every((f) => f.outcome === 'pass')).toBe(true);
  });
  const machines: [string, Partial<LicenseTransferForm>, (d: RegistryDocument) => void, 'final' | 'fixable', string][] =
    [
      ['an unknown old machine (a typo)', { fromSystemKey: 'M-OLDD' }, () => {}, 'fixable', 'M-OLDD'],
      ['an unknown new machine (a typo)', { toSystemKey: 'M-NEWW' }, () => {}, 'fixable', 'M-NEWW'],
      ['the same machine twice', { fromSystemKey: 'M-NEW' }, () => {}, 'fixable', 'same machine'],
      ['a new machine that is not an Audium machine', { toSystemKey: 'SYS-ALT' }, () => {}, 'final', 'altigen'],
      ['machines of two end users', { toSystemKey: 'M-FAB' }, () => {}, 'final', 'Fabrikam'],
      [
        'machines of an end user of another partner',
        { fromSystemKey: 'M-FOREIGN-1', toSystemKey: 'M-FOREIGN-2' },
        () => {},
        'final',
        'P-600',
      ],
      [
        'a disabled new machine',
        {},
        (d) => {
          system(d, 'M-NEW').disabled = true;
        },
        'final',
        'disabled',
      ],
    ];
  it.each(machines)('AUD-1 rejects a move between %s', (_t, l, edit, want, words) => {
    const fs = checkMachines(both(l), snap(edit)).findings;
    expect(outcomes(fs)).toContain(want);
    expect(fs.filter((f) => f.outcome === 'fail').every((f) => (want === 'fixable') === (f.fixable === true))).toBe(
      true,
    );
    expect(fs.map((f) => f.message).join(' ')).toContain(words);
    expectExplained(fs);
  });
  it('AUD-1 passes two Audium machines of one end user of the case partner', () => {
    const fs = checkMachines(both(), snap()).findings;
    expect(outcomes(fs)).toEqual(['pass']);
    expect(fs[0]?.message).toContain('Contoso');
  });
  it('AUD-1 moves every listed key bound to the old machine, and says which stay', () => {
    const s = snap();
    const m = checkMachines(both(), s);
    const r = checkMoves(both({ licenseKeys: ['AUD-LK-1'] }), s, m.old, m.next);
    expect(r.moves).toEqual([
      { licenseKey: 'AUD-LK-1', from: 'M-OLD', to: 'M-NEW', sku: 'AUD-STUDIO-SEAT', quantity: 1 },
    ]);
    expect(outcomes(r.findings)).toEqual(['pass', 'info']);
    expect(r.findings[1]?.message).toContain('AUD-LK-2');
    expect(r.complete).toBe(true);
  });
  const keys: [string, string[], string][] = [
    ['a key bound to another machine', ['AUD-LK-1', 'AUD-LK-3'], 'M-FAB'],
    ['an unknown key', ['AUD-LK-99'], 'AUD-LK-99'],
    ['a forfeited key', ['AUD-LK-4'], 'forfeited'],
  ];
  it.each(keys)('AUD-1 a listed key must be on the old machine: %s is fixable', (_t, licenseKeys, words) => {
    const s = snap();
    const m = checkMachines(both(), s);
    const r = checkMoves(both({ licenseKeys }), s, m.old, m.next);
    expect(outcomes(r.findings)).toEqual(['fixable']);
    expect(r.findings[0]?.message).toContain(words);
    expect(r.complete).toBe(false);
  });
});

// --- AUD-2 --------------------------------------------------------------------

describe('AUD-2 signed declaration of uninstall and reactivation of the old machine', () => {
  it('AUD-2 passes a signed declaration naming the same machines', () => {
    const fs = checkDeclaration(both(), clock());
    expect(outcomes(fs)).toEqual(['pass']);
    expect(fs[0]?.message).toContain('Pat');
  });
  const cases: [string, Partial<UninstallDeclarationForm>, 'pass' | 'fixable', string][] = [
    ['no signer_name', { signerName: undefined }, 'fixable', 'signer_name'],
    ['no signed_on', { signedOn: undefined }, 'fixable', 'signed_on'],
    ['old_machine_id other than from_system_key', { oldMachineId: 'M-FAB' }, 'fixable', 'old_machine_id'],
    ['new_machine_id other than to_system_key', { newMachineId: 'M-FAB' }, 'fixable', 'new_machine_id'],
    ['machine ids in another case', { oldMachineId: 'm-old', newMachineId: ' m-new ' }, 'pass', 'm-old'],
    ['uninstalled today', { uninstalledOn: TODAY, signedOn: TODAY }, 'pass', TODAY],
    ['uninstalled tomorrow', { uninstalledOn: TOMORROW, signedOn: TODAY }, 'fixable', TOMORROW],
    [
      'uninstalled after it was signed',
      { uninstalledOn: TODAY, signedOn: '2026-11-19' },
      'fixable',
      'signed on 2026-11-19',
    ],
  ];
  it.each(cases)('AUD-2 a declaration with %s', (_t, d, want, words) => {
    const fs = checkDeclaration(both({}, d), clock());
    expect(outcomes(fs)).toEqual([want]);
    expect(fs[0]?.message).toContain(words);
    expectExplained(fs);
  });
  it('AUD-2 an unsigned declaration is one finding, not a DSK-6 one too', () => {
    const formProblems = [
      problem('uninstall-declaration/v1', 'signer_name'),
      problem('uninstall-declaration/v1', 'signed_on'),
    ];
    const plan = reviewAudium(
      both({}, { signerName: undefined, signedOn: undefined }, { formProblems }),
      snap(),
      clock(),
    );
    expect(outcomes(of('AUD-2', plan.findings))).toContain('fixable');
    expect(of('AUD-2', plan.findings).filter((f) => f.outcome === 'fail')).toHaveLength(1);
    expect(outcomes(of('DSK-6', plan.findings))).toEqual(['pass']);
    expect(decide(plan.findings).outcome).toBe('incomplete');
  });
  it("AUD-2 the move waits for the old machine's reactivation", () => {
    const plan = reviewAudium(both(), snap(), clock());
    expect(plan.extra.requiresReactivationOf).toBe('M-OLD');
    const f = of('AUD-2', plan.findings).find((x) => x.outcome === 'info');
    expect(f?.message).toContain('reactivated');
    expect(f?.message).toContain('M-OLD');
  });
  it('AUD-2 no reactivation is awaited while the old machine is unknown', () => {
    expect(
      reviewAudium(both({ fromSystemKey: 'M-NOPE' }), snap(), clock()).extra.requiresReactivationOf,
    ).toBeUndefined();
  });
});

// --- AUD-3 --------------------------------------------------------------------

describe('AUD-3 reactivation consumes nothing', () => {
  it('AUD-3 reactivating an installation sets lastReactivatedAt and leaves its sessions and the pool alone', () => {
    const s = snap();
    const before = sessionsLeft(s, pool(s, 'CS-POOL-1'));
    const r = reactivate(s, { machineId: 'M-OLD', now: NOW });
    if (!r.ok) throw new Error(r.message);
    expect(r.installation).toEqual({ ...s.installations.get('M-OLD'), lastReactivatedAt: NOW.toISOString() });
    expect(r.licenses.map((l) => l.key)).toEqual(['AUD-LK-1', 'AUD-LK-2']);
    expect(outcomes(r.findings)).toEqual(['pass']);
    expect(r.findings[0]?.message).toContain('no session');
    const after = withInstallation(s, r.installation as Installation);
    expect(sessionsLeft(after, pool(after, 'CS-POOL-1'))).toBe(before);
  });
  it('AUD-3 reactivating again and again never consumes sessions', () => {
    let s = snap();
    const c = clock();
    for (let n = 0; n < 3; n++) {
      c.advance(3600_000);
      const r = reactivate(s, { machineId: 'M-CS-2', now: c.now() });
      if (!r.ok || !r.installation) throw new Error('reactivation failed');
      s = withInstallation(s, r.installation);
      expect(r.installation.sessions).toBe(60);
      expect(r.installation.lastReactivatedAt).toBe(c.now().toISOString());
    }
    expect(sessionsLeft(s, pool(s, 'CS-POOL-1'))).toBe(30);
  });
  it('AUD-3 a Studio machine without an installation reactivates too', () => {
    const r = reactivate(snap(), { machineId: 'M-NEW', now: NOW });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.installation).toBeUndefined();
  });
  it('AUD-3 an unknown machine cannot be reactivated; nor a machine of another program', () => {
    const unknown = reactivate(snap(), { machineId: 'M-NOPE', now: NOW });
    expect(unknown.ok ? 'ok' : unknown.code).toBe('E_MACHINE_UNKNOWN');
    const altigen = reactivate(snap(), { machineId: 'SYS-ALT', now: NOW });
    expect(altigen.ok ? 'ok' : altigen.code).toBe('E_USAGE');
  });
  it('AUD-3 reactivation is pure: the snapshot is not changed', () => {
    const s = snap();
    reactivate(s, { machineId: 'M-OLD', now: NOW });
    expect(s.installations.get('M-OLD')?.lastReactivatedAt).toBeNull();
  });
});

// --- AUD-4 --------------------------------------------------------------------

describe('AUD-4 Call Services session pools', () => {
  // CS-POOL-1: 100 sessions, M-OLD claims 10 and M-CS-2 claims 60: 30 left.
  it("AUD-4 sessions left are the pool size less every installation's claim", () => {
    const s = snap();
    expect(sessionsLeft(s, pool(s, 'CS-POOL-1'))).toBe(30);
    expect(sessionsLeft(s, pool(s, 'CS-POOL-2'))).toBe(20);
  });
  const cases: [string, Partial<ClaimInput>, { delta: number; sessions: number } | string][] = [
    ['a new installation claims exactly the 30 left', { sessions: 30 }, { delta: 30, sessions: 30 }],
    ['a new installation claiming 31 (one more than left) fails', { sessions: 31 }, 'E_POOL_EXHAUSTED'],
    ['a new installation claims 1', { sessions: 1 }, { delta: 1, sessions: 1 }],
    [
      'raising M-OLD from 10 to 40 claims the 30 left',
      { machineId: 'M-OLD', sessions: 40 },
      { delta: 30, sessions: 40 },
    ],
    ['raising M-OLD from 10 to 41 fails', { machineId: 'M-OLD', sessions: 41 }, 'E_POOL_EXHAUSTED'],
    ['raising M-OLD from 10 to 11 claims 1', { machineId: 'M-OLD', sessions: 11 }, { delta: 1, sessions: 11 }],
    ['asking M-OLD for its 10 claims nothing', { machineId: 'M-OLD', sessions: 10 }, { delta: 0, sessions: 10 }],
    [
      'lowering M-OLD to 5 keeps 10 and returns nothing',
      { machineId: 'M-OLD', sessions: 5 },
      { delta: 0, sessions: 10 },
    ],
    ['an unknown pool fails', { poolId: 'CS-POOL-9' }, 'E_POOL_UNKNOWN'],
    ['M-OLD claiming from a second pool fails', { machineId: 'M-OLD', poolId: 'CS-POOL-2' }, 'E_USAGE'],
    ['a machine of another end user fails', { machineId: 'M-FAB' }, 'E_USAGE'],
    ["an explicit end user that is not the pool's fails", { endUserId: 'EU-51' }, 'E_USAGE'],
    ['0 sessions fails', { sessions: 0 }, 'E_USAGE'],
    ['negative sessions fail', { sessions: -5 }, 'E_USAGE'],
    ['a fraction of a session fails', { sessions: 2.5 }, 'E_USAGE'],
  ];
  it.each(cases)('AUD-4 %s', (_t, over, want) => {
    const r = claimSessions(snap(), claim(over));
    if (typeof want === 'string') {
      expect(r.ok ? 'ok' : r.code).toBe(want);
      expect(outcomes(r.findings)).toEqual(['final']);
      return;
    }
    if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
    expect(r.claimDelta).toBe(want.delta);
    expect(r.installation.sessions).toBe(want.sessions);
    expect(r.sessionsLeft).toBe(30 - want.delta);
  });
  it('AUD-4 an exhausted pool names the sessions left', () => {
    const r = claimSessions(snap(), claim({ sessions: 31 }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('30 sessions left');
      expect(r.message).toContain('CS-POOL-1');
    }
  });
  it('AUD-4 a new installation is bound to the pool and its end user, activated now', () => {
    const r = claimSessions(snap(), claim({ sessions: 5 }));
    if (!r.ok) throw new Error(r.message);
    expect(r.installation).toEqual({
      machineId: 'M-NEW',
      endUserId: 'EU-50',
      poolId: 'CS-POOL-1',
      sessions: 5,
      activatedAt: NOW.toISOString(),
      lastReactivatedAt: null,
    });
    expect(outcomes(r.findings)).toEqual(['pass']);
  });
  it('AUD-4 claims only the difference when an installation is raised', () => {
    const r = claimSessions(snap(), claim({ machineId: 'M-OLD', sessions: 25 }));
    if (!r.ok) throw new Error(r.message);
    expect(r.claimDelta).toBe(15);
    expect(r.installation).toMatchObject({
      machineId: 'M-OLD',
      sessions: 25,
      activatedAt: '2026-11-01T10:00:00Z',
      lastReactivatedAt: NOW.toISOString(),
    });
    expect(r.findings[0]?.message).toContain('15 sessions');
  });
  it('AUD-4 claimed sessions are never returned: lowering one installation frees nothing for another', () => {
    let s = snap();
    const lower = claimSessions(s, claim({ machineId: 'M-CS-2', sessions: 10 }));
    if (!lower.ok) throw new Error(lower.message);
    expect(lower.claimDelta).toBe(0);
    expect(lower.installation.sessions).toBe(60);
    expect(outcomes(lower.findings)).toEqual(['info']);
    expect(lower.findings[0]?.message).toContain('never returned');
    s = withInstallation(s, lower.installation);
    const next = claimSessions(s, claim({ sessions: 31 }));
    expect(next.ok ? 'ok' : next.code).toBe('E_POOL_EXHAUSTED');
  });
  it('AUD-4 claims applied one after another never exceed the pool', () => {
    let s = snap();
    const granted: number[] = [];
    for (const [machineId, sessions] of [
      ['M-A', 12],
      ['M-B', 12],
      ['M-C', 12],
      ['M-D', 6],
    ] as const) {
      const r = claimSessions(s, claim({ machineId, sessions }));
      if (r.ok) {
        s = withInstallation(s, r.installation);
        granted.push(r.claimDelta);
      } else granted.push(-1);
    }
    expect(granted).toEqual([12, 12, -1, 6]);
    expect(sessionsLeft(s, pool(s, 'CS-POOL-1'))).toBe(0);
    const total = [...s.installations.values()]
      .filter((i) => i.poolId === 'CS-POOL-1')
      .reduce((n, i) => n + i.sessions, 0);
    expect(total).toBe(100);
  });
  it("AUD-4 a machine move does not give the old installation's sessions back", () => {
    const plan = reviewAudium(both(), snap(), clock());
    const f = of('AUD-4', plan.findings);
    expect(outcomes(f)).toEqual(['info']);
    expect(f[0]?.message).toContain('CS-POOL-1');
    expect(f[0]?.message).toContain('never returned');
  });
  it('AUD-4 claiming is pure: the snapshot is not changed', () => {
    const s = snap();
    claimSessions(s, claim({ machineId: 'M-OLD', sessions: 40 }));
    expect(s.installations.get('M-OLD')?.sessions).toBe(10);
  });
});

// --- AUD-5 --------------------------------------------------------------------

describe('AUD-5 there are no floating licenses', () => {
  it('AUD-5 passes a move that binds the licenses to a named machine', () => {
    const fs = checkNoFloating(both(), snap());
    expect(outcomes(fs)).toEqual(['pass']);
    expect(fs[0]?.message).toContain('M-NEW');
  });
  it('AUD-5 an empty to_system_key is fixable: name the new machine (reported once)', () => {
    for (const formProblems of [[], [problem('license-transfer/v1', 'to_system_key')]]) {
      const plan = reviewAudium(
        both({ toSystemKey: undefined }, { newMachineId: undefined }, { formProblems }),
        snap(),
        clock(),
      );
      expect(outcomes(of('AUD-5', plan.findings))).toEqual(['fixable']);
      expect(of('AUD-5', plan.findings)[0]?.fix).toContain('to_system_key');
      expect(of('DSK-2', plan.findings)).toEqual([]);
    }
  });
  const floating: [string, Partial<LicenseTransferForm>, Partial<UninstallDeclarationForm>][] = [
    ['to_system_key "floating"', { toSystemKey: 'floating' }, { newMachineId: 'floating' }],
    ['to_system_key "Floating license"', { toSystemKey: 'Floating license' }, {}],
    ['to_system_key "unassigned"', { toSystemKey: 'unassigned' }, {}],
    ['to_system_key "pool"', { toSystemKey: 'pool' }, {}],
    ['to_system_key naming a session pool', { toSystemKey: 'CS-POOL-1' }, {}],
    ['new_machine_id "none"', {}, { newMachineId: 'none' }],
  ];
  it.each(floating)('AUD-5 rejects a request for floating licenses: %s', (_t, l, d) => {
    const plan = reviewAudium(both(l, d), snap(), clock());
    const fs = of('AUD-5', plan.findings);
    expect(outcomes(fs)).toContain('final');
    expect(fs.map((f) => f.message).join(' ')).toMatch(/floating/);
    expect(decide(plan.findings).outcome).toBe('reject');
    if (l.toSystemKey) expect(plan.moves).toEqual([]);
  });
  it.each([
    ['floating', true],
    ['N/A', true],
    ['any machine', true],
    ['M-NEW', false],
    ['FLOAT-SRV-01', false],
    ['floating-host-2', false],
  ])('AUD-5 "%s" asks for no machine: %s', (value, want) => {
    expect(isFloatingTarget(value)).toBe(want);
  });
});

// --- the whole review ----------------------------------------------------------

describe('reviewAudium', () => {
  it('AUD-1 AUD-2 AUD-5 DSK-2 DSK-6 a complete good move is held for the rep, with moves and the reactivation to wait for', () => {
    const plan = reviewAudium(both({ licenseKeys: ['AUD-LK-1', 'aud-lk-2'] }, { reason: 'obsolete' }), snap(), clock());
    expect(decide(plan.findings).outcome).toBe('hold');
    for (const rule of ['DSK-6', 'DSK-2', 'AUD-5']) expect(outcomes(of(rule, plan.findings)), rule).toEqual(['pass']);
    expect(outcomes(of('AUD-1', plan.findings))).toEqual(['pass', 'pass', 'hold']);
    expect(outcomes(of('AUD-2', plan.findings))).toEqual(['pass', 'info']);
    expect(plan.moves).toEqual([
      { licenseKey: 'AUD-LK-1', from: 'M-OLD', to: 'M-NEW', sku: 'AUD-STUDIO-SEAT', quantity: 1 },
      { licenseKey: 'AUD-LK-2', from: 'M-OLD', to: 'M-NEW', sku: 'AUD-STUDIO-SEAT', quantity: 2 },
    ]);
    expect(plan.extra).toMatchObject({
      requiresReactivationOf: 'M-OLD',
      oldMachineId: 'M-OLD',
      newMachineId: 'M-NEW',
      reason: 'obsolete',
    });
    expect(plan.fees).toEqual([]);
    expectExplained(plan.findings);
  });
  it('AUD-1 AUD-2 DSK-2 one reply lists every failing rule', () => {
    const plan = reviewAudium(
      both({ toSystemKey: 'M-FAB', licenseKeys: ['AUD-LK-3'] }, { signerName: undefined }),
      snap(),
      clock(),
    );
    const d = decide(plan.findings);
    expect(d.outcome).toBe('reject');
    expect(new Set(d.reasons.map((f) => f.rule))).toEqual(new Set(['DSK-2', 'AUD-1', 'AUD-2']));
    expectExplained(plan.findings);
  });
  it('DSK-5 a discarded security-code field is reported', () => {
    const plan = reviewAudium(both({}, {}, { discardedFields: ['cvc'] }), snap(), clock());
    expect(of('DSK-5', plan.findings)[0]?.message).toContain('cvc');
  });
});

// --- object built-ins ------------------------------------------------------------

describe('AUD-1 AUD-4 object built-ins typed as machines, keys or pools are names like any other', () => {
  const BUILTINS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
  const noBuiltInText = (fs: Finding[]) => {
    for (const f of fs) expect(`${f.message} ${f.fix ?? ''}`).not.toMatch(/function|native code|\[object/);
  };

  it.each(BUILTINS)('AUD-1 a license key %s is unknown: fixable, nothing moves', (name) => {
    const plan = reviewAudium(both({ licenseKeys: [name] }), snap(), clock());
    expect(outcomes(of('AUD-1', plan.findings))).toContain('fixable');
    expect(plan.moves).toEqual([]);
    noBuiltInText(plan.findings);
  });

  it.each(BUILTINS)('AUD-1 a machine id %s is unknown on either side: nothing moves', (name) => {
    for (const [l, d] of [
      [{ fromSystemKey: name }, { oldMachineId: name }],
      [{ toSystemKey: name }, { newMachineId: name }],
    ] as const) {
      const plan = reviewAudium(both(l, d), snap(), clock());
      expect(decide(plan.findings).outcome).not.toBe('hold');
      expect(plan.moves).toEqual([]);
      noBuiltInText(plan.findings);
    }
  });

  it.each(BUILTINS)('AUD-4 a pool id %s is an unknown pool', (name) => {
    const r = claimSessions(snap(), claim({ poolId: name }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('E_POOL_UNKNOWN');
  });

  it.each(BUILTINS)('AUD-4 a new installation on a machine %s claims from the pool like any other', (name) => {
    const r = claimSessions(snap(), claim({ machineId: name, sessions: 30 }));
    expect(r.ok).toBe(true);
    if (r.ok) expect([r.claimDelta, r.sessionsLeft]).toEqual([30, 0]);
  });
});
