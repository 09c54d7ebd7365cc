import { describe, expect, it } from 'vitest';
import {
  billUnreturnedKey,
  checkIrrevocable,
  checkServiceFee,
  checkSwapCaseTarget,
  checkSwapFormFields,
  checkSwapIdentifiers,
  checkSwapLicenses,
  checkSwapPlatform,
  finalSaleFindings,
  isRmaNumber,
  nearMissKind,
  nearMisses,
  planKeyReturn,
  reviewAvayaSwap,
  SWAP_FEE_MINOR,
  type SwapRequest,
} from '../../domain/programs/avaya-swap/index.js';
import { ManualClock } from '../../domain/clock.js';
import { dealPriceMinor, standardPriceMinor } from '../../domain/pricing.js';
import { decide } from '../../domain/decision.js';
import type { Finding } from '../../domain/finding.js';
import type { ProgramPlan } from '../../domain/program-plan.js';
import type { FieldProblem } from '../../forms/types.js';
import type { CaseForms, SwapRequestForm } from '../../forms/typed-forms.js';
import { type RegistryDocument, type RegistrySnapshot, type System } from '../../domain/registry-model.js';
import { partnerIn, snapshotFrom, systemIn } from '../support/registry-edit.js';

// --- fixtures ---------------------------------------------------------------

const NOW = new Date('2026-11-20T12:00:00Z');
const clock = () => new ManualClock(NOW);

const FROM = 'FK-12345678'; // EU-1, physical, LK-1 (orderable ×3) and LK-2 (End-of-Sale ×2)
const TO = 'SID-90817263'; // EU-1, virtual, empty; the case's key
const FULL = 'SID-55502219'; // EU-1, virtual, already holds LK-T1
const EU2 = 'SID-24681357'; // EU-2 (same partner, other end user)
const FOREIGN = 'FK-31415926'; // EU-9 of partner P-OT
const DISABLED = 'FK-27182818'; // EU-1, disabled by an earlier SWAP
const ALTIGEN = 'SYS-ALT-0001'; // EU-1, program altigen

/**
 * Partner P-GB (GBP, 20 % standard discount, a deal price of 50 GBP on
 * IPO-R11-UC-USER) has end users EU-1 and EU-2; P-OT has EU-9.
 */
function baseDoc(): RegistryDocument {
  return {
    catalog: [
      { sku: 'IPO-R11-UC-USER', kind: 'user', count: 1, lifecycle: 'orderable', listPrice: { GBP: 120, EUR: 140 } },
      { sku: 'IPO-R9-PWR-USER', kind: 'user', count: 1, lifecycle: 'end-of-sale', listPrice: { GBP: 60, EUR: 70 } },
      { sku: 'IPO-R11-VM-CH', kind: 'channel', count: 1, lifecycle: 'orderable', listPrice: { EUR: 40 } },
    ],
    partners: [
      {
        id: 'P-GB',
        name: 'Albion Comms',
        currency: 'GBP',
        contacts: ['ops@albion.example'],
        standardDiscountPct: 20,
        pricingExceptions: { 'IPO-R11-UC-USER': 50 },
      },
      { id: 'P-OT', name: 'Other Reseller', currency: 'GBP', contacts: ['ops@other.example'], standardDiscountPct: 0 },
    ],
    endUsers: [
      { id: 'EU-1', name: 'Globex', partnerId: 'P-GB' },
      { id: 'EU-2', name: 'Initech', partnerId: 'P-GB' },
      { id: 'EU-9', name: 'Umbrella', partnerId: 'P-OT' },
    ],
    systems: [
      { key: FROM, endUserId: 'EU-1', program: 'avaya-swap', platform: 'physical', registered: true },
      { key: TO, endUserId: 'EU-1', program: 'avaya-swap', platform: 'virtual', registered: true },
      { key: FULL, endUserId: 'EU-1', program: 'avaya-swap', platform: 'virtual', registered: true },
      { key: EU2, endUserId: 'EU-2', program: 'avaya-swap', platform: 'virtual', registered: true },
      { key: FOREIGN, endUserId: 'EU-9', program: 'avaya-swap', platform: 'physical', registered: true },
      {
        key: DISABLED,
        endUserId: 'EU-1',
        program: 'avaya-swap',
        platform: 'physical',
        registered: true,
        disabled: true,
      },
      {
        key: ALTIGEN,
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: '2027-06-30',
      },
    ],
    licenses: [
      { key: 'LK-1', systemKey: FROM, sku: 'IPO-R11-UC-USER', quantity: 3 },
      { key: 'LK-2', systemKey: FROM, sku: 'IPO-R9-PWR-USER', quantity: 2 },
      { key: 'LK-T1', systemKey: FULL, sku: 'IPO-R11-UC-USER', quantity: 1 },
      { key: 'LK-O', systemKey: FOREIGN, sku: 'IPO-R11-UC-USER', quantity: 1 },
    ],
    cases: [
      { number: '200001', partnerId: 'P-GB', systemKey: TO, program: 'avaya-swap', openedAt: '2026-11-19T09:00:00Z' },
    ],
  };
}

const snap = (edit?: (d: RegistryDocument) => void): RegistrySnapshot => snapshotFrom(baseDoc, edit);

const system = systemIn;
const partner = partnerIn;
/** A system of EU-1 (P-GB) added to the registry. */
const addSystem =
  (key: string, over: Partial<System> = {}) =>
  (d: RegistryDocument) => {
    d.systems.push({ key, endUserId: 'EU-1', program: 'avaya-swap', platform: 'virtual', registered: true, ...over });
  };

