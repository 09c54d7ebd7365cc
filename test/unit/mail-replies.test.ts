/**
 * Pure parts of the replies that do the partner's work: which forms an incomplete reply sends back, which
 * values go into them, and the HTML part's layout (no style sheets, scripts or
 * remote resources; rule IDs visible; partners' words escaped).
 */
import { describe, expect, it } from 'vitest';
import { fixableFail, finalFail } from '../../domain/finding.js';
import { fieldProblemFinding } from '../../domain/wording.js';
import { cardFieldsOf, prefillValues, replyFormFileName, type DeskKnown } from '../../forms/prefill.js';
import type { CaseForms } from '../../forms/typed-forms.js';
import { renderHtml } from '../../mail/render-html.js';
import { renderMail } from '../../mail/render.js';
import { MAIL_KINDS, type MailKind } from '../../mail/mail-kinds.js';
import { newCaseDoc } from '../../domain/case-doc.js';
import { replyFormsFor } from '../../workflows/reply-forms.js';

const KNOWN: DeskKnown = {
  caseNumber: '100002',
  partnerId: 'P-100',
  partnerName: 'Acme Telecom',
  contactEmail: 'ops@acme.example',
  endUserId: 'EU-1',
  endUserName: 'Globex',
  targetSystem: 'SYS-0003',
};

const FORMS: CaseForms = {
  'license-transfer/v1': {
    formId: 'license-transfer/v1',
    caseNumber: '100002',
    partnerId: 'P-100',
    fromSystemKey: 'SYS-0001',
    toSystemKey: 'SYS-9999',
    toChassisModel: 'Max1000',
    licenseKeys: ['LK-1', 'LK-2'],
    softwareOnlyUpgrade: false,
    signerName: 'Pat Partner',
    signedOn: '2026-11-30',
  },
  'card-authorization/v1': {
    formId: 'card-authorization/v1',
    caseNumber: '100002',
    cardholderName: 'PAT PARTNER',
    cardLast4: '1111',
    cardNumberValid: true,
    cardToken: 'tok_x',
    cardExpiry: '01/20',
    expiryValid: false,
    billingPostcode: '94016',
    maxAmountMinor: 200000,
    currency: 'USD',
    signerName: 'Pat Partner',
  },
};

describe('replies: what goes into a form sent back', () => {
  it('DSK-5 the card form gets the case and the amount that passed, never the card, its holder, expiry or postcode', () => {
    const v = prefillValues('card-authorization/v1', KNOWN, FORMS, ['card_expiry']);
    expect(v).toEqual({ case_number: '100002', max_amount: '2000.00', currency: 'USD', signer_name: 'Pat Partner' });
    expect(cardFieldsOf('card-authorization/v1')).toEqual([
      'cardholder_name',
      'card_number',
      'card_expiry',
      'billing_postcode',
    ]);
  });

  it("DSK-6 the desk's facts win over the partner's, a failed field stays empty, passed values are kept", () => {
    const v = prefillValues('license-transfer/v1', KNOWN, FORMS, ['signed_on', 'to_system_key']);
    expect(v).toMatchObject({
      case_number: '100002',
      partner_id: 'P-100',
      partner_name: 'Acme Telecom',
      contact_email: 'ops@acme.example',
      end_user_id: 'EU-1',
      end_user_name: 'Globex',
      from_system_key: 'SYS-0001',
      to_system_key: 'SYS-0003',
      to_chassis_model: 'Max1000',
      license_keys: 'LK-1\nLK-2',
      signer_name: 'Pat Partner',
    });
    expect(v.signed_on).toBeUndefined();
  });

  it('DSK-6 shared values carry to another form: the worksheet gets the systems of the License Transfer Form', () => {
    const v = prefillValues('sso-migration/v1', KNOWN, FORMS, []);
    expect(v).toEqual({ case_number: '100002', from_system_key: 'SYS-0001', to_system_key: 'SYS-0003' });
  });

  it('DSK-5 a value that reads as a card number is never written into any form', () => {
    const forms: CaseForms = {
      'license-transfer/v1': { ...FORMS['license-transfer/v1']!, signerName: '4111 1111 1111 1111' },
    };
    expect(prefillValues('license-transfer/v1', KNOWN, forms, []).signer_name).toBeUndefined();
  });

  it('names attachments <form-title>-<case>.pdf', () => {
    expect(replyFormFileName('card-authorization/v1', '100002')).toBe('credit-card-authorization-100002.pdf');
    expect(replyFormFileName('license-transfer/v1')).toBe('license-transfer-form.pdf');
  });
});

describe('replies: which forms an incomplete reply sends back', () => {
  const doc = {
    ...newCaseDoc({ number: '100002', program: 'altigen', partnerId: 'P-100', systemKey: 'SYS-0003', at: new Date() }),
    forms: FORMS,
  };

  it('ALT-6 DSK-6 a missing form and a form with a failed field, each with the fields that failed', () => {
    const failing = [
      fixableFail(
        'ALT-6',
        'We have not received the Software Only Solution License Migration Worksheet (sso-migration/v1) for case 100002.',
        'Fill in the Software Only Solution License Migration Worksheet and reply.',
      ),
      fieldProblemFinding(
        '100002',
        {
          formId: 'license-transfer/v1',
          field: 'signed_on',
          problem: 'invalid',
          message: "The License Transfer Form has 'signed_on' as '2026-13-45', which is not valid",
        },
        'License Transfer Form',
      ),
    ];
    expect(replyFormsFor(doc, failing)).toEqual([
      { formId: 'license-transfer/v1', failed: ['signed_on'] },
      { formId: 'sso-migration/v1', failed: [] },
    ]);
  });

  it('a one-word field name counts only when quoted; a finding nothing can fix sends nothing back', () => {
    const failing = [
      fixableFail(
        'DSK-5',
        'The Credit Card Authorization is in EUR; the currency must be USD.',
        'Send a new Credit Card Authorization.',
      ),
    ];
    expect(replyFormsFor(doc, failing)).toEqual([{ formId: 'card-authorization/v1', failed: [] }]);
    expect(replyFormsFor(doc, [finalFail('ALT-3', 'The License Transfer Form names another end user.')])).toEqual([]);
  });
});

describe('replies: the HTML part', () => {
  const data = {
    caseNumber: '100002',
    program: 'altigen',
    from: 'SYS-0001',
    to: 'SYS-0003',
    moves: [],
    fees: [],
    disabled: [],
    keyFollowUps: [],
    failing: [
      {
        rule: 'ALT-6',
        outcome: 'fail',
        message: 'We have not received <script>alert(1)</script> the form',
        fix: 'Send it',
      },
    ],
    holding: [],
    originalSubject: '<img src=http://evil.example/x.png>',
    attachments: [],
    lines: [],
    conversions: [],
    accountTransfers: [],
  };

  it.each(Object.keys(MAIL_KINDS) as MailKind[])(
    "%s: inline CSS only, nothing to run or load, partners' words escaped",
    async (kind) => {
      const { subject } = renderMail(kind, data, '100002');
      const html = await renderHtml(kind, data, subject, '100002');
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).not.toMatch(/<style|<script|<link\b|<img/i);
      expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?https?:/i);
    },
  );

  it('DSK-6 findings are a list with their rule IDs visible', async () => {
    const { subject } = renderMail('incomplete', data, '100002');
    const html = await renderHtml('incomplete', data, subject, '100002');
    expect(html).toMatch(/<li[^>]*><span class="rule" style="[^"]+">ALT-6<\/span> We have not received &lt;script&gt;/);
  });
});
