import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../domain/clock.js';
import { decide } from '../../domain/decision.js';
import type { Finding } from '../../domain/finding.js';
import {
  checkAccountForm,
  checkLinkedAccounts,
  checkQuantities,
  checkSaleAccounts,
  findAccount,
  reviewLumenvox,
  type LumenvoxRequest,
} from '../../domain/programs/lumenvox/index.js';
import { lumenvox } from '../../domain/programs/lumenvox/program.js';
import type { FieldProblem } from '../../forms/types.js';
import type { AccountTransferForm, CaseForms } from '../../forms/typed-forms.js';
import { type RegistryDocument, type RegistrySnapshot } from '../../domain/registry-model.js';
import { accountIn, snapshotFrom } from '../support/registry-edit.js';

// --- fixtures ---------------------------------------------------------------

const NOW = new Date('2026-11-20T12:00:00Z');
const clock = () => new ManualClock(NOW);

/**
 * Partner P-300 controls LV-RES-1 (10 LV-ASR-PORT available, 2 deployed; 3
 * LV-TTS-PORT available) and LV-RES-2, which is linked to LV-RES-1 (it may pull
 * from it). LV-EU-9 is an end user of LV-RES-1, LV-EU-7 of LV-RES-2.
 * Partner P-400 controls LV-OTHER and its end user LV-EU-8.
 */
function baseDoc(): RegistryDocument {
  return {
    catalog: [],
    partners: [
      { id: 'P-300', name: 'Reseller Co', currency: 'USD', contacts: ['lic@reseller.example'], standardDiscountPct: 0 },
      { id: 'P-400', name: 'Other Reseller', currency: 'USD', contacts: ['ops@other.example'], standardDiscountPct: 0 },
    ],
    endUsers: [],
    systems: [],
    licenses: [],
    cases: [
      {
        number: '200001',
        partnerId: 'P-300',
        systemKey: 'LV-EU-9',
        program: 'lumenvox',
        openedAt: '2026-11-19T09:00:00Z',
      },
    ],
    accounts: [
      {
        id: 'LV-RES-1',
        partnerId: 'P-300',
        parentId: null,
        contacts: ['lic@reseller.example'],
        linkedAccountIds: [],
        available: { 'LV-ASR-PORT': 10, 'LV-TTS-PORT': 3 },
        deployed: { 'LV-ASR-PORT': 2 },
      },
      {
        id: 'LV-RES-2',
        partnerId: 'P-300',
        parentId: null,
        contacts: ['ops@reseller2.example'],
        linkedAccountIds: ['LV-RES-1'],
        available: { 'LV-ASR-PORT': 1 },
        deployed: {},
      },
      {
        id: 'LV-EU-9',
        partnerId: 'P-300',
        parentId: 'LV-RES-1',
        contacts: ['it@enduser.example'],
        linkedAccountIds: [],
        available: {},
        deployed: {},
      },
      {
        id: 'LV-EU-7',
        partnerId: 'P-300',
        parentId: 'LV-RES-2',
        contacts: ['it@eu7.example'],
        linkedAccountIds: [],
        available: {},
        deployed: {},
      },
      {
        id: 'LV-OTHER',
        partnerId: 'P-400',
        parentId: null,
        contacts: ['lic@other.example'],
        linkedAccountIds: ['LV-RES-1'],
        available: { 'LV-ASR-PORT': 5 },
        deployed: {},
      },
      {
        id: 'LV-EU-8',
        partnerId: 'P-400',
        parentId: 'LV-OTHER',
        contacts: ['it@eu8.example'],
        linkedAccountIds: [],
        available: {},
        deployed: {},
      },
    ],
  };
}

const snap = (edit?: (d: RegistryDocument) => void): RegistrySnapshot => snapshotFrom(baseDoc, edit);

const account = accountIn;