function form(over: Partial<SwapRequestForm> = {}): SwapRequestForm {
  return {
    formId: 'swap-request/v1',
    caseNumber: '200001',
    partnerId: 'P-GB',
    partnerName: 'Albion Comms',
    contactEmail: 'ops@albion.example',
    endUserId: 'EU-1',
    endUserName: 'Globex',
    fromFkSid: FROM,
    fromFkSidConfirm: FROM,
    toFkSid: TO,
    toFkSidConfirm: TO,
    fromPlatform: 'physical',
    rmaNumber: 'RMA-2026-0042',
    currency: 'GBP',
    ackIrrevocable: true,
    ackEosForfeit: false,
    signerName: 'Pat',
    signedOn: '2026-11-19',
    ...over,
  };
}

/** `to` = both TO typings; `from` = both FROM typings. */
const fromTo = (from: string, to: string = TO): Partial<SwapRequestForm> => ({
  fromFkSid: from,
  fromFkSidConfirm: from,
  toFkSid: to,
  toFkSidConfirm: to,
});

function request(
  forms: CaseForms = { 'swap-request/v1': form() },
  over: { formProblems?: FieldProblem[]; discardedFields?: string[]; systemKey?: string } = {},
): SwapRequest {
  return {
    caseNumber: '200001',
    registryCase: {
      number: '200001',
      partnerId: 'P-GB',
      systemKey: over.systemKey ?? TO,
      program: 'avaya-swap',
      openedAt: '2026-11-19T09:00:00Z',
    },
    forms,
    formProblems: over.formProblems ?? [],
    discardedFields: over.discardedFields ?? [],
  };
}

/** The whole review of a SWAP request with `over` on the form, on a case opened with `systemKey`. */
const review = (
  over: Partial<SwapRequestForm> = {},
  edit?: (d: RegistryDocument) => void,
  systemKey?: string,
): ProgramPlan =>
  reviewAvayaSwap(request({ 'swap-request/v1': form(over) }, systemKey ? { systemKey } : {}), snap(edit), clock());

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

/** Nothing is written unless the SWAP is whole. */
function expectNoWrites(p: ProgramPlan) {
  expect(p.moves).toEqual([]);
  expect(p.forfeit).toEqual([]);
  expect(p.disableSystems).toEqual([]);
  expect(p.keyReturns).toEqual([]);
}

// --- near misses ----------------------------------------------------------------

describe('SWP-4 nearMisses: one adjacent transposition or one substituted character', () => {
  it.each([
    ['FK-12345678', ['FK-12345687'], ['FK-12345687'], 'transposition'], // last two swapped
    ['FK-12345678', ['FK-21345678'], ['FK-21345678'], 'transposition'], // first two digits swapped
    ['FK-12345678', ['FK-12345670'], ['FK-12345670'], 'substitution'], // one digit off
    ['FK-12345678', ['fk-12345670'], ['fk-12345670'], 'substitution'], // case ignored
    ['FK-12345678', ['FK-12345678'], [], undefined], // itself is no near miss
    ['FK-12345678', [' fk-12345678 '], [], undefined],
    ['FK-12345678', ['FK-12345876'], [], undefined], // non-adjacent swap (two differences)
    ['FK-12345678', ['FK-12345600'], [], undefined], // two digits off
    ['FK-12345678', ['FK-1234567'], [], undefined], // a deleted digit is not in scope
    ['FK-12345678', ['FK-123456789'], [], undefined],
    ['FK-11', ['FK-11'], [], undefined], // swapping two equal characters changes nothing
  ] as const)('SWP-4 %s against %j → %j', (id, cands, want, kind) => {
    expect(nearMisses(id, cands)).toEqual(want);
    expect(nearMissKind(id, cands[0])).toBe(kind);
  });
  it('SWP-4 nearMisses keeps the candidates in order, each once', () => {
    expect(nearMisses('SID-1234', ['SID-1243', 'SID-9999', 'SID-1235', 'sid-1243'])).toEqual(['SID-1243', 'SID-1235']);
    expect(nearMisses('', ['A'])).toEqual([]);
    expect(nearMisses('A', [])).toEqual([]);
  });
});

// --- DSK-2 ------------------------------------------------------------------------

describe('DSK-2 the case was opened with the TO FK/SID', () => {
  it('DSK-2 passes when to_fk_sid is the case key (case and spaces ignored)', () => {
    for (const to of [TO, ` ${TO.toLowerCase()} `]) {
      expect(outcomes(checkSwapCaseTarget(request({ 'swap-request/v1': form({ toFkSid: to }) })))).toEqual(['pass']);
    }
  });
  it('DSK-2 rejects (not fixable) a form whose TO differs from the case key, naming both', () => {
    const fs = checkSwapCaseTarget(request({ 'swap-request/v1': form(fromTo(FROM, FULL)) }));
    expect(outcomes(fs)).toEqual(['final']);
    expect(fs[0]?.message).toContain(FULL);
    expect(fs[0]?.message).toContain(TO);
    const p = review(fromTo(FROM, FULL));
    expect(decide(p.findings).outcome).toBe('reject');
    expectNoWrites(p);
  });
  it('DSK-2 says nothing when only the confirmation is the case key (SWP-4 reports the two typings)', () => {
    expect(checkSwapCaseTarget(request({ 'swap-request/v1': form({ toFkSid: FULL, toFkSidConfirm: TO }) }))).toEqual(
      [],
    );
    expect(checkSwapCaseTarget(request({ 'swap-request/v1': form({ toFkSid: undefined }) }))).toEqual([]);
    expect(checkSwapCaseTarget(request({}))).toEqual([]);
  });
});

// --- the form (SWP-4, DSK-6) --------------------------------------------------------

