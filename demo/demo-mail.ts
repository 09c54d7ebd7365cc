/** The demo's partner mail: one that moves, one incomplete, one rejected, one without a case number. */
import { buildPartnerMail } from '../embedded/mail-builder.js';
import { fillForm } from '../forms/form-filler.js';
import { DEMO_AUD_CONTACT, DEMO_CONTACT, DEMO_LVX_CONTACT, DEMO_SWAP_CONTACT } from './demo-registry.js';

export interface DemoMail {
  label: string;
  caseNumber?: string;
  raw: Buffer;
  partner: string;
}

const transferForm = (caseNumber: string, from: string, to: string, chassis: string, keys: string[]) => ({
  form_id: 'license-transfer/v1',
  case_number: caseNumber,
  partner_id: 'P-100',
  partner_name: 'Acme Telecom',
  contact_email: DEMO_CONTACT,
  end_user_id: 'EU-1',
  end_user_name: 'Globex',
  from_system_key: from,
  to_system_key: to,
  to_chassis_model: chassis,
  license_keys: keys.join('\n'),
  software_only_upgrade: false,
  signer_name: 'Pat Partner',
  signed_on: new Date().toISOString().slice(0, 10),
});

const cardForm = (caseNumber: string) => ({
  form_id: 'card-authorization/v1',
  case_number: caseNumber,
  cardholder_name: 'Pat Partner',
  // The standard Visa test number: never a real card.
  card_number: '4111 1111 1111 1111',
  card_expiry: '12/39',
  billing_postcode: '94016',
  max_amount: '1000.00',
  currency: 'USD',
  signer_name: 'Pat Partner',
  signed_on: new Date().toISOString().slice(0, 10),
});

function compose(
  subject: string,
  text: string,
  attachments: Array<{ filename: string; content: Uint8Array }>,
  n: number,
  from = DEMO_CONTACT,
): Promise<Buffer> {
  return buildPartnerMail({
    from: `Demo Partner <${from}>`,
    to: 'desk@licensedesk.localhost',
    subject,
    text,
    messageId: `<demo-${n}-${Date.now()}@acme.example>`,
    attachments,
  });
}

export async function demoMails(): Promise<DemoMail[]> {
  const lt1 = await fillForm(
    'license-transfer/v1',
    transferForm('100001', 'SYS-0001', 'SYS-0002', 'Max2000', ['LK-7F3A-0001', 'LK-7F3A-0002']),
  );
  const cc1 = await fillForm('card-authorization/v1', cardForm('100001'));
  const lt2 = await fillForm(
    'license-transfer/v1',
    transferForm('100002', 'SYS-0001', 'SYS-0003', 'Max1000', ['LK-7F3A-0003']),
  );
  const lt3 = await fillForm('license-transfer/v1', {
    ...transferForm('100003', 'SYS-0001', 'SYS-0101', 'Max1000', ['LK-7F3A-0003']),
  });
  const cc3 = await fillForm('card-authorization/v1', cardForm('100003'));
  const signed = new Date().toISOString().slice(0, 10);
  const swap = await fillForm('swap-request/v1', {
    form_id: 'swap-request/v1',
    case_number: '100004',
    partner_id: 'P-400',
    partner_name: 'Comms Ltd',
    contact_email: DEMO_SWAP_CONTACT,
    end_user_id: 'EU-40',
    end_user_name: 'Fabrikam',
    from_fk_sid: 'FK-1001-2002',
    from_fk_sid_confirm: 'FK-1001-2002',
    to_fk_sid: 'FK-3003-4004',
    to_fk_sid_confirm: 'FK-3003-4004',
    from_platform: 'physical',
    rma_number: 'RMA-778812',
    currency: 'GBP',
    ack_irrevocable: true,
    ack_eos_forfeit: false,
    signer_name: 'Sam Swap',
    signed_on: signed,
  });
  const sale = await fillForm('account-transfer/v1', {
    form_id: 'account-transfer/v1',
    case_number: '100005',
    partner_id: 'P-300',
    contact_email: DEMO_LVX_CONTACT,
    transfer_kind: 'sale',
    from_account_id: 'LV-RES-1',
    to_account_id: 'LV-EU-9',
    quantities: 'LV-ASR-PORT 4',
    signer_name: 'Lee Lic',
    signed_on: signed,
  });
  const move = await fillForm('license-transfer/v1', {
    form_id: 'license-transfer/v1',
    case_number: '100006',
    partner_id: 'P-500',
    partner_name: 'Voice Apps',
    contact_email: DEMO_AUD_CONTACT,
    end_user_id: 'EU-50',
    end_user_name: 'Contoso',
    from_system_key: 'M-0001',
    to_system_key: 'M-0002',
    to_chassis_model: 'Other',
    license_keys: 'LA-0001',
    software_only_upgrade: false,
    signer_name: 'Ada Audium',
    signed_on: signed,
  });
  const decl = await fillForm('uninstall-declaration/v1', {
    form_id: 'uninstall-declaration/v1',
    case_number: '100006',
    end_user_id: 'EU-50',
    old_machine_id: 'M-0001',
    new_machine_id: 'M-0002',
    reason: 'retired',
    uninstalled_on: signed,
    signer_name: 'Ada Audium',
    signed_on: signed,
  });
  return [
    {
      label: 'AltiGen: moves',
      caseNumber: '100001',
      partner: DEMO_CONTACT,
      raw: await compose(
        'License transfer Case 100001',
        'Forms attached.',
        [
          { filename: 'transfer.pdf', content: lt1 },
          { filename: 'card.pdf', content: cc1 },
        ],
        1,
      ),
    },
    {
      label: 'AltiGen: incomplete (no card form)',
      caseNumber: '100002',
      partner: DEMO_CONTACT,
      raw: await compose(
        'Re: [Case 100002] transfer',
        'Here is the transfer form.',
        [{ filename: 'transfer.pdf', content: lt2 }],
        2,
      ),
    },
    {
      label: 'AltiGen: rejected (another end user)',
      caseNumber: '100003',
      partner: DEMO_CONTACT,
      raw: await compose(
        'CASE-100003 move licenses',
        'Please move.',
        [
          { filename: 'transfer.pdf', content: lt3 },
          { filename: 'card.pdf', content: cc3 },
        ],
        3,
      ),
    },
    {
      label: 'no case number',
      partner: DEMO_CONTACT,
      raw: await compose('License transfer please', 'Forms attached.', [{ filename: 'transfer.pdf', content: lt1 }], 4),
    },
    {
      label: 'Avaya SWAP: physical key, waits 7 days for its return',
      caseNumber: '100004',
      partner: DEMO_SWAP_CONTACT,
      raw: await compose(
        'SWAP Case 100004',
        'SWAP form attached.',
        [{ filename: 'swap.pdf', content: swap }],
        5,
        DEMO_SWAP_CONTACT,
      ),
    },
    {
      label: 'LumenVox: sale to an end user',
      caseNumber: '100005',
      partner: DEMO_LVX_CONTACT,
      raw: await compose(
        'Case 100005 sale',
        'Sale form attached.',
        [{ filename: 'sale.pdf', content: sale }],
        6,
        DEMO_LVX_CONTACT,
      ),
    },
    {
      label: 'Audium: machine move, waits for a rep',
      caseNumber: '100006',
      partner: DEMO_AUD_CONTACT,
      raw: await compose(
        'Case 100006 machine retired',
        'Forms attached.',
        [
          { filename: 'transfer.pdf', content: move },
          { filename: 'declaration.pdf', content: decl },
        ],
        7,
        DEMO_AUD_CONTACT,
      ),
    },
  ];
}