function atf(over: Partial<AccountTransferForm> = {}): AccountTransferForm {
  return {
    formId: 'account-transfer/v1',
    caseNumber: '200001',
    partnerId: 'P-300',
    contactEmail: 'lic@reseller.example',
    transferKind: 'sale',
    fromAccountId: 'LV-RES-1',
    toAccountId: 'LV-EU-9',
    quantities: { 'LV-ASR-PORT': 4 },
    signerName: 'Pat',
    signedOn: '2026-11-19',
    ...over,
  };
}

/** The linked transfer LV-RES-2 asks for: 1 LV-ASR-PORT pulled from LV-RES-1. */
const linked = (over: Partial<AccountTransferForm> = {}) =>
  atf({
    transferKind: 'linked-transfer',
    fromAccountId: 'LV-RES-1',
    toAccountId: 'LV-RES-2',
    contactEmail: 'ops@reseller2.example',
    ...over,
  });

function request(
  forms: CaseForms = { 'account-transfer/v1': atf() },
  over: { formProblems?: FieldProblem[]; discardedFields?: string[]; sender?: string; partnerId?: string } = {},
): LumenvoxRequest {
  return {
    caseNumber: '200001',
    registryCase: {
      number: '200001',
      partnerId: over.partnerId ?? 'P-300',
      systemKey: 'LV-EU-9',
      program: 'lumenvox',
      openedAt: '2026-11-19T09:00:00Z',
    },
    forms,
    formProblems: over.formProblems ?? [],
    discardedFields: over.discardedFields ?? [],
    sender: over.sender ?? 'lic@reseller.example',
  };
}

const one = (form: AccountTransferForm, over: Parameters<typeof request>[1] = {}) =>
  request({ 'account-transfer/v1': form }, over);

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

const problem = (field: string, kind: FieldProblem['problem'] = 'missing'): FieldProblem => ({
  formId: 'account-transfer/v1',
  field,
  problem: kind,
  message: `The License sale or transfer between accounts has no ${field}.`,
});

// --- DSK-6 -------------------------------------------------------------------

describe('DSK-6 the account-transfer form', () => {
  it('DSK-6 asks for the form when it has not been received, and plans nothing', () => {
    const fs = checkAccountForm(request({}));
    expect(outcomes(fs)).toEqual(['fixable']);
    expect(fs[0]?.message).toContain('account-transfer/v1');
    expect(fs[0]?.fix).toContain('[Case 200001]');
    const plan = reviewLumenvox(request({}), snap(), clock());
    expect(plan.accountTransfers).toEqual([]);
    expect(decide(plan.findings).outcome).toBe('incomplete');
  });
  it('DSK-6 names every empty field the rules need, in one finding', () => {
    const fs = checkAccountForm(one(atf({ transferKind: undefined, fromAccountId: ' ', toAccountId: undefined })));
    expect(outcomes(fs)).toEqual(['fixable']);
    for (const field of ['transfer_kind', 'from_account_id', 'to_account_id']) expect(fs[0]?.fix).toContain(field);
  });
  it('DSK-6 reports a field the reader could not use once, not again as empty', () => {
    const fs = checkAccountForm(one(atf({ toAccountId: undefined }), { formProblems: [problem('to_account_id')] }));
    expect(outcomes(fs)).toEqual(['fixable']);
    expect(fs[0]?.fix).toContain('to_account_id');
  });
  it.each([
    ['200001', 'pass'],
    ['#200001', 'pass'],
    ['Case 200001', 'pass'],
    ['200002', 'fixable'],
  ])('DSK-6 the form case_number %s on case 200001: %s', (caseNumber, want) => {
    expect(outcomes(checkAccountForm(one(atf({ caseNumber }))))).toEqual([want]);
  });
  it('DSK-5 a discarded security-code field is reported to the partner', () => {
    const plan = reviewLumenvox(request(undefined, { discardedFields: ['cvv'] }), snap(), clock());
    expect(of('DSK-5', plan.findings)[0]?.message).toContain('cvv');
  });
});

// --- LVX-1 --------------------------------------------------------------------