describe('SWP-4 DSK-6 the License SWAP Request Form', () => {
  it('SWP-4 a missing License SWAP Request Form is fixable and nothing is planned', () => {
    const p = reviewAvayaSwap(request({}), snap(), clock());
    expect(outcomes(of('SWP-4', p.findings))).toEqual(['fixable']);
    expect(of('SWP-4', p.findings)[0]?.message).toContain('swap-request/v1');
    expect(decide(p.findings).outcome).toBe('incomplete');
    expect(p.fees).toEqual([]);
    expectNoWrites(p);
    expectExplained(p.findings);
  });
  it('DSK-6 one fixable finding per field problem, with the fix', () => {
    const problems: FieldProblem[] = [
      {
        formId: 'swap-request/v1',
        field: 'signed_on',
        problem: 'ambiguous',
        message: '03/04/2026 can be read two ways',
      },
      {
        formId: 'swap-request/v1',
        field: 'contact_email',
        problem: 'invalid',
        message: 'contact_email is not an email address',
      },
    ];
    const fs = checkSwapFormFields(request(undefined, { formProblems: problems }));
    expect(outcomes(fs)).toEqual(['fixable', 'fixable']);
    expect(fs[0]?.fix).toContain('YYYY-MM-DD');
    expect(fs[1]?.message).toContain('contact_email');
    expectExplained(fs);
  });
  it('DSK-6 a field a SWAP rule explains is not reported twice', () => {
    const problems: FieldProblem[] = [
      {
        formId: 'swap-request/v1',
        field: 'ack_irrevocable',
        problem: 'missing',
        message: 'ack_irrevocable is not ticked',
      },
    ];
    const p = reviewAvayaSwap(
      request({ 'swap-request/v1': form({ ackIrrevocable: false }) }, { formProblems: problems }),
      snap(),
      clock(),
    );
    expect(outcomes(of('DSK-6', p.findings))).toEqual(['pass']);
    expect(outcomes(of('SWP-2', p.findings))).toEqual(['fixable', 'info']);
  });
  it('DSK-6 a form naming another case number is fixable', () => {
    const fs = checkSwapFormFields(request({ 'swap-request/v1': form({ caseNumber: '654321' }) }));
    expect(outcomes(fs)).toEqual(['fixable']);
    expect(fs[0]?.message).toContain('654321');
    expect(outcomes(checkSwapFormFields(request({ 'swap-request/v1': form({ caseNumber: 'Case #200001' }) })))).toEqual(
      ['pass'],
    );
  });
  it('DSK-5 discarded security-code fields are reported as info', () => {
    const p = reviewAvayaSwap(request(undefined, { discardedFields: ['cvv'] }), snap(), clock());
    expect(of('DSK-5', p.findings)[0]?.message).toContain('cvv');
    expect(outcomes(of('DSK-5', p.findings))).toEqual(['info']);
  });
});

// --- SWP-1 -----------------------------------------------------------------------------

describe('SWP-1 service fee of 50 GBP or 50 EUR per SWAP request', () => {
  it.each([
    ['GBP', 'GBP'],
    ['EUR', 'EUR'],
  ] as const)('SWP-1 a %s partner pays 50.00 %s', (ccy, formCcy) => {
    const s = snap((d) => {
      partner(d, 'P-GB').currency = ccy;
    });
    const r = checkServiceFee(request({ 'swap-request/v1': form({ currency: formCcy }) }), s);
    expect(SWAP_FEE_MINOR).toBe(5_000);
    expect(r.fees).toEqual([
      { rule: 'SWP-1', amountMinor: 5_000, currency: ccy, description: expect.stringContaining('200001') },
    ]);
    expect(outcomes(r.findings)).toEqual(['pass']);
    expect(r.findings[0]?.message).toContain(`50.00 ${ccy}`);
  });
  it.each([
    ['GBP', 'EUR'],
    ['EUR', 'GBP'],
  ] as const)(
    'SWP-1 a %s partner with %s on the form is fixable, the fee stays in the partner currency',
    (ccy, formCcy) => {
      const s = snap((d) => {
        partner(d, 'P-GB').currency = ccy;
      });
      const r = checkServiceFee(request({ 'swap-request/v1': form({ currency: formCcy }) }), s);
      expect(outcomes(r.findings)).toEqual(['fixable']);
      expect(r.findings[0]?.fix).toContain(ccy);
      expect(r.fees.map((f) => [f.amountMinor, f.currency])).toEqual([[5_000, ccy]]);
    },
  );
  it('SWP-1 a partner billed in neither GBP nor EUR is held for a rep, with no fee', () => {
    const r = checkServiceFee(
      request(),
      snap((d) => {
        partner(d, 'P-GB').currency = 'USD';
      }),
    );
    expect(outcomes(r.findings)).toEqual(['hold']);
    expect(r.findings[0]?.message).toContain('USD');
    expect(r.fees).toEqual([]);
  });
  it('SWP-1 a form without a currency still owes the fee (DSK-6 asks for the field)', () => {
    const r = checkServiceFee(request({ 'swap-request/v1': form({ currency: undefined }) }), snap());
    expect(outcomes(r.findings)).toEqual(['info']);
    expect(r.fees.map((f) => f.currency)).toEqual(['GBP']);
  });
  it('SWP-1 one fee per request, however many licenses move', () => {
    const p = review();
    expect(p.fees.map((f) => [f.rule, f.amountMinor, f.currency])).toEqual([['SWP-1', 5_000, 'GBP']]);
  });
});

// --- SWP-2 -------------------------------------------------------------------------------

describe('SWP-2 a SWAP is irrevocable', () => {
  it('SWP-2 an unticked ack_irrevocable is fixable and says a SWAP cannot be undone', () => {
    const fs = checkIrrevocable(request({ 'swap-request/v1': form({ ackIrrevocable: false }) }));
    expect(outcomes(fs)).toEqual(['fixable', 'info']);
    expect(fs[0]?.message).toContain('cannot be undone');
    expect(fs[0]?.fix).toContain('ack_irrevocable');
    expect(decide(fs).outcome).toBe('incomplete');
  });
  it('SWP-2 a ticked ack passes, and the partner is always told it cannot be undone', () => {
    const fs = checkIrrevocable(request());
    expect(outcomes(fs)).toEqual(['pass', 'info']);
    expect(fs[1]?.message).toContain('cannot be undone');
    expect(outcomes(checkIrrevocable(request({})))).toEqual(['info']);
  });
});

