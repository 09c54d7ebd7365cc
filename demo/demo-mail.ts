/** The demo's partner mail: one that moves, one incomplete, one rejected, one without a case number. */
import { buildPartnerMail } from '../embedded/mail-builder.js';
import { fillForm } from '../forms/form-filler.js';
import { DEMO_CONTACT } from './demo-registry.js';

export interface DemoMail { label: string; caseNumber?: string; raw: Buffer }

const transferForm = (caseNumber: string, from: string, to: string, chassis: string, keys: string[]) => ({
  form_id: 'license-transfer/v1', case_number: caseNumber, partner_id: 'P-100', partner_name: 'Acme Telecom',
  contact_email: DEMO_CONTACT, end_user_id: 'EU-1', end_user_name: 'Globex', from_system_key: from, to_system_key: to,
  to_chassis_model: chassis, license_keys: keys.join('\n'), software_only_upgrade: false,
  signer_name: 'Pat Partner', signed_on: new Date().toISOString().slice(0, 10),
});

const cardForm = (caseNumber: string) => ({
  form_id: 'card-authorization/v1', case_number: caseNumber, cardholder_name: 'Pat Partner',
  // The standard Visa test number: never a real card.
  card_number: '4111 1111 1111 1111', card_expiry: '12/39', billing_postcode: '94016',
  max_amount: '1000.00', currency: 'USD', signer_name: 'Pat Partner', signed_on: new Date().toISOString().slice(0, 10),
});

function compose(subject: string, text: string, attachments: Array<{ filename: string; content: Uint8Array }>, n: number): Promise<Buffer> {
  return buildPartnerMail({
    from: `Pat Partner <${DEMO_CONTACT}>`, to: 'desk@licensedesk.localhost', subject, text,
    messageId: `<demo-${n}-${Date.now()}@acme.example>`, attachments,
  });
}

export async function demoMails(): Promise<DemoMail[]> {
  const lt1 = await fillForm('license-transfer/v1', transferForm('100001', 'SYS-0001', 'SYS-0002', 'Max2000', ['LK-7F3A-0001', 'LK-7F3A-0002']));
  const cc1 = await fillForm('card-authorization/v1', cardForm('100001'));
  const lt2 = await fillForm('license-transfer/v1', transferForm('100002', 'SYS-0001', 'SYS-0003', 'Max1000', ['LK-7F3A-0003']));
  const lt3 = await fillForm('license-transfer/v1', { ...transferForm('100003', 'SYS-0001', 'SYS-0101', 'Max1000', ['LK-7F3A-0003']) });
  const cc3 = await fillForm('card-authorization/v1', cardForm('100003'));
  return [
    { label: 'moves', caseNumber: '100001', raw: await compose('License transfer Case 100001', 'Forms attached.', [{ filename: 'transfer.pdf', content: lt1 }, { filename: 'card.pdf', content: cc1 }], 1) },
    { label: 'incomplete (no card form)', caseNumber: '100002', raw: await compose('Re: [Case 100002] transfer', 'Here is the transfer form.', [{ filename: 'transfer.pdf', content: lt2 }], 2) },
    { label: 'rejected (another end user)', caseNumber: '100003', raw: await compose('CASE-100003 move licenses', 'Please move.', [{ filename: 'transfer.pdf', content: lt3 }, { filename: 'card.pdf', content: cc3 }], 3) },
    { label: 'no case number', raw: await compose('License transfer please', 'Forms attached.', [{ filename: 'transfer.pdf', content: lt1 }], 4) },
  ];
}
