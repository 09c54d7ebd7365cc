/**
 * Typing a RawForm: missing fields (DSK-6), invalid and ambiguous values, and
 * the card checks and masking (DSK-5).
 */
import { describe, it, expect } from 'vitest';
import { FORM_SPECS } from '../../forms/specs.js';
import { discardedNotice, luhnValid, parseFormDate, typeForm } from '../../forms/typing.js';
import type { CardAuthorizationForm, TypedForm } from '../../forms/typed-forms.js';
import { FORM_IDS, type FieldProblem, type FieldValue, type FormId } from '../../forms/types.js';
import { SAMPLE_VALUES, expectedRawFields } from '../fixtures/forms/tools.js';

const NOW = new Date('2025-06-15T10:00:00Z');

function typed(
  formId: FormId,
  over: Record<string, FieldValue> = {},
  now = NOW,
  tokenize?: (d: string) => string,
): { form: TypedForm; problems: FieldProblem[] } {
  const fields = { ...expectedRawFields(formId, SAMPLE_VALUES[formId]), ...over };
  const r = typeForm({ formId, fields, discarded: [] }, { now, ...(tokenize ? { tokenize } : {}) });
  if ('unknownFormId' in r) throw new Error('unknown form');
  return r;
}

const summary = (problems: FieldProblem[]): string[] => problems.map((p) => `${p.field}:${p.problem}`);

describe('missing fields (DSK-6)', () => {
  it('DSK-6 an empty License Transfer Form names every required field in plain words', () => {
    const blank = expectedRawFields('license-transfer/v1', {});
    const r = typeForm({ formId: 'license-transfer/v1', fields: blank, discarded: [] }, { now: NOW });
    if ('unknownFormId' in r) throw new Error('unknown');
    const required = FORM_SPECS['license-transfer/v1'].fields
      .filter((f) => f.required && f.name !== 'form_id')
      .map((f) => `${f.name}:missing`);
    expect(summary(r.problems)).toEqual(required);
    expect(r.problems.find((p) => p.field === 'to_system_key')?.message).toBe(
      "The License Transfer Form has no 'to_system_key' (system the licenses go to).",
    );
    for (const p of r.problems) {
      expect(p.formId).toBe('license-transfer/v1');
      expect(p.message).toContain(`'${p.field}'`);
    }
    expect(r.form).toEqual({ formId: 'license-transfer/v1', licenseKeys: [], softwareOnlyUpgrade: false });
  });

  it('DSK-6 every form filled completely has no problems; each form emptied has a missing problem per required field', () => {
    for (const id of FORM_IDS) {
      expect(typed(id).problems, id).toEqual([]);
      const r = typeForm({ formId: id, fields: expectedRawFields(id, {}), discarded: [] }, { now: NOW });
      if ('unknownFormId' in r) throw new Error('unknown');
      expect(r.problems.length, id).toBeGreaterThan(0);
      expect(
        r.problems.every((p) => p.problem === 'missing' && p.message.startsWith(`The ${FORM_SPECS[id].title} `)),
        id,
      ).toBe(true);
    }
  });

  it('DSK-6 rma_number is needed only when from_platform is physical', () => {
    const physical = typed('swap-request/v1', { rma_number: '' });
    expect(summary(physical.problems)).toEqual(['rma_number:missing']);
    expect(physical.problems[0]?.message).toBe(
      "The License SWAP Request Form has no 'rma_number' (approved RMA number of the physical server), which is needed when 'from_platform' is physical.",
    );
    expect(typed('swap-request/v1', { rma_number: '', from_platform: 'virtual' }).problems).toEqual([]);
  });

  it('DSK-6 deployment_name is needed only for a deployment transfer', () => {
    expect(summary(typed('account-transfer/v1', { deployment_name: '' }).problems)).toEqual([
      'deployment_name:missing',
    ]);
    expect(typed('account-transfer/v1', { deployment_name: '', transfer_kind: 'sale' }).problems).toEqual([]);
  });

  it('DSK-6 ack_irrevocable must be ticked; ack_eos_forfeit and software_only_upgrade are optional', () => {
    const r = typed('swap-request/v1', { ack_irrevocable: false, ack_eos_forfeit: false });
    expect(summary(r.problems)).toEqual(['ack_irrevocable:missing']);
    expect(r.problems[0]?.message).toMatch(/must be ticked/);
    expect((r.form as { ackIrrevocable: boolean }).ackIrrevocable).toBe(false);
    expect(typed('license-transfer/v1', { software_only_upgrade: false }).problems).toEqual([]);
  });

  it('DSK-6 license_keys with only blank lines is missing; lines are trimmed one a line', () => {
    expect(summary(typed('license-transfer/v1', { license_keys: '\n  \n' }).problems)).toEqual([
      'license_keys:missing',
    ]);
    expect(
      (typed('license-transfer/v1', { license_keys: ' A \n\nB\r\nC ' }).form as { licenseKeys: string[] }).licenseKeys,
    ).toEqual(['A', 'B', 'C']);
  });
});

