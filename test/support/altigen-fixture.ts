/** An AltiGen registry and partner mail for end-to-end tests, dated from today. */
import { fillForm } from '../../forms/form-filler.js';
import { buildPartnerMail } from '../../embedded/mail-builder.js';

export const CONTACT = 'ops@acme.example';
export const CARD = '4111111111111111';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
export const TODAY = day(0);

export function altigenRegistry() {
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
        sku: 'ALTI-ACM-AGENT-5',
        kind: 'agent',
        count: 5,
        lifecycle: 'orderable',
        listPrice: { USD: 2000 },
        saYearly: { USD: 200 },
      },
    ],
    partners: [
      { id: 'P-100', name: 'Acme Telecom', currency: 'USD', contacts: [CONTACT], standardDiscountPct: 20 },
      {
        id: 'P-200',
        name: 'Other Reseller',
        currency: 'USD',
        contacts: ['ops@other.example'],
        standardDiscountPct: 10,
      },
    ],
    endUsers: [
      { id: 'EU-1', name: 'Globex', partnerId: 'P-100' },
      { id: 'EU-2', name: 'Initech', partnerId: 'P-100' },
    ],
    systems: [
      // SA expired 73 days ago: the move costs a pro-rated SA charge (ALT-10).
      {
        key: 'SYS-0001',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: day(-73),
      },
      {
        key: 'SYS-0002',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max2000',
        platform: 'physical',
        registered: true,
        saExpiresOn: day(292),
      },
      {
        key: 'SYS-0003',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: day(30),
      },
      {
        key: 'SYS-0004',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: day(30),
      },
      {
        key: 'SYS-0005',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Office',
        platform: 'physical',
        registered: true,
        saExpiresOn: day(100),
      },
      {
        key: 'SYS-0006',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'SoftwareOnly',
        platform: 'virtual',
        registered: true,
        saExpiresOn: day(100),
      },
      {
        key: 'SYS-0101',
        endUserId: 'EU-2',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: day(100),
      },
    ],
    licenses: [
      { key: 'LK-0001', systemKey: 'SYS-0001', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-0002', systemKey: 'SYS-0001', sku: 'ALTI-ACM-AGENT-5', quantity: 1 },
      { key: 'LK-0003', systemKey: 'SYS-0003', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-0004', systemKey: 'SYS-0003', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-0005', systemKey: 'SYS-0005', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-0006', systemKey: 'SYS-0005', sku: 'ALTI-ACM-AGENT-5', quantity: 2 },
      { key: 'LK-0007', systemKey: 'SYS-0003', sku: 'ALTI-STATION-10', quantity: 1 },
    ],
    cases: [
      {
        number: '200001',
        partnerId: 'P-100',
        systemKey: 'SYS-0002',
        program: 'altigen',
        openedAt: new Date().toISOString(),
      },
      {
        number: '200002',
        partnerId: 'P-100',
        systemKey: 'SYS-0004',
        program: 'altigen',
        openedAt: new Date().toISOString(),
      },
      {
        number: '200003',
        partnerId: 'P-100',
        systemKey: 'SYS-0101',
        program: 'altigen',
        openedAt: new Date().toISOString(),
      },
      {
        number: '200004',
        partnerId: 'P-100',
        systemKey: 'SYS-0006',
        program: 'altigen',
        openedAt: new Date().toISOString(),
      },
      {
        number: '200005',
        partnerId: 'P-100',
        systemKey: 'SYS-0004',
        program: 'altigen',
        openedAt: new Date().toISOString(),
      },
      {
        number: '200006',
        partnerId: 'P-100',
        systemKey: 'SYS-0002',
        program: 'altigen',
        openedAt: new Date().toISOString(),
      },
      {
        number: '200007',
        partnerId: 'P-100',
        systemKey: 'SYS-0002',
        program: 'altigen',
        openedAt: new Date().toISOString(),
      },
    ],
  };
}

export interface TransferValues {
  caseNumber: string;
  from: string;
  to: string;
  chassis: string;
  keys: string[];
  endUserId?: string;
  softwareOnly?: boolean;
}

/** The license-transfer/v1 field values of a move, as a partner fills them. */
export function transferValues(v: TransferValues) {
  return {
    form_id: 'license-transfer/v1',
    case_number: v.caseNumber,
    partner_id: 'P-100',
    partner_name: 'Acme Telecom',
    contact_email: CONTACT,
    end_user_id: v.endUserId ?? 'EU-1',
    end_user_name: 'Globex',
    from_system_key: v.from,
    to_system_key: v.to,
    to_chassis_model: v.chassis,
    license_keys: v.keys.join('\n'),
    software_only_upgrade: v.softwareOnly ?? false,
    signer_name: 'Pat Partner',
    signed_on: TODAY,
  };
}

export function transferForm(v: TransferValues): Promise<Uint8Array> {
  return fillForm('license-transfer/v1', transferValues(v));
}

/** The card-authorization/v1 field values for a case, with the test card number. */
export function cardValues(caseNumber: string, maxAmount = '2000.00') {
  return {
    form_id: 'card-authorization/v1',
    case_number: caseNumber,
    cardholder_name: 'Pat Partner',
    card_number: '4111 1111 1111 1111',
    card_expiry: '12/39',
    billing_postcode: '94016',
    max_amount: maxAmount,
    currency: 'USD',
    signer_name: 'Pat Partner',
    signed_on: TODAY,
  };
}

export function cardForm(caseNumber: string, maxAmount = '2000.00'): Promise<Uint8Array> {
  return fillForm('card-authorization/v1', cardValues(caseNumber, maxAmount));
}

export function ssoForm(
  caseNumber: string,
  from: string,
  to: string,
  stations: number,
  agents: number,
): Promise<Uint8Array> {
  return fillForm('sso-migration/v1', {
    form_id: 'sso-migration/v1',
    case_number: caseNumber,
    from_system_key: from,
    to_system_key: to,
    station_count: String(stations),
    agent_seat_count: String(agents),
    target_hostname: 'pbx.globex.example',
    target_os: 'Windows Server 2022',
  });
}

let seq = 0;
export function partnerMail(
  subject: string,
  pdfs: Array<{ name: string; bytes: Uint8Array }>,
  opts: { from?: string; replyTo?: string; messageId?: string; headers?: Record<string, string> } = {},
): Promise<Buffer> {
  seq += 1;
  return buildPartnerMail({
    from: opts.from ?? CONTACT,
    to: 'desk@licensedesk.test',
    subject,
    text: 'Forms attached.',
    messageId: opts.messageId ?? `<t${seq}.${Date.now()}@acme.example>`,
    headers: opts.headers,
    ...(opts.replyTo ? { replyTo: opts.replyTo } : {}),
    attachments: pdfs.map((p) => ({ filename: p.name, content: p.bytes })),
  });
}