describe("LVX-1 licenses are sold only to the seller's own end users", () => {
  it('LVX-1 passes a sale from a partner account to its end user', () => {
    const fs = checkSaleAccounts(request(), snap()).findings;
    expect(outcomes(fs)).toEqual(['pass']);
    expect(fs[0]?.message).toContain('LV-EU-9');
    expect(fs[0]?.message).toContain('LV-RES-1');
  });
  it('LVX-1 finds accounts whatever the case of the ids', () => {
    const r = checkSaleAccounts(one(atf({ fromAccountId: 'lv-res-1', toAccountId: ' lv-eu-9 ' })), snap());
    expect(r.allowed).toBe(true);
    expect(r.to?.id).toBe('LV-EU-9');
  });
  const cases: [string, Partial<AccountTransferForm>, string, 'final' | 'fixable', string[]][] = [
    [
      'an end user of another seller',
      { toAccountId: 'LV-EU-7' },
      'P-300',
      'final',
      ['LV-EU-7', 'LV-RES-1', 'LV-RES-2'],
    ],
    ['an account with no parent', { toAccountId: 'LV-RES-2' }, 'P-300', 'final', ['LV-RES-2', 'no parent']],
    [
      'a seller of another partner',
      { fromAccountId: 'LV-OTHER', toAccountId: 'LV-EU-8' },
      'P-300',
      'final',
      ['LV-OTHER', 'P-400'],
    ],
    ['an unknown buyer id (a typo)', { toAccountId: 'LV-EU-99' }, 'P-300', 'fixable', ['LV-EU-99']],
    ['an unknown seller id (a typo)', { fromAccountId: 'LV-RES-9' }, 'P-300', 'fixable', ['LV-RES-9']],
    ['the same account twice', { toAccountId: 'LV-RES-1' }, 'P-300', 'fixable', ['LV-RES-1']],
  ];
  it.each(cases)('LVX-1 rejects a sale to %s', (_t, over, partnerId, want, words) => {
    const r = checkSaleAccounts(one(atf(over), { partnerId }), snap());
    expect(r.allowed).toBe(false);
    expect(outcomes(r.findings)).toContain(want);
    expect(outcomes(r.findings).every((o) => o === want)).toBe(true);
    const text = r.findings.map((f) => f.message).join(' ');
    for (const w of words) expect(text).toContain(w);
    expectExplained(r.findings);
  });
  it('LVX-1 a rejected sale plans no email to the buyer', () => {
    const plan = reviewLumenvox(one(atf({ toAccountId: 'LV-EU-7' })), snap(), clock());
    expect(decide(plan.findings).outcome).toBe('reject');
    expect(plan.extra.buyerContacts).toBeUndefined();
    expect(plan.accountTransfers).toEqual([]);
  });
});

// --- who may ask ---------------------------------------------------------------