describe('invalid values', () => {
  it('a dropdown value not among the options is invalid; a case difference is forgiven', () => {
    const r = typed('license-transfer/v1', { to_chassis_model: 'Max3000' });
    expect(summary(r.problems)).toEqual(['to_chassis_model:invalid']);
    expect(r.problems[0]?.message).toContain('Max1000, Max1000R, Max2000, Office, SoftwareOnly, Other');
    expect(
      (typed('license-transfer/v1', { to_chassis_model: 'max1000r' }).form as { toChassisModel?: string })
        .toChassisModel,
    ).toBe('Max1000R');
    expect(summary(typed('uninstall-declaration/v1', { reason: 'broken' }).problems)).toEqual(['reason:invalid']);
    expect(summary(typed('account-transfer/v1', { transfer_kind: 'gift' }).problems)).toEqual([
      'transfer_kind:invalid',
    ]);
  });

  it('counts must be whole numbers', () => {
    for (const bad of ['12.5', '-3', 'twelve', '1e3', '1,000']) {
      expect(summary(typed('sso-migration/v1', { station_count: bad }).problems), bad).toEqual([
        'station_count:invalid',
      ]);
    }
    expect(typed('sso-migration/v1', { agent_seat_count: '0' }).problems).toEqual([]);
  });

  it('emails, amounts and currencies are checked', () => {
    expect(summary(typed('license-transfer/v1', { contact_email: 'ops at acme' }).problems)).toEqual([
      'contact_email:invalid',
    ]);
    expect(summary(typed('license-transfer/v1', { contact_email: 'a@b.c, d@e.f' }).problems)).toEqual([
      'contact_email:invalid',
    ]);
    for (const bad of ['$300', '300,00', '12.345', '0', '-5', 'lots']) {
      expect(summary(typed('card-authorization/v1', { max_amount: bad }).problems), bad).toEqual([
        'max_amount:invalid',
      ]);
    }
    const card = typed('card-authorization/v1', { max_amount: '300', currency: 'gbp' }).form as CardAuthorizationForm;
    expect(card.maxAmountMinor).toBe(30000);
    expect(card.currency).toBe('GBP');
    expect(summary(typed('card-authorization/v1', { currency: 'US$' }).problems)).toEqual(['currency:invalid']);
  });

  it('quantities are PRODUCT quantity lines; a bad or repeated line is invalid', () => {
    const ok = typed('account-transfer/v1', { quantities: 'LV-ASR-PORT 4\n\n  LV-TTS-PORT\t2 ' });
    expect(ok.problems).toEqual([]);
    expect((ok.form as { quantities: Record<string, number> }).quantities).toEqual({
      'LV-ASR-PORT': 4,
      'LV-TTS-PORT': 2,
    });
    for (const bad of [
      'LV-ASR-PORT',
      'LV-ASR-PORT four',
      'LV-ASR-PORT 0',
      'LV ASR PORT 4',
      'LV-ASR-PORT 4\nLV-ASR-PORT 2',
      'LV-ASR-PORT 2.5',
    ]) {
      const r = typed('account-transfer/v1', { quantities: bad });
      expect(summary(r.problems), bad).toEqual(['quantities:invalid']);
      expect(r.problems[0]?.message).toMatch(/LV-ASR-PORT 4/);
    }
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'LVX-2 a quantities line naming the object built-in %s is read as a product of its own (built-in lookups)',
    (name) => {
      const r = typed('account-transfer/v1', { quantities: `${name} 4\nLV-ASR-PORT 1` });
      expect(r.problems).toEqual([]);
      const quantities = (r.form as { quantities: Record<string, number> }).quantities;
      expect(Object.entries(quantities)).toEqual([
        [name, 4],
        ['LV-ASR-PORT', 1],
      ]);
      expect(Object.getPrototypeOf(quantities)).toBe(Object.prototype);
      expect(JSON.parse(JSON.stringify(quantities))).toEqual(quantities);
    },
  );
});

describe('dates', () => {
  it('accepts YYYY-MM-DD, and DD/MM/YYYY or MM/DD/YYYY only when unambiguous', () => {
    expect(parseFormDate('2025-06-01')).toEqual({ ok: true, date: '2025-06-01' });
    expect(parseFormDate('31/12/2025')).toEqual({ ok: true, date: '2025-12-31' });
    expect(parseFormDate('12/31/2025')).toEqual({ ok: true, date: '2025-12-31' });
    expect(parseFormDate('05/05/2025')).toEqual({ ok: true, date: '2025-05-05' });
    expect(parseFormDate('03/04/2025')).toEqual({
      ok: false,
      problem: 'ambiguous',
      readings: ['2025-04-03', '2025-03-04'],
    });
    for (const bad of [
      '2025-02-30',
      '2025-13-01',
      '30/02/2025',
      '31/31/2025',
      '2025/06/01',
      '1 June 2025',
      '06/01/25',
      '',
    ]) {
      expect(parseFormDate(bad).ok, bad).toBe(false);
      expect(parseFormDate(bad), bad).not.toHaveProperty('readings');
    }
  });

  it('a bad date is invalid and an ambiguous one asks for YYYY-MM-DD, naming the field', () => {
    const bad = typed('license-transfer/v1', { signed_on: '2025-02-30' });
    expect(summary(bad.problems)).toEqual(['signed_on:invalid']);
    expect(bad.problems[0]?.message).toContain('YYYY-MM-DD');
    const amb = typed('uninstall-declaration/v1', { uninstalled_on: '03/04/2025' });
    expect(summary(amb.problems)).toEqual(['uninstalled_on:ambiguous']);
    expect(amb.problems[0]?.message).toBe(
      "The Declaration of uninstall has 'uninstalled_on' (date the software was uninstalled (YYYY-MM-DD)) as '03/04/2025', which could be 2025-04-03 or 2025-03-04; please write it as YYYY-MM-DD.",
    );
    expect((amb.form as { uninstalledOn?: string }).uninstalledOn).toBeUndefined();
  });
});

describe('card checks and masking (DSK-5)', () => {
  const NUMBER = '4111111111111111';
  const leaks = (x: unknown): boolean => {
    const s = JSON.stringify(x);
    return s.includes(NUMBER) || s.replace(/[\s-]/g, '').includes(NUMBER) || s.includes('4111 1111');
  };

  it('DSK-5 luhn', () => {
    for (const good of [
      NUMBER,
      '5555555555554444',
      '378282246310005',
      '6011111111111117',
      '4000056655665556',
      '79927398713',
    ])
      expect(luhnValid(good), good).toBe(true);
    for (const bad of ['4111111111111112', '5555555555554440', '79927398710', '41111111111111a1', ''])
      expect(luhnValid(bad), bad).toBe(false);
  });

  it("DSK-5 a valid number keeps only its last 4 digits and the caller's token", () => {
    const seen: string[] = [];
    const r = typed('card-authorization/v1', { card_number: '4111-1111 1111-1111' }, NOW, (d) => {
      seen.push(d);
      return 'tok_abc';
    });
    expect(seen).toEqual([NUMBER]);
    const card = r.form as CardAuthorizationForm;
    expect(card.cardLast4).toBe('1111');
    expect(card.cardToken).toBe('tok_abc');
    expect(card.cardNumberValid).toBe(true);
    expect(card).not.toHaveProperty('cardNumber');
    expect(leaks(r)).toBe(false);
  });

  it('DSK-5 a Luhn failure or a wrong length is invalid, is not tokenized, and the number is in no message', () => {
    for (const bad of ['4111 1111 1111 1112', '4111 1111', '4111 1111 1111 1111 1111', '4111-1111-abcd-1111']) {
      let called = false;
      const r = typed('card-authorization/v1', { card_number: bad }, NOW, () => {
        called = true;
        return 'tok';
      });
      expect(summary(r.problems), bad).toEqual(['card_number:invalid']);
      expect((r.form as CardAuthorizationForm).cardNumberValid).toBe(false);
      expect((r.form as CardAuthorizationForm).cardToken).toBeUndefined();
      expect(called).toBe(false);
      const digits = bad.replace(/\D/g, '');
      expect(JSON.stringify(r)).not.toContain(digits);
      expect(JSON.stringify(r)).not.toContain(bad);
    }
    const luhnFail = typed('card-authorization/v1', { card_number: '4111 1111 1111 1112' });
    expect((luhnFail.form as CardAuthorizationForm).cardLast4).toBe('1112');
  });

  it('DSK-5 a missing card number is a missing field, not a valid card', () => {
    const r = typed('card-authorization/v1', { card_number: '' });
    expect(summary(r.problems)).toEqual(['card_number:missing']);
    expect((r.form as CardAuthorizationForm).cardNumberValid).toBe(false);
  });

  it('DSK-5 an expired card is invalid; the card is valid through the end of its expiry month', () => {
    const expired = typed('card-authorization/v1', { card_expiry: '05/25' });
    expect(summary(expired.problems)).toEqual(['card_expiry:invalid']);
    expect(expired.problems[0]?.message).toMatch(/expired/);
    expect((expired.form as CardAuthorizationForm).expiryValid).toBe(false);
    const thisMonth = typed('card-authorization/v1', { card_expiry: '06/25' }, new Date('2025-06-30T23:59:59Z'));
    expect(thisMonth.problems).toEqual([]);
    expect((thisMonth.form as CardAuthorizationForm).expiryValid).toBe(true);
    expect(
      summary(typed('card-authorization/v1', { card_expiry: '06/25' }, new Date('2025-07-01T00:00:00Z')).problems),
    ).toEqual(['card_expiry:invalid']);
    expect((typed('card-authorization/v1', { card_expiry: '1/2031' }).form as CardAuthorizationForm).cardExpiry).toBe(
      '01/31',
    );
    for (const bad of ['13/26', '00/26', '2026-12', 'soon']) {
      expect(summary(typed('card-authorization/v1', { card_expiry: bad }).problems), bad).toEqual([
        'card_expiry:invalid',
      ]);
    }
  });

  it('DSK-5 a card number typed into another field is not repeated in its problem message', () => {
    const r = typed('card-authorization/v1', { max_amount: '4111 1111 1111 1111' });
    expect(summary(r.problems)).toEqual(['max_amount:invalid']);
    expect(leaks(r)).toBe(false);
  });

  it('DSK-5 a tokenizer that fails does not carry the number out in its error', () => {
    expect(() =>
      typed('card-authorization/v1', {}, NOW, (d) => {
        throw new Error(`vault refused ${d}`);
      }),
    ).toThrow('card tokenization failed');
    try {
      typed('card-authorization/v1', {}, NOW, (d) => {
        throw new Error(`vault refused ${d}`);
      });
    } catch (err) {
      expect(String(err)).not.toContain(NUMBER);
      expect((err as Error).cause).toBeUndefined();
    }
  });

  it('DSK-5 discarded security-code fields get a notice naming them, never their value', () => {
    expect(discardedNotice([])).toBeUndefined();
    expect(discardedNotice(['cvv'])).toMatch(/'cvv'.*security code.*discarded/);
  });
});