// --- SWP-3 --------------------------------------------------------------------------------

describe('SWP-3 the FROM FK/SID is disabled on completion', () => {
  it('SWP-3 plans to disable FROM, with an info finding', () => {
    const p = review();
    expect(p.disableSystems).toEqual([FROM]);
    expect(outcomes(of('SWP-3', p.findings))).toEqual(['info']);
    expect(of('SWP-3', p.findings)[0]?.message).toContain(FROM);
  });
  it('SWP-3 nothing is disabled when the SWAP cannot be whole', () => {
    expect(review({ ackEosForfeit: false, ...fromTo(FROM, FULL) }, undefined, FULL).disableSystems).toEqual([]);
  });
});

// --- SWP-4 -------------------------------------------------------------------------------------

describe('SWP-4 FROM and TO typed twice, existing, of the partner, no near misses', () => {
  const ids = (over: Partial<SwapRequestForm>, edit?: (d: RegistryDocument) => void) =>
    checkSwapIdentifiers(request({ 'swap-request/v1': form(over) }), snap(edit));

  it('SWP-4 passes two known FK/SIDs of one end user, typed twice identically', () => {
    const r = ids({});
    expect(outcomes(r.findings)).toEqual(['pass']);
    expect(r.from?.key).toBe(FROM);
    expect(r.to?.key).toBe(TO);
    expect(r.pairOk).toBe(true);
  });

  it.each([
    ['FROM', { fromFkSidConfirm: 'FK-12345687' }, 'from_fk_sid_confirm'],
    ['TO', { toFkSidConfirm: 'SID-90817236' }, 'to_fk_sid_confirm'],
    ['FROM (case differs)', { fromFkSidConfirm: FROM.toLowerCase() }, 'from_fk_sid_confirm'],
    ['FROM (confirmation empty)', { fromFkSidConfirm: undefined }, 'from_fk_sid_confirm'],
    ['TO (both empty)', { toFkSid: undefined, toFkSidConfirm: undefined }, 'to_fk_sid_confirm'],
  ] as const)('SWP-4 a %s typed two different ways is fixable and named', (_t, over, field) => {
    const r = ids(over);
    expect(outcomes(r.findings)).toEqual(['fixable']);
    expect(r.findings[0]?.message).toContain(field);
    expect(r.pairOk).toBe(false);
    expectExplained(r.findings);
  });
  it('SWP-4 surrounding spaces do not count as a difference', () => {
    expect(outcomes(ids({ fromFkSid: ` ${FROM}`, fromFkSidConfirm: `${FROM}  ` }).findings)).toEqual(['pass']);
  });

  it("SWP-4 holds a TO key one transposition away from another of the partner's keys, naming both", () => {
    const p = review({}, addSystem('SID-90817236'));
    const holds = of('SWP-4', p.findings).filter((f) => f.outcome === 'hold');
    expect(holds).toHaveLength(1);
    expect(holds[0]?.message).toContain(TO);
    expect(holds[0]?.message).toContain('SID-90817236');
    expect(holds[0]?.message).toContain('swapped');
    expect(decide(p.findings).outcome).toBe('hold');
    expect(p.moves.length).toBeGreaterThan(0); // a rep who approves carries out the whole plan
  });
  it("SWP-4 holds a FROM key one transposition away from another of the partner's keys, naming both", () => {
    const fs = ids({}, addSystem('FK-12345687', { platform: 'physical' })).findings;
    expect(outcomes(fs)).toEqual(['hold']);
    expect(fs[0]?.message).toContain(FROM);
    expect(fs[0]?.message).toContain('FK-12345687');
  });
  it("SWP-4 holds a FROM key one digit off another of the partner's keys, naming both", () => {
    const fs = ids({}, addSystem('FK-12345670', { endUserId: 'EU-2' })).findings;
    expect(outcomes(fs)).toEqual(['hold']);
    expect(fs[0]?.message).toContain('FK-12345670');
    expect(fs[0]?.message).toContain('one character different');
  });
  it('SWP-4 FROM one slip away from TO gives one hold, not two', () => {
    const fs = ids(fromTo('SID-90817236'), addSystem('SID-90817236')).findings;
    expect(outcomes(fs)).toEqual(['hold']);
  });
  it("SWP-4 an unknown FROM one transposition away from a partner's key is held, naming both", () => {
    const r = ids(fromTo('FK-21345678'));
    expect(outcomes(r.findings)).toEqual(['hold']);
    expect(r.findings[0]?.message).toContain('FK-21345678');
    expect(r.findings[0]?.message).toContain(FROM);
    expect(r.from).toBeUndefined();
  });
  it('SWP-4 an unknown FROM with no near miss is fixable', () => {
    const r = ids(fromTo('FK-99990000'));
    expect(outcomes(r.findings)).toEqual(['fixable']);
    expect(r.findings[0]?.message).toContain('FK-99990000');
    expectExplained(r.findings);
  });
  it("SWP-4 another partner's key as FROM is fixable and described like an unknown key (nothing about its owner)", () => {
    const r = ids(fromTo(FOREIGN));
    expect(outcomes(r.findings)).toEqual(['fixable']);
    expect(r.findings[0]?.message).toContain(FOREIGN);
    expect(r.findings[0]?.message).not.toContain('Umbrella');
    expect(r.findings[0]?.message).not.toContain('EU-9');
    expect(r.findings[0]?.message).toBe(
      ids(fromTo('FK-99990000')).findings[0]?.message.replace('FK-99990000', FOREIGN),
    );
  });
  it("SWP-4 another partner's key one slip from one of ours is held, naming our candidate", () => {
    const r = ids(fromTo(FOREIGN), addSystem('FK-31415962', { platform: 'physical' }));
    expect(outcomes(r.findings)).toEqual(['hold']);
    expect(r.findings[0]?.message).toContain('FK-31415962');
  });
  it("SWP-4 another partner's key as TO (the case key) is not fixable", () => {
    const p = review(fromTo(FROM, FOREIGN), undefined, FOREIGN);
    expect(outcomes(of('SWP-4', p.findings))).toEqual(['final']);
    expect(decide(p.findings).outcome).toBe('reject');
    expectNoWrites(p);
  });
  it.each([
    ['FROM', fromTo(DISABLED), TO],
    ['TO', fromTo(FROM, DISABLED), DISABLED],
  ] as const)('SWP-4 SWP-3 a disabled %s FK/SID is rejected: disabled by an earlier SWAP', (_t, over, caseKey) => {
    const p = review(over, undefined, caseKey);
    const fs = of('SWP-4', p.findings);
    expect(outcomes(fs)).toEqual(['final']);
    expect(fs[0]?.message).toContain(DISABLED);
    expect(fs[0]?.message).toContain('disabled by an earlier SWAP (SWP-3)');
    expect(decide(p.findings).outcome).toBe('reject');
    expectNoWrites(p);
  });
  it('SWP-4 FROM equal to TO is fixable', () => {
    const r = ids(fromTo(TO));
    expect(outcomes(r.findings)).toEqual(['fixable']);
    expect(r.pairOk).toBe(false);
  });
  it('SWP-4 FROM and TO of two different end users is fixable', () => {
    const r = ids(fromTo(EU2));
    expect(outcomes(r.findings)).toEqual(['fixable']);
    expect(r.findings[0]?.message).toContain('EU-2');
    expect(r.findings[0]?.message).toContain('EU-1');
    expect(r.pairOk).toBe(false);
  });
  it("SWP-4 the form's end_user_id must be the FK/SIDs' end user", () => {
    const r = ids({ endUserId: 'EU-2' });
    expect(outcomes(r.findings)).toEqual(['fixable']);
    expect(r.findings[0]?.message).toContain('EU-2');
    expect(outcomes(ids({ endUserId: 'eu-1' }).findings)).toEqual(['pass']);
  });
  it('SWP-4 a system of another program cannot be SWAPped', () => {
    const r = ids(fromTo(ALTIGEN));
    expect(outcomes(r.findings)).toEqual(['fixable']);
    expect(r.findings[0]?.message).toContain('not an Avaya IP Office system');
  });
  it('SWP-4 a near miss with a disabled key is no question (that key cannot be SWAPped)', () => {
    expect(outcomes(ids({}, addSystem('FK-12345687', { disabled: true })).findings)).toEqual(['pass']);
  });
});