describe('DSK-3 LVX-1 LVX-5 a buyer never acts for its seller', () => {
  it("DSK-3 LVX-5 besides the partner's own contacts, only the contacts of its accounts that can receive a linked transfer may write", () => {
    const s = snap();
    const senders = lumenvox.senders(request().registryCase, s);
    // LV-RES-2 links to LV-RES-1; LV-EU-9 and LV-EU-7 are buyers with no links; LV-OTHER is another partner's.
    expect(senders).toEqual(['ops@reseller2.example']);
    expect(senders).not.toContain('it@enduser.example');
    expect(senders).not.toContain('it@eu7.example');
    expect(senders).not.toContain('lic@other.example');
  });
  it.each([
    ['a contact of a linked account of the partner', 'ops@reseller2.example'],
    ['a buyer contact whose mail a rep released', 'it@enduser.example'],
  ])('LVX-1 DSK-3 a sale asked by %s is held for a rep, never moved on its word', (_t, sender) => {
    const plan = reviewLumenvox(one(atf(), { sender }), snap(), clock());
    const lvx1 = of('LVX-1', plan.findings);
    expect(outcomes(lvx1)).toEqual(['hold', 'pass']);
    expect(lvx1[0]?.message).toContain(sender);
    expect(lvx1[0]?.message).toContain('P-300');
    expect(decide(plan.findings).outcome).toBe('hold');
    // Planned for the rep's approval; nothing moves before it.
    expect(plan.accountTransfers.map((t) => [t.fromAccountId, t.toAccountId, t.quantity])).toEqual([
      ['LV-RES-1', 'LV-EU-9', 4],
    ]);
  });
  it('LVX-1 DSK-3 a sale from such a sender is held even when its form also needs correcting', () => {
    const plan = reviewLumenvox(
      one(atf({ toAccountId: 'LV-EU-99' }), { sender: 'ops@reseller2.example' }),
      snap(),
      clock(),
    );
    expect(outcomes(of('LVX-1', plan.findings))).toEqual(['hold', 'fixable']);
    expect(plan.accountTransfers).toEqual([]);
  });
  it("LVX-1 the partner's own contact still sells", () => {
    const plan = reviewLumenvox(one(atf(), { sender: 'LIC@reseller.example' }), snap(), clock());
    expect(outcomes(of('LVX-1', plan.findings))).toEqual(['pass']);
    expect(decide(plan.findings).outcome).toBe('move');
  });
  it.each([
    ['a buyer contact', 'it@enduser.example'],
    ["the partner's contact, who is not the receiving account's", 'lic@reseller.example'],
    ["another partner's account contact", 'lic@other.example'],
  ])('LVX-5 a linked transfer into LV-RES-2 asked by %s is refused: only the receiving account asks', (_t, sender) => {
    const plan = reviewLumenvox(one(linked(), { sender }), snap(), clock());
    expect(outcomes(of('LVX-5', plan.findings))).toEqual(['final']);
    expect(plan.accountTransfers).toEqual([]);
  });
});

// --- LVX-2 --------------------------------------------------------------------

describe('LVX-2 only available licenses, per product', () => {
  // LV-RES-1 has 10 LV-ASR-PORT available and 2 deployed.
  const cases: [string, Record<string, number>, 'pass' | 'fixable'][] = [
    ['1 of 10 available passes', { 'LV-ASR-PORT': 1 }, 'pass'],
    ['exactly the 10 available passes', { 'LV-ASR-PORT': 10 }, 'pass'],
    ['11 (one more than available) fails', { 'LV-ASR-PORT': 11 }, 'fixable'],
    ['12 (available plus deployed) fails: deployed ones cannot be sold', { 'LV-ASR-PORT': 12 }, 'fixable'],
    ['0 fails', { 'LV-ASR-PORT': 0 }, 'fixable'],
    ['a negative quantity fails', { 'LV-ASR-PORT': -1 }, 'fixable'],
    ['a fraction fails', { 'LV-ASR-PORT': 1.5 }, 'fixable'],
    ['no products at all fails', {}, 'fixable'],
    ['a product the account does not hold fails', { 'LV-XYZ': 1 }, 'fixable'],
    ['both products within what is available passes', { 'LV-ASR-PORT': 10, 'LV-TTS-PORT': 3 }, 'pass'],
  ];
  it.each(cases)('LVX-2 %s', (_t, quantities, want) => {
    const s = snap();
    const fs = checkQuantities(one(atf({ quantities })), findAccount(s, 'LV-RES-1')).findings;
    expect(outcomes(fs)).toEqual([want]);
    expectExplained(fs);
  });
  it('LVX-2 asking more than available names the product, the quantity asked, what is available, and that deployed ones cannot be sold', () => {
    const s = snap();
    const f = checkQuantities(one(atf({ quantities: { 'LV-ASR-PORT': 11 } })), findAccount(s, 'LV-RES-1')).findings[0];
    expect(f?.message).toContain('LV-ASR-PORT');
    expect(f?.message).toContain('11');
    expect(f?.message).toContain('10 LV-ASR-PORT available');
    expect(f?.message).toContain('2 deployed');
    expect(f?.message).toContain('cannot be sold');
    expect(f?.fix).toContain('at most 10');
  });
  it('LVX-2 quantities are per product: only the product over its own availability fails', () => {
    const s = snap();
    const r = checkQuantities(
      one(atf({ quantities: { 'LV-ASR-PORT': 4, 'LV-TTS-PORT': 4 } })),
      findAccount(s, 'LV-RES-1'),
    );
    expect(outcomes(r.findings)).toEqual(['fixable']);
    expect(r.findings[0]?.message).toContain('3 LV-TTS-PORT available');
    expect(r.lines).toEqual([{ product: 'LV-ASR-PORT', quantity: 4 }]);
    expect(r.complete).toBe(false);
  });
  it("LVX-2 a product typed in another case is the account's product", () => {
    const s = snap();
    const r = checkQuantities(one(atf({ quantities: { 'lv-asr-port': 2 } })), findAccount(s, 'LV-RES-1'));
    expect(r.lines).toEqual([{ product: 'LV-ASR-PORT', quantity: 2 }]);
  });
  it('LVX-2 is checked against the source of a linked transfer and says "transferred"', () => {
    const s = snap();
    const f = checkQuantities(one(linked({ quantities: { 'LV-ASR-PORT': 11 } })), findAccount(s, 'LV-RES-1'))
      .findings[0];
    expect(f?.message).toContain('transfer 11');
    expect(f?.message).toContain('cannot be transferred');
  });
  it('LVX-2 leaves unreadable quantity lines to DSK-6 (no second finding)', () => {
    const req = one(atf({ quantities: {} }), { formProblems: [problem('quantities', 'invalid')] });
    expect(checkQuantities(req, findAccount(snap(), 'LV-RES-1')).findings).toEqual([]);
    expect(outcomes(checkAccountForm(req))).toEqual(['fixable']);
  });
  it('LVX-2 reports empty quantities itself, not also as a DSK-6 empty field', () => {
    const plan = reviewLumenvox(
      one(atf({ quantities: {} }), { formProblems: [problem('quantities')] }),
      snap(),
      clock(),
    );
    expect(outcomes(of('LVX-2', plan.findings))).toEqual(['fixable']);
    expect(outcomes(of('DSK-6', plan.findings))).toEqual(['pass']);
  });
});

