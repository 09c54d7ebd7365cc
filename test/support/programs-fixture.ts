/** Registry and partner mail for the SWAP, LumenVox and Audium programs. */
import { fillForm } from '../../forms/form-filler.js';
import { buildPartnerMail } from '../../embedded/mail-builder.js';

const today = () => new Date().toISOString().slice(0, 10);
const opened = () => new Date().toISOString();

export const SWAP_CONTACT = 'ops@comms.example';
export const LVX_CONTACT = 'lic@reseller.example';
export const LVX_RECEIVER = 'lic2@reseller.example';
export const LVX_BUYER = 'it@enduser.example';
/** A contact of LV-RES-3, another of the partner's accounts linked to LV-RES-1 (it may pull from it, not ask for LV-RES-2). */
export const LVX_OTHER_ACCOUNT = 'lic3@reseller.example';
export const AUD_CONTACT = 'ops@voice.example';

export function programsRegistry() {
  return {
    catalog: [
      {
        sku: 'IPO-R11-ESS-EDITION',
        kind: 'edition',
        count: 1,
        lifecycle: 'orderable',
        listPrice: { GBP: 200, EUR: 230 },
      },
      { sku: 'IPO-R11-PWR-USER', kind: 'user', count: 1, lifecycle: 'end-of-sale', listPrice: { GBP: 120, EUR: 140 } },
      { sku: 'AUD-STUDIO', kind: 'seat', count: 1, lifecycle: 'orderable', listPrice: { USD: 5000 } },
      { sku: 'AUD-CS-SESSIONS', kind: 'session', count: 1, lifecycle: 'orderable', listPrice: { USD: 100 } },
    ],
    partners: [
      {
        id: 'P-400',
        name: 'Comms Ltd',
        currency: 'GBP',
        contacts: [SWAP_CONTACT],
        standardDiscountPct: 20,
        pricingExceptions: { 'IPO-R11-ESS-EDITION': 50 },
      },
      { id: 'P-300', name: 'Speech Reseller', currency: 'USD', contacts: [LVX_CONTACT], standardDiscountPct: 0 },
      { id: 'P-500', name: 'Voice Apps', currency: 'USD', contacts: [AUD_CONTACT], standardDiscountPct: 0 },
    ],
    endUsers: [
      { id: 'EU-40', name: 'Fabrikam', partnerId: 'P-400' },
      { id: 'EU-30', name: 'Speech Co', partnerId: 'P-300' },
      { id: 'EU-50', name: 'Contoso', partnerId: 'P-500' },
    ],
    systems: [
      {
        key: 'FK-1001-2002',
        endUserId: 'EU-40',
        program: 'avaya-swap',
        model: 'IP500V2',
        platform: 'physical',
        registered: true,
      },
      {
        key: 'FK-3003-4004',
        endUserId: 'EU-40',
        program: 'avaya-swap',
        model: 'IPO-VIRTUAL',
        platform: 'virtual',
        registered: true,
      },
      {
        key: 'FK-5005-6006',
        endUserId: 'EU-40',
        program: 'avaya-swap',
        model: 'IP500V2',
        platform: 'physical',
        registered: true,
      },
      {
        key: 'FK-7007-8008',
        endUserId: 'EU-40',
        program: 'avaya-swap',
        model: 'IPO-VIRTUAL',
        platform: 'virtual',
        registered: true,
      },
      // A SWAP whose End-of-Sale license is moved by another SWAP between its review and its transfer.
      { key: 'FK-9111-8111', endUserId: 'EU-40', program: 'avaya-swap', platform: 'virtual', registered: true },
      { key: 'FK-9222-8222', endUserId: 'EU-40', program: 'avaya-swap', platform: 'virtual', registered: true },
      { key: 'FK-9333-8333', endUserId: 'EU-40', program: 'avaya-swap', platform: 'virtual', registered: true },
      { key: 'LVX-SITE-1', endUserId: 'EU-30', program: 'lumenvox', registered: true },
      { key: 'M-0001', endUserId: 'EU-50', program: 'audium', registered: true },
      { key: 'M-0002', endUserId: 'EU-50', program: 'audium', registered: true },
    ],
    licenses: [
      { key: 'LS-1', systemKey: 'FK-1001-2002', sku: 'IPO-R11-ESS-EDITION', quantity: 1 },
      { key: 'LS-2', systemKey: 'FK-1001-2002', sku: 'IPO-R11-ESS-EDITION', quantity: 2 },
      { key: 'LS-3', systemKey: 'FK-5005-6006', sku: 'IPO-R11-ESS-EDITION', quantity: 1 },
      { key: 'LA-1', systemKey: 'M-0001', sku: 'AUD-STUDIO', quantity: 1 },
      { key: 'LS-30', systemKey: 'FK-9111-8111', sku: 'IPO-R11-PWR-USER', quantity: 4 },
      { key: 'LS-31', systemKey: 'FK-9222-8222', sku: 'IPO-R11-ESS-EDITION', quantity: 1 },
    ],
    cases: [
      { number: '400001', partnerId: 'P-400', systemKey: 'FK-3003-4004', program: 'avaya-swap', openedAt: opened() },
      { number: '400002', partnerId: 'P-400', systemKey: 'FK-7007-8008', program: 'avaya-swap', openedAt: opened() },
      { number: '400003', partnerId: 'P-400', systemKey: 'FK-3003-4004', program: 'avaya-swap', openedAt: opened() },
      { number: '300101', partnerId: 'P-300', systemKey: 'LVX-SITE-1', program: 'lumenvox', openedAt: opened() },
      { number: '300102', partnerId: 'P-300', systemKey: 'LVX-SITE-1', program: 'lumenvox', openedAt: opened() },
      ...['300103', '300104', '300105', '300106', '300107'].map((number) => ({
        number,
        partnerId: 'P-300',
        systemKey: 'LVX-SITE-1',
        program: 'lumenvox',
        openedAt: opened(),
      })),
      { number: '400010', partnerId: 'P-400', systemKey: 'FK-9222-8222', program: 'avaya-swap', openedAt: opened() },
      { number: '400011', partnerId: 'P-400', systemKey: 'FK-9333-8333', program: 'avaya-swap', openedAt: opened() },
      { number: '500001', partnerId: 'P-500', systemKey: 'M-0002', program: 'audium', openedAt: opened() },
    ],
    accounts: [
      {
        id: 'LV-RES-1',
        partnerId: 'P-300',
        parentId: null,
        contacts: [LVX_CONTACT],
        linkedAccountIds: [],
        available: { 'LV-ASR-PORT': 10 },
        deployed: { 'LV-ASR-PORT': 2 },
      },
      {
        id: 'LV-EU-9',
        partnerId: 'P-300',
        parentId: 'LV-RES-1',
        contacts: [LVX_BUYER],
        linkedAccountIds: [],
        available: {},
        deployed: {},
      },
      {
        id: 'LV-RES-2',
        partnerId: 'P-300',
        parentId: null,
        contacts: [LVX_RECEIVER],
        linkedAccountIds: ['LV-RES-1'],
        available: {},
        deployed: {},
      },
      {
        id: 'LV-RES-3',
        partnerId: 'P-300',
        parentId: null,
        contacts: [LVX_OTHER_ACCOUNT],
        linkedAccountIds: ['LV-RES-1'],
        available: {},
        deployed: {},
      },
    ],
    pools: [{ id: 'CS-POOL-1', endUserId: 'EU-50', sku: 'AUD-CS-SESSIONS', sessions: 100 }],
    installations: [
      {
        machineId: 'M-0001',
        endUserId: 'EU-50',
        poolId: 'CS-POOL-1',
        sessions: 10,
        activatedAt: '2026-11-01T10:00:00Z',
        lastReactivatedAt: null,
      },
    ],
  };
}