// --- SWP-5 ----------------------------------------------------------------------------------

describe('SWP-5 licenses current and orderable; End-of-Sale forfeited onto a key with licenses', () => {
  const lic = (to: string, ack: boolean, edit?: (d: RegistryDocument) => void) => {
    const s = snap(edit);
    const from = s.systems.get(FROM);
    if (!from) throw new Error(FROM);
    return checkSwapLicenses(
      request({ 'swap-request/v1': form({ ...fromTo(FROM, to), ackEosForfeit: ack }) }, { systemKey: to }),
      s,
      from,
      s.systems.get(to),
    );
  };

  it('SWP-5 SWP-8 End-of-Sale licenses onto an empty TO move with the others (info)', () => {
    const r = lic(TO, false);
    expect(outcomes(of('SWP-5', r.findings))).toEqual(['info']);
    expect(of('SWP-5', r.findings)[0]?.message).toContain('LK-2');
    expect(r.moves.map((m) => m.licenseKey)).toEqual(['LK-1', 'LK-2']);
    expect(r.forfeit).toEqual([]);
  });
  it('SWP-5 End-of-Sale licenses onto a TO with licenses, without ack_eos_forfeit, are fixable and nothing moves', () => {
    const r = lic(FULL, false);
    expect(outcomes(of('SWP-5', r.findings))).toEqual(['fixable']);
    expect(of('SWP-5', r.findings)[0]?.message).toContain('LK-2');
    expect(of('SWP-5', r.findings)[0]?.fix).toContain('ack_eos_forfeit');
    expect(of('SWP-5', r.findings)[0]?.fix).toContain('do not SWAP');
    expect(r.moves).toEqual([]);
    expect(r.forfeit).toEqual([]);
    expect(r.whole).toBe(false);
    const p = review({ ...fromTo(FROM, FULL), ackEosForfeit: false }, undefined, FULL);
    expect(decide(p.findings).outcome).toBe('incomplete');
    expectNoWrites(p);
  });
  it('SWP-5 SWP-8 End-of-Sale licenses onto a TO with licenses, with ack_eos_forfeit, are forfeited, the rest moves', () => {
    const r = lic(FULL, true);
    expect(outcomes(of('SWP-5', r.findings))).toEqual(['info']);
    expect(of('SWP-5', r.findings)[0]?.message).toMatch(/LK-2.*forfeited/);
    expect(r.moves).toEqual([{ licenseKey: 'LK-1', from: FROM, to: FULL, sku: 'IPO-R11-UC-USER', quantity: 3 }]);
    expect(r.forfeit).toEqual([{ licenseKey: 'LK-2', from: FROM }]);
    const p = review({ ...fromTo(FROM, FULL), ackEosForfeit: true }, undefined, FULL);
    expect(decide(p.findings).outcome).toBe('move');
    expect(p.forfeit).toEqual([{ licenseKey: 'LK-2', from: FROM }]);
  });
  it('SWP-5 only orderable licenses: a pass listing them', () => {
    const r = lic(FULL, false, (d) => {
      d.licenses = d.licenses.filter((l) => l.key !== 'LK-2');
    });
    expect(outcomes(of('SWP-5', r.findings))).toEqual(['pass']);
    expect(r.moves.map((m) => m.licenseKey)).toEqual(['LK-1']);
  });
  it('SWP-5 a license whose product is not in the catalog is held, and still planned to move (never left behind)', () => {
    const r = lic(TO, false, (d) => {
      d.licenses.push({ key: 'LK-X', systemKey: FROM, sku: 'IPO-UNKNOWN', quantity: 1 });
    });
    expect(outcomes(of('SWP-5', r.findings))).toEqual(['hold', 'info']);
    expect(of('SWP-5', r.findings)[0]?.message).toContain('LK-X');
    expect(r.moves.map((m) => m.licenseKey)).toEqual(['LK-1', 'LK-X', 'LK-2']);
  });
  it('SWP-5 forfeited licenses are not on the key any more', () => {
    const r = lic(FULL, false, (d) => {
      const l = d.licenses.find((x) => x.key === 'LK-2');
      if (l) l.forfeited = true;
    });
    expect(outcomes(of('SWP-5', r.findings))).toEqual(['pass']);
    expect(r.moves.map((m) => m.licenseKey)).toEqual(['LK-1']);
  });
});