// --- LVX-3 --------------------------------------------------------------------

describe('LVX-3 completing a sale emails the buyer', () => {
  it("LVX-3 puts the buyer's contacts in the plan, with an info finding naming the buyer", () => {
    const plan = reviewLumenvox(request(), snap(), clock());
    expect(plan.extra.buyerContacts).toEqual(['it@enduser.example']);
    const f = of('LVX-3', plan.findings);
    expect(outcomes(f)).toEqual(['info']);
    expect(f[0]?.message).toContain('LV-EU-9');
    expect(f[0]?.message).toContain('it@enduser.example');
  });
  it('LVX-3 lists every contact of the buyer', () => {
    const s = snap((d) => {
      account(d, 'LV-EU-9').contacts = ['a@eu.example', 'b@eu.example'];
    });
    expect(reviewLumenvox(request(), s, clock()).extra.buyerContacts).toEqual(['a@eu.example', 'b@eu.example']);
  });
  it('LVX-3 holds a sale whose buyer has no contact address to mail', () => {
    const s = snap((d) => {
      account(d, 'LV-EU-9').contacts = [];
    });
    const plan = reviewLumenvox(request(), s, clock());
    expect(outcomes(of('LVX-3', plan.findings))).toEqual(['hold']);
    expect(decide(plan.findings).outcome).toBe('hold');
  });
  it('LVX-3 a linked transfer is not a sale: no buyer email', () => {
    const plan = reviewLumenvox(one(linked(), { sender: 'ops@reseller2.example' }), snap(), clock());
    expect(plan.extra.buyerContacts).toBeUndefined();
    expect(of('LVX-3', plan.findings)).toEqual([]);
  });
  it('LVX-3 a deployment sells to its owner, who is emailed too', () => {
    const plan = reviewLumenvox(one(atf({ transferKind: 'deployment', deploymentName: 'IVR east' })), snap(), clock());
    expect(plan.extra.buyerContacts).toEqual(['it@enduser.example']);
  });
});