export function swapForm(
  caseNumber: string,
  from: string,
  to: string,
  platform: 'physical' | 'virtual',
  extra: Record<string, string | boolean> = {},
) {
  return fillForm('swap-request/v1', {
    form_id: 'swap-request/v1',
    case_number: caseNumber,
    partner_id: 'P-400',
    partner_name: 'Comms Ltd',
    contact_email: SWAP_CONTACT,
    end_user_id: 'EU-40',
    end_user_name: 'Fabrikam',
    from_fk_sid: from,
    from_fk_sid_confirm: from,
    to_fk_sid: to,
    to_fk_sid_confirm: to,
    from_platform: platform,
    rma_number: platform === 'physical' ? 'RMA-778812' : '',
    currency: 'GBP',
    ack_irrevocable: true,
    ack_eos_forfeit: false,
    signer_name: 'Sam Swap',
    signed_on: today(),
    ...extra,
  });
}

export function accountForm(
  caseNumber: string,
  kind: 'sale' | 'deployment' | 'linked-transfer',
  from: string,
  to: string,
  quantities: string,
  contact: string,
) {
  return fillForm('account-transfer/v1', {
    form_id: 'account-transfer/v1',
    case_number: caseNumber,
    partner_id: 'P-300',
    contact_email: contact,
    transfer_kind: kind,
    from_account_id: from,
    to_account_id: to,
    deployment_name: '',
    quantities,
    signer_name: 'Lee Lic',
    signed_on: today(),
  });
}

export async function audiumForms(caseNumber: string, oldMachine: string, newMachine: string, keys: string[]) {
  const lt = await fillForm('license-transfer/v1', {
    form_id: 'license-transfer/v1',
    case_number: caseNumber,
    partner_id: 'P-500',
    partner_name: 'Voice Apps',
    contact_email: AUD_CONTACT,
    end_user_id: 'EU-50',
    end_user_name: 'Contoso',
    from_system_key: oldMachine,
    to_system_key: newMachine,
    to_chassis_model: 'Other',
    license_keys: keys.join('\n'),
    software_only_upgrade: false,
    signer_name: 'Ada Audium',
    signed_on: today(),
  });
  const decl = await fillForm('uninstall-declaration/v1', {
    form_id: 'uninstall-declaration/v1',
    case_number: caseNumber,
    end_user_id: 'EU-50',
    old_machine_id: oldMachine,
    new_machine_id: newMachine,
    reason: 'retired',
    uninstalled_on: today(),
    signer_name: 'Ada Audium',
    signed_on: today(),
  });
  return [
    { name: 'transfer.pdf', bytes: lt },
    { name: 'declaration.pdf', bytes: decl },
  ];
}

let n = 0;
export function mail(
  from: string,
  subject: string,
  pdfs: Array<{ name: string; bytes: Uint8Array }>,
  text = 'Forms attached.',
) {
  n += 1;
  return buildPartnerMail({
    from,
    to: 'desk@desk.test',
    subject,
    text,
    messageId: `<p${n}.${Date.now()}@partner.example>`,
    attachments: pdfs.map((p) => ({ filename: p.name, content: p.bytes })),
  });
}
