/**
 * DSK-5: a card number typed anywhere but the card number field is found in
 * every separator shape partners use and blanked before anything keeps it,
 * table-driven over every separator in every text field of every form.
 */
import { describe, expect, it } from 'vitest';
import { containsCardNumber, luhnValid, withoutCardNumbers } from '../../lib/card-number.js';
import { FORM_SPECS } from '../../forms/specs.js';
import { typeForm } from '../../forms/typing.js';
import { FORM_IDS, type FieldValue, type FormId } from '../../forms/types.js';
import { SAMPLE_VALUES, expectedRawFields } from '../fixtures/forms/tools.js';
import { SHAPES } from '../support/card-shapes.js';

const NOW = new Date('2025-06-15T10:00:00Z');

/** Test cards: Visa 16, Mastercard 16, Amex 15, Discover 16, Visa 13, a 19-digit one. */
const CARDS = [
  '4111111111111111',
  '5555555555554444',
  '378282246310005',
  '6011111111111117',
  '4222222222222',
  '6304000000000000018',
];

/** Every way partners separate the digits (every separator partners are seen to use), applied to a card in groups of four. */
describe('card number detection (DSK-5)', () => {
  it('DSK-5 the test cards are Luhn-valid', () => {
    for (const c of CARDS) expect(luhnValid(c), c).toBe(true);
  });

  for (const [shape, make] of SHAPES) {
    it(`DSK-5 finds a card number with ${shape}, alone and inside text`, () => {
      for (const c of CARDS) {
        const typed = make(c);
        expect(containsCardNumber(typed), `${shape}: ${JSON.stringify(typed)}`).toBe(true);
        expect(containsCardNumber(`Ref ${typed} thanks`), `${shape} in text`).toBe(true);
        expect(containsCardNumber(`paid with card:${typed}, exp 12/29`), `${shape} between words`).toBe(true);
        const cleaned = withoutCardNumbers(`Case 100001 card ${typed} ok`);
        expect(cleaned).toContain('[card number removed]');
        expect(cleaned.replace(/\D/g, '')).not.toContain(c.slice(0, 12));
        expect(cleaned).toContain('Case 100001');
      }
    });
  }

  it('DSK-5 keeps numbers that are not card numbers: Luhn failures, too short or too long, and numbers split by words', () => {
    for (const text of [
      '4111 1111 1111 1112', // Luhn fails
      '4111.1111.1111', // 12 digits
      '12345678901234567890123', // 23 digits in one group
      'LK-0001, LK-0002, LK-0003', // license keys
      'SYS-0001',
      '2025-06-15',
      '+1 (555) 123-4567',
      '300.00',
      'Max1000R',
      '4111 1111 abcd 1111 1111', // words break the run
      'Sold-to 4111111 ship-to 111111111', // a word between two numbers
    ])
      expect(containsCardNumber(text), text).toBe(false);
    expect(withoutCardNumbers('Case 100001 scans')).toBe('Case 100001 scans');
  });
});

describe('DSK-5 a card number in any field but card_number is blanked before anything keeps it', () => {
  const textFields = FORM_IDS.flatMap((formId) =>
    FORM_SPECS[formId].fields
      .filter((f) => f.kind === 'text' || f.kind === 'multiline')
      .filter((f) => f.name !== 'card_number' && f.name !== 'form_id')
      .map((f) => [formId, f.name] as [FormId, string]),
  );

  it('DSK-5 there are text fields on every form to test', () => {
    for (const formId of FORM_IDS)
      expect(
        textFields.some(([f]) => f === formId),
        formId,
      ).toBe(true);
  });

  for (const [shape, make] of SHAPES) {
    it(`DSK-5 blanks a card number with ${shape} in every text field of every form, and asks for the field again`, () => {
      for (const [formId, field] of textFields) {
        const card = CARDS[(formId.length + field.length) % CARDS.length]!;
        const value = `x ${make(card)} y`;
        const fields: Record<string, FieldValue> = {
          ...expectedRawFields(formId, SAMPLE_VALUES[formId]),
          [field]: value,
        };
        const r = typeForm({ formId, fields, discarded: [] }, { now: NOW, tokenize: () => 'tok_x' });
        if ('unknownFormId' in r) throw new Error(formId);
        const where = `${formId} ${field} (${shape})`;
        const out = JSON.stringify(r);
        expect(out.normalize('NFKC').replace(/\D/g, ''), where).not.toContain(card.slice(0, 12));
        expect(out, where).not.toContain(value);
        const problem = r.problems.find((p) => p.field === field);
        expect(problem?.message, where).toMatch(/seemed to hold a card number/);
      }
    });
  }

  it('DSK-5 the card number field itself is not blanked by the scan', () => {
    const fields = {
      ...expectedRawFields('card-authorization/v1', SAMPLE_VALUES['card-authorization/v1']),
      card_number: '4111 1111 1111 1111',
    };
    const r = typeForm(
      { formId: 'card-authorization/v1', fields, discarded: [] },
      { now: NOW, tokenize: () => 'tok_x' },
    );
    if ('unknownFormId' in r) throw new Error('unknown');
    expect(r.problems.filter((p) => p.field === 'card_number')).toEqual([]);
    expect((r.form as { cardLast4?: string }).cardLast4).toBe('1111');
  });
});