// --- LVX-4 --------------------------------------------------------------------

describe('LVX-4 a deployment owned by an end user sells its licenses', () => {
  const deployment = (over: Partial<AccountTransferForm> = {}) =>
    atf({ transferKind: 'deployment', deploymentName: 'IVR east', ...over });
  it("LVX-4 the licenses leave the seller's available and land in the buyer's deployed", () => {
    const plan = reviewLumenvox(
      one(deployment({ quantities: { 'LV-ASR-PORT': 4, 'LV-TTS-PORT': 1 } })),
      snap(),
      clock(),
    );
    expect(decide(plan.findings).outcome).toBe('move');
    expect(plan.accountTransfers).toEqual([
      {
        kind: 'deployment',
        fromAccountId: 'LV-RES-1',
        toAccountId: 'LV-EU-9',
        product: 'LV-ASR-PORT',
        quantity: 4,
        intoDeployed: true,
      },
      {
        kind: 'deployment',
        fromAccountId: 'LV-RES-1',
        toAccountId: 'LV-EU-9',
        product: 'LV-TTS-PORT',
        quantity: 1,
        intoDeployed: true,
      },
    ]);
    expect(plan.extra.deploymentName).toBe('IVR east');
    const f = of('LVX-4', plan.findings);
    expect(outcomes(f)).toEqual(['info']);
    expect(f[0]?.message).toContain('IVR east');
    expect(f[0]?.message).toContain('no longer appear in account LV-RES-1');
  });
  it('LVX-4 needs the deployment name (fixable, reported once)', () => {
    for (const formProblems of [[], [problem('deployment_name')]]) {
      const plan = reviewLumenvox(one(deployment({ deploymentName: undefined }), { formProblems }), snap(), clock());
      expect(outcomes(of('LVX-4', plan.findings))).toEqual(['fixable']);
      expect(of('LVX-4', plan.findings)[0]?.fix).toContain('deployment_name');
      expect(outcomes(of('DSK-6', plan.findings))).toEqual(['pass']);
    }
  });
  it('LVX-1 LVX-4 a deployment owned by an account that is not an end user of the seller is rejected', () => {
    const plan = reviewLumenvox(one(deployment({ toAccountId: 'LV-EU-7' })), snap(), clock());
    expect(outcomes(of('LVX-1', plan.findings))).toEqual(['final']);
    expect(decide(plan.findings).outcome).toBe('reject');
  });
  it('LVX-4 deployed licenses of the seller cannot go into a deployment (LVX-2 boundary)', () => {
    expect(
      decide(reviewLumenvox(one(deployment({ quantities: { 'LV-ASR-PORT': 10 } })), snap(), clock()).findings).outcome,
    ).toBe('move');
    expect(
      decide(reviewLumenvox(one(deployment({ quantities: { 'LV-ASR-PORT': 11 } })), snap(), clock()).findings).outcome,
    ).toBe('incomplete');
  });
  it("LVX-4 a plain sale lands in the buyer's available, not deployed", () => {
    const plan = reviewLumenvox(request(), snap(), clock());
    expect(plan.accountTransfers.every((t) => t.intoDeployed === undefined)).toBe(true);
    expect(of('LVX-4', plan.findings)).toEqual([]);
  });
});

// --- LVX-5 --------------------------------------------------------------------