// --- SWP-6 -------------------------------------------------------------------------------------

describe('SWP-6 physical FROM keys returned within 7 days, else billed at the standard price', () => {
  it('SWP-6 a physical FROM is awaited back within 7 days, and the partner is told where', () => {
    const p = reviewAvayaSwap(request(), snap(), clock(), { warehouseAddress: 'returns@scansource.example' });
    expect(p.keyReturns).toEqual([{ fk: FROM, dueInDays: 7 }]);
    const f = of('SWP-6', p.findings);
    expect(outcomes(f)).toEqual(['info']);
    expect(f[0]?.message).toContain('returns@scansource.example');
    expect(f[0]?.message).toContain('7 days');
    expect(f[0]?.message).toContain('No credit');
  });
  it('SWP-6 a virtual FROM has no key to return', () => {
    const p = review({ fromPlatform: 'virtual', rmaNumber: undefined }, (d) => {
      system(d, FROM).platform = 'virtual';
    });
    expect(p.keyReturns).toEqual([]);
    expect(of('SWP-6', p.findings)).toEqual([]);
    expect(planKeyReturn(snap().systems.get(FROM) as System, undefined)).toEqual({ findings: [], keyReturns: [] });
  });
  const bill = (
    moved: Array<{ licenseKey: string; sku: string; quantity: number }>,
    currency = 'GBP',
    edit?: (d: RegistryDocument) => void,
  ) => {
    const s = snap(edit);
    const p = s.partners.get('P-GB');
    if (!p) throw new Error('P-GB');
    return billUnreturnedKey({ caseNumber: '200001', fk: FROM, partner: p, moved, catalog: s.catalog, currency });
  };
  it('SWP-6 bills list 120 GBP less 20 % = 96.00 each, ignoring the 50 GBP pricing exception', () => {
    const b = bill([{ licenseKey: 'LK-1', sku: 'IPO-R11-UC-USER', quantity: 3 }]);
    expect(b.lines).toEqual([
      { licenseKey: 'LK-1', sku: 'IPO-R11-UC-USER', quantity: 3, unitPriceMinor: 9_600, amountMinor: 28_800 },
    ]);
    expect(b.totalMinor).toBe(28_800);
    expect(b.currency).toBe('GBP');
    expect(outcomes(b.findings)).toEqual(['info']);
    expect(b.findings[0]?.message).toContain('288.00 GBP');
    expect(b.findings[0]?.message).toContain('pricing exceptions do not apply');
  });
  it.each([
    // [sku, quantity, currency, discount, unit minor, amount minor]
    ['IPO-R11-UC-USER', 1, 'EUR', 20, 11_200, 11_200], // 140 × 0.8
    ['IPO-R9-PWR-USER', 2, 'GBP', 20, 4_800, 9_600], // 60 × 0.8
    ['IPO-R11-UC-USER', 1, 'GBP', 0, 12_000, 12_000],
    ['IPO-R11-UC-USER', 1, 'GBP', 12.5, 10_500, 10_500],
    ['IPO-R11-UC-USER', 1, 'GBP', 33.333, 8_000, 8_000], // 80.0004 → 80.00
  ] as const)('SWP-6 %s × %i in %s at %d %% off → %i each', (sku, quantity, ccy, pct, unit, amount) => {
    const b = bill([{ licenseKey: 'LK', sku, quantity }], ccy, (d) => {
      partner(d, 'P-GB').standardDiscountPct = pct;
    });
    expect(b.lines.map((l) => [l.unitPriceMinor, l.amountMinor])).toEqual([[unit, amount]]);
  });
  it('SWP-6 bills every moved license and gives no credit for the key', () => {
    const b = bill([
      { licenseKey: 'LK-1', sku: 'IPO-R11-UC-USER', quantity: 3 },
      { licenseKey: 'LK-2', sku: 'IPO-R9-PWR-USER', quantity: 2 },
    ]);
    expect(b.totalMinor).toBe(28_800 + 9_600);
    expect(b.lines.every((l) => l.amountMinor > 0)).toBe(true);
  });
  it('SWP-6 a product without a list price in the currency (or unknown) is held for a rep', () => {
    const b = bill([
      { licenseKey: 'LK-1', sku: 'IPO-R11-UC-USER', quantity: 1 },
      { licenseKey: 'LK-V', sku: 'IPO-R11-VM-CH', quantity: 2 },
      { licenseKey: 'LK-Q', sku: 'NOPE', quantity: 1 },
    ]);
    expect(outcomes(b.findings)).toEqual(['info', 'hold', 'hold']);
    expect(b.findings[1]?.message).toContain('IPO-R11-VM-CH');
    expect(b.findings[1]?.message).toContain('GBP');
    expect(b.lines.map((l) => l.licenseKey)).toEqual(['LK-1']);
    expect(b.totalMinor).toBe(9_600);
  });
});

// --- SWP-7 -------------------------------------------------------------------------------------------