describe('LVX-5 transfers between linked accounts', () => {
  const good = { sender: 'ops@reseller2.example' };
  it('LVX-5 passes a transfer asked by the receiving account from an account it is linked to', () => {
    const r = checkLinkedAccounts(one(linked(), good), snap());
    expect(outcomes(r.findings)).toEqual(['pass']);
    expect(r.allowed).toBe(true);
  });
  it('LVX-5 compares the sender without case', () => {
    expect(checkLinkedAccounts(one(linked(), { sender: 'OPS@Reseller2.example' }), snap()).allowed).toBe(true);
  });
  const cases: [string, Partial<AccountTransferForm>, string, 'final' | 'fixable', string][] = [
    ['asked by the source account', {}, 'lic@reseller.example', 'final', 'ask from the receiving account'],
    [
      'asked by the partner but not a contact of the receiving account',
      {},
      'someone@reseller.example',
      'final',
      'ask from the receiving account',
    ],
    [
      'against the one-way link (receiver not linked to the source)',
      { fromAccountId: 'LV-RES-2', toAccountId: 'LV-RES-1' },
      'lic@reseller.example',
      'final',
      'one way',
    ],
    [
      'between accounts that are not linked',
      { fromAccountId: 'LV-EU-9', toAccountId: 'LV-RES-2' },
      'ops@reseller2.example',
      'final',
      'not linked',
    ],
    ['to a receiving account of another partner', { toAccountId: 'LV-OTHER' }, 'lic@other.example', 'final', 'P-400'],
    [
      'from an unknown source account (a typo)',
      { fromAccountId: 'LV-RES-7' },
      'ops@reseller2.example',
      'fixable',
      'LV-RES-7',
    ],
    [
      'to an unknown receiving account (a typo)',
      { toAccountId: 'LV-RES-8' },
      'ops@reseller2.example',
      'fixable',
      'LV-RES-8',
    ],
  ];
  it.each(cases)('LVX-5 rejects a transfer %s', (_t, over, sender, want, words) => {
    const r = checkLinkedAccounts(one(linked(over), { sender }), snap());
    expect(r.allowed).toBe(false);
    expect(outcomes(r.findings)).toEqual([want]);
    expect(r.findings[0]?.message).toContain(words);
    expectExplained(r.findings);
  });
  it("LVX-5 plans one linked transfer per product, out of the source's available", () => {
    const s = snap((d) => {
      account(d, 'LV-RES-1').available['LV-TTS-PORT'] = 3;
    });
    const plan = reviewLumenvox(one(linked({ quantities: { 'LV-ASR-PORT': 10, 'LV-TTS-PORT': 3 } }), good), s, clock());
    expect(decide(plan.findings).outcome).toBe('move');
    expect(plan.accountTransfers).toEqual([
      {
        kind: 'linked-transfer',
        fromAccountId: 'LV-RES-1',
        toAccountId: 'LV-RES-2',
        product: 'LV-ASR-PORT',
        quantity: 10,
      },
      {
        kind: 'linked-transfer',
        fromAccountId: 'LV-RES-1',
        toAccountId: 'LV-RES-2',
        product: 'LV-TTS-PORT',
        quantity: 3,
      },
    ]);
    expect(outcomes(of('LVX-5', plan.findings))).toEqual(['pass']);
    expect(outcomes(of('LVX-2', plan.findings))).toEqual(['pass']);
  });
  it('LVX-5 LVX-2 the receiving account cannot pull more than the source has available', () => {
    const plan = reviewLumenvox(one(linked({ quantities: { 'LV-ASR-PORT': 11 } }), good), snap(), clock());
    expect(outcomes(of('LVX-2', plan.findings))).toEqual(['fixable']);
    expect(decide(plan.findings).outcome).toBe('incomplete');
  });
});

// --- the whole review ----------------------------------------------------------

describe('reviewLumenvox', () => {
  it('LVX-1 LVX-2 LVX-3 DSK-6 a complete good sale moves, one transfer per product, no fees', () => {
    const plan = reviewLumenvox(one(atf({ quantities: { 'LV-ASR-PORT': 4, 'LV-TTS-PORT': 2 } })), snap(), clock());
    expect(decide(plan.findings).outcome).toBe('move');
    for (const rule of ['DSK-6', 'LVX-1', 'LVX-2']) expect(outcomes(of(rule, plan.findings)), rule).toEqual(['pass']);
    expect(plan.accountTransfers).toEqual([
      { kind: 'sale', fromAccountId: 'LV-RES-1', toAccountId: 'LV-EU-9', product: 'LV-ASR-PORT', quantity: 4 },
      { kind: 'sale', fromAccountId: 'LV-RES-1', toAccountId: 'LV-EU-9', product: 'LV-TTS-PORT', quantity: 2 },
    ]);
    expect(plan.fees).toEqual([]);
    expect(plan.moves).toEqual([]);
    expect(plan.extra).toMatchObject({ transferKind: 'sale', fromAccountId: 'LV-RES-1', toAccountId: 'LV-EU-9' });
    expectExplained(plan.findings);
  });
  it('LVX-1 LVX-2 DSK-6 one reply lists every failing rule', () => {
    const plan = reviewLumenvox(
      one(atf({ caseNumber: '999999', toAccountId: 'LV-EU-7', quantities: { 'LV-ASR-PORT': 11 } })),
      snap(),
      clock(),
    );
    const d = decide(plan.findings);
    expect(d.outcome).toBe('reject');
    expect(new Set(d.reasons.map((f) => f.rule))).toEqual(new Set(['DSK-6', 'LVX-1', 'LVX-2']));
    expectExplained(plan.findings);
  });
  it('LVX-1 the review is pure: the snapshot is not changed', () => {
    const s = snap();
    const before = JSON.stringify([...s.accounts.values()]);
    reviewLumenvox(request(), s, clock());
    expect(JSON.stringify([...s.accounts.values()])).toBe(before);
  });
});

// --- object built-ins ------------------------------------------------------------

describe('LVX-1 LVX-2 LVX-5 object built-ins typed as products or accounts are names like any other', () => {
  const BUILTINS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

  it.each(BUILTINS)('LVX-2 a product named %s that the seller does not hold is refused, and nothing moves', (name) => {
    const plan = reviewLumenvox(one(atf({ quantities: { [name]: 4 } })), snap(), clock());
    const lvx2 = of('LVX-2', plan.findings);
    expect(outcomes(lvx2)).toEqual(['fixable']);
    expect(lvx2[0]?.message).toContain(`holds no ${name} licenses at all`);
    expect(lvx2[0]?.message).not.toContain('function');
    expect(plan.accountTransfers).toEqual([]);
    expect(decide(plan.findings).outcome).toBe('incomplete');
  });

  it.each(BUILTINS)('LVX-2 a product named %s that the seller holds is sold from its own count', (name) => {
    const s = snap((d) => {
      const seller = account(d, 'LV-RES-1');
      seller.available = Object.fromEntries([[name, 5]]);
      seller.deployed = {};
    });
    const plan = reviewLumenvox(one(atf({ quantities: { [name]: 4 } })), s, clock());
    expect(outcomes(of('LVX-2', plan.findings))).toEqual(['pass']);
    expect(plan.accountTransfers).toEqual([
      { kind: 'sale', fromAccountId: 'LV-RES-1', toAccountId: 'LV-EU-9', product: name, quantity: 4 },
    ]);
    const over = reviewLumenvox(one(atf({ quantities: { [name]: 6 } })), s, clock());
    expect(outcomes(of('LVX-2', over.findings))).toEqual(['fixable']);
    expect(over.accountTransfers).toEqual([]);
  });

  it.each(BUILTINS)('LVX-1 LVX-5 an account id %s is an unknown account (a typo), on either side', (name) => {
    const sale = reviewLumenvox(one(atf({ toAccountId: name })), snap(), clock());
    expect(outcomes(of('LVX-1', sale.findings))).toEqual(['fixable']);
    expect(sale.accountTransfers).toEqual([]);
    const seller = reviewLumenvox(one(atf({ fromAccountId: name })), snap(), clock());
    expect(outcomes(of('LVX-1', seller.findings))).toEqual(['fixable']);
    expect(seller.accountTransfers).toEqual([]);
    const pull = reviewLumenvox(
      one(linked({ fromAccountId: name }), { sender: 'ops@reseller2.example' }),
      snap(),
      clock(),
    );
    expect(outcomes(of('LVX-5', pull.findings))).toEqual(['fixable']);
    expect(pull.accountTransfers).toEqual([]);
  });
});