describe('SWP-7 RMA number for a physical FROM server', () => {
  const platform = (over: Partial<SwapRequestForm>, edit?: (d: RegistryDocument) => void) => {
    const s = snap(edit);
    return checkSwapPlatform(request({ 'swap-request/v1': form(over) }), s.systems.get(FROM));
  };
  it.each([
    ['RMA-2026-0042', 'pass'],
    ['12345', 'pass'],
    ['ab12c', 'pass'],
    [undefined, 'fixable'],
    ['', 'fixable'],
    ['1234', 'fixable'], // too short
    ['RMA 2026', 'fixable'], // a space
    ['-1234-', 'fixable'],
    ['PENDING', 'fixable'], // no digit: not a number yet
    ['RMA#2026', 'fixable'],
  ] as const)('SWP-7 a physical FROM with rma_number %j: %s', (rma, want) => {
    const r = platform({ rmaNumber: rma });
    expect(r.physical).toBe(true);
    expect(outcomes(r.findings)).toEqual([want, 'info']);
    expect(r.findings[1]?.message).toContain('not be fully operational');
    expectExplained(r.findings);
  });
  it('SWP-7 isRmaNumber checks the shape only', () => {
    expect(isRmaNumber('RMA-12345')).toBe(true);
    expect(isRmaNumber(undefined)).toBe(false);
  });
  it('SWP-7 the registry saying physical needs the RMA even if the form says virtual, and the disagreement is held', () => {
    const r = platform({ fromPlatform: 'virtual', rmaNumber: undefined });
    expect(r.physical).toBe(true);
    expect(outcomes(r.findings)).toEqual(['hold', 'fixable', 'info']);
  });
  it('SWP-7 the form saying physical for a virtual system is held, and physical rules apply', () => {
    const r = platform({}, (d) => {
      system(d, FROM).platform = 'virtual';
    });
    expect(outcomes(r.findings)).toEqual(['hold', 'pass', 'info']);
  });
  it('SWP-7 a virtual FROM needs no RMA', () => {
    const r = platform({ fromPlatform: 'virtual', rmaNumber: undefined }, (d) => {
      system(d, FROM).platform = 'virtual';
    });
    expect(r.physical).toBe(false);
    expect(outcomes(r.findings)).toEqual(['pass']);
  });
  it('SWP-7 a missing RMA is reported once (SWP-7), not also as a DSK-6 field problem', () => {
    const problems: FieldProblem[] = [
      { formId: 'swap-request/v1', field: 'rma_number', problem: 'missing', message: 'no rma_number' },
    ];
    const p = reviewAvayaSwap(
      request({ 'swap-request/v1': form({ rmaNumber: undefined }) }, { formProblems: problems }),
      snap(),
      clock(),
    );
    expect(outcomes(of('SWP-7', p.findings))).toEqual(['fixable', 'info']);
    expect(outcomes(of('DSK-6', p.findings))).toEqual(['pass']);
    expect(decide(p.findings).outcome).toBe('incomplete');
  });
});

// --- SWP-8 ---------------------------------------------------------------------------------------------

describe('SWP-8 all licenses move or are forfeited: no partial SWAP', () => {
  it.each([
    ['onto an empty TO', TO, false, ['LK-1', 'LK-2'], []],
    ['onto a TO with licenses, forfeit accepted', FULL, true, ['LK-1'], ['LK-2']],
  ] as const)('SWP-8 %s every license on FROM is moved or forfeited', (_t, to, ack, moved, forfeited) => {
    const p = review({ ...fromTo(FROM, to), ackEosForfeit: ack }, undefined, to);
    expect(p.moves.map((m) => m.licenseKey)).toEqual(moved);
    expect(p.forfeit.map((f) => f.licenseKey)).toEqual(forfeited);
    const onFrom = ['LK-1', 'LK-2'];
    expect([...p.moves.map((m) => m.licenseKey), ...p.forfeit.map((f) => f.licenseKey)].sort()).toEqual(onFrom);
    expect(p.moves.every((m) => m.from === FROM && m.to === to)).toBe(true);
    expect(outcomes(of('SWP-8', p.findings))).toEqual(['pass']);
  });
  it('SWP-8 when some licenses could not go, nothing is planned at all', () => {
    const p = review({ ...fromTo(FROM, FULL), ackEosForfeit: false }, undefined, FULL);
    expect(of('SWP-8', p.findings)).toEqual([]);
    expectNoWrites(p);
  });
  it('SWP-8 a FROM with no licenses is rejected: nothing to SWAP', () => {
    const p = review({}, (d) => {
      d.licenses = d.licenses.filter((l) => l.systemKey !== FROM);
    });
    expect(outcomes(of('SWP-8', p.findings))).toEqual(['final']);
    expect(of('SWP-8', p.findings)[0]?.message).toContain('nothing to SWAP');
    expect(decide(p.findings).outcome).toBe('reject');
    expectNoWrites(p);
  });
});

// --- SWP-9 ------------------------------------------------------------------------------------------------

describe('SWP-9 all sales are final', () => {
  it('SWP-9 every review says there is no refund or credit, even without a form', () => {
    expect(outcomes(finalSaleFindings())).toEqual(['info']);
    expect(finalSaleFindings()[0]?.message).toMatch(/final.*no refund or credit/);
    for (const p of [review(), reviewAvayaSwap(request({}), snap(), clock())]) {
      expect(outcomes(of('SWP-9', p.findings))).toEqual(['info']);
    }
  });
});

// --- the whole review ----------------------------------------------------------------------------------------

describe('reviewAvayaSwap', () => {
  it('SWP-1 SWP-2 SWP-3 SWP-4 SWP-5 SWP-6 SWP-7 SWP-8 SWP-9 DSK-2 DSK-6 a complete good request moves everything', () => {
    const p = review();
    expect(decide(p.findings).outcome).toBe('move');
    for (const rule of ['DSK-2', 'DSK-6', 'SWP-1', 'SWP-4', 'SWP-8']) {
      expect(outcomes(of(rule, p.findings)), rule).toEqual(['pass']);
    }
    expect(outcomes(of('SWP-2', p.findings))).toEqual(['pass', 'info']);
    expect(outcomes(of('SWP-7', p.findings))).toEqual(['pass', 'info']);
    expect(p.fees).toEqual([{ rule: 'SWP-1', amountMinor: 5_000, currency: 'GBP', description: expect.any(String) }]);
    expect(p.moves).toEqual([
      { licenseKey: 'LK-1', from: FROM, to: TO, sku: 'IPO-R11-UC-USER', quantity: 3 },
      { licenseKey: 'LK-2', from: FROM, to: TO, sku: 'IPO-R9-PWR-USER', quantity: 2 },
    ]);
    expect(p.forfeit).toEqual([]);
    expect(p.disableSystems).toEqual([FROM]);
    expect(p.keyReturns).toEqual([{ fk: FROM, dueInDays: 7 }]);
    expect(p.accountTransfers).toEqual([]);
    expect(p.extra).toMatchObject({ from: FROM, to: TO, physical: true, rmaNumber: 'RMA-2026-0042' });
    expectExplained(p.findings);
  });
  it('SWP-1 SWP-2 SWP-4 SWP-7 DSK-6 one reply lists every problem', () => {
    const p = review({
      ackIrrevocable: false,
      currency: 'EUR',
      rmaNumber: undefined,
      toFkSidConfirm: 'SID-90817236',
      caseNumber: '999999',
    });
    const d = decide(p.findings);
    expect(d.outcome).toBe('incomplete');
    expect(new Set(d.reasons.map((f) => f.rule))).toEqual(new Set(['SWP-1', 'SWP-2', 'SWP-4', 'SWP-7', 'DSK-6']));
    expectExplained(p.findings);
    expectNoWrites(p);
  });
  it('SWP-4 a held identifier with an unknown FROM plans nothing to carry out', () => {
    const p = review(fromTo('FK-21345678'));
    expect(decide(p.findings).outcome).toBe('hold');
    expectNoWrites(p);
  });
  it('is pure: the same inputs give the same plan, and the snapshot is untouched', () => {
    const s = snap();
    const before = JSON.stringify([...s.systems.values(), ...s.licenses.values()]);
    const a = reviewAvayaSwap(request(), s, clock());
    const b = reviewAvayaSwap(request(), s, clock());
    expect(a).toEqual(b);
    expect(JSON.stringify([...s.systems.values(), ...s.licenses.values()])).toBe(before);
  });
});

// --- object built-ins ------------------------------------------------------------------------------------

describe('SWP-4 SWP-5 SWP-6 object built-ins typed as FK/SIDs, SKUs or currencies are names like any other', () => {
  const BUILTINS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
  const noBuiltInText = (fs: Finding[]) => {
    for (const f of fs) expect(`${f.message} ${f.fix ?? ''}`).not.toMatch(/function|native code|\[object/);
  };

  it.each(BUILTINS)('SWP-4 a FROM or TO FK/SID %s is unknown: refused, nothing written', (name) => {
    for (const over of [fromTo(name), fromTo(FROM, name)]) {
      const p = review(over);
      expect(outcomes(of('SWP-4', p.findings)).some((o) => o === 'fixable' || o === 'final')).toBe(true);
      expect(decide(p.findings).outcome).not.toBe('move');
      expectNoWrites(p);
      noBuiltInText(p.findings);
    }
  });

  it.each(BUILTINS)('SWP-5 SWP-8 a license and SKU named %s on FROM moves with the rest', (name) => {
    const p = review({}, (d) => {
      d.catalog.push({ sku: name, kind: 'user', count: 1, lifecycle: 'orderable', listPrice: { GBP: 10 } });
      d.licenses.push({ key: name, systemKey: FROM, sku: name, quantity: 1 });
    });
    expect(p.moves.map((m) => m.licenseKey).sort()).toEqual(['LK-1', 'LK-2', name].sort());
    expect(outcomes(of('SWP-5', p.findings))).not.toContain('hold');
  });

  const bill = (
    moved: Array<{ licenseKey: string; sku: string; quantity: number }>,
    currency: string,
    sku?: string,
  ) => {
    const s = snap((d) => {
      if (sku) d.catalog.push({ sku, kind: 'user', count: 1, lifecycle: 'orderable', listPrice: { GBP: 100 } });
    });
    const p = s.partners.get('P-GB');
    if (!p) throw new Error('P-GB');
    return billUnreturnedKey({ caseNumber: '200001', fk: FROM, partner: p, moved, catalog: s.catalog, currency });
  };

  it.each(BUILTINS)('SWP-6 a SKU named %s is billed at its own list price less the discount', (name) => {
    const b = bill([{ licenseKey: 'LK-B', sku: name, quantity: 2 }], 'GBP', name);
    expect(b.lines).toEqual([
      { licenseKey: 'LK-B', sku: name, quantity: 2, unitPriceMinor: 8_000, amountMinor: 16_000 },
    ]);
  });

  it.each(BUILTINS)('SWP-6 a currency named %s has no list price: held for a rep, nothing billed', (name) => {
    const b = bill([{ licenseKey: 'LK-1', sku: 'IPO-R11-UC-USER', quantity: 1 }], name);
    expect(outcomes(b.findings)).toEqual(['info', 'hold']);
    expect(b.lines).toEqual([]);
    expect(b.totalMinor).toBe(0);
    noBuiltInText(b.findings);
  });

  it.each(BUILTINS)(
    'SWP-6 the price list has no price in a currency named %s, and no pricing exception for a SKU of that name',
    (name) => {
      const item = { sku: name, kind: 'user', count: 1, lifecycle: 'orderable' as const, listPrice: { GBP: 100 } };
      const p = { ...partner(baseDoc(), 'P-GB'), pricingExceptions: { 'IPO-R11-UC-USER': 50 } };
      expect(standardPriceMinor(item, p, name)).toBeUndefined();
      expect(dealPriceMinor(item, p, 'GBP')).toBe(8_000);
    },
  );
});
