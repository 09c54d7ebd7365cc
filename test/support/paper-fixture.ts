/**
 * A registry for forms on paper (DSK-9): identifiers at least two characters
 * apart, except LK-6640 and LK-6648 (one digit apart, both the partner's), so
 * a printed form moves with no rep unless a value is uncertain or names a
 * near neighbour. One case a scenario, each its own systems.
 */
import { buildPartnerMail } from '../../embedded/mail-builder.js';
import type { PaperFile } from '../../bench/paper-corpus.js';
import { CONTACT, TODAY } from './altigen-fixture.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** A Visa test number (Luhn valid) without long runs of one digit, which OCR cannot count. */
export const PAPER_CARD = '4929381350262709';
export const PAPER_CARD_SPACED = '4929 3813 5026 2709';

export const PAPER_CASES = {
  printed: { number: '300001', from: 'SYS-4821', to: 'SYS-7390', keys: ['LK-2231'] },
  handwritten: { number: '300002', from: 'SYS-5173', to: 'SYS-8054', keys: ['LK-6640'] },
  altered: { number: '300003', from: 'SYS-5173', to: 'SYS-8054', keys: ['LK-6648'] },
  printPdf: { number: '300004', from: 'SYS-6297', to: 'SYS-9618', keys: ['LK-3385'] },
  fax: { number: '300005', from: 'SYS-2946', to: 'SYS-1579', keys: ['LK-5902'] },
  keyed: { number: '300006', from: 'SYS-3702', to: 'SYS-8465', keys: ['LK-4719'] },
} as const;

export function paperRegistry() {
  const system = (key: string, model: string) => ({
    key,
    endUserId: 'EU-7315',
    program: 'altigen',
    model,
    platform: 'physical',
    registered: true,
    saExpiresOn: day(200),
  });
  const cases = Object.values(PAPER_CASES);
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
    ],
    partners: [{ id: 'P-4410', name: 'Acme Telecom', currency: 'USD', contacts: [CONTACT], standardDiscountPct: 20 }],
    endUsers: [{ id: 'EU-7315', name: 'Globex', partnerId: 'P-4410' }],
    systems: [...new Set(cases.flatMap((c) => [c.from, c.to]))].map((k) =>
      system(k, cases.some((c) => c.to === k) ? 'Max2000' : 'Max1000'),
    ),
    licenses: [
      { key: 'LK-2231', systemKey: 'SYS-4821', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-6640', systemKey: 'SYS-5173', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-6648', systemKey: 'SYS-5173', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-3385', systemKey: 'SYS-6297', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-5902', systemKey: 'SYS-2946', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-4719', systemKey: 'SYS-3702', sku: 'ALTI-STATION-10', quantity: 1 },
    ],
    cases: cases.map((c) => ({
      number: c.number,
      partnerId: 'P-4410',
      systemKey: c.to,
      program: 'altigen',
      openedAt: new Date().toISOString(),
    })),
  };
}

export type PaperCase = (typeof PAPER_CASES)[keyof typeof PAPER_CASES];

export function paperTransferValues(c: PaperCase): Record<string, string | boolean> {
  return {
    case_number: c.number,
    partner_id: 'P-4410',
    partner_name: 'Acme Telecom',
    contact_email: CONTACT,
    end_user_id: 'EU-7315',
    end_user_name: 'Globex',
    from_system_key: c.from,
    to_system_key: c.to,
    to_chassis_model: 'Max2000',
    license_keys: c.keys.join('\n'),
    software_only_upgrade: false,
    signer_name: 'Pat Partner',
    signed_on: TODAY,
  };
}

export function paperCardValues(caseNumber: string): Record<string, string | boolean> {
  return {
    case_number: caseNumber,
    cardholder_name: 'Pat Partner',
    card_number: PAPER_CARD_SPACED,
    card_expiry: '12/39',
    billing_postcode: '94016',
    max_amount: '2000.00',
    currency: 'USD',
    signer_name: 'Pat Partner',
    signed_on: TODAY,
  };
}

let seq = 0;
/** A partner's (or a fax gateway's) mail with paper files attached as their own types. */
export function paperMail(subject: string, files: PaperFile[], from = CONTACT): Promise<Buffer> {
  seq += 1;
  return buildPartnerMail({
    from,
    to: 'desk@licensedesk.test',
    subject,
    text: 'Forms attached.',
    messageId: `<paper${seq}.${Date.now()}@acme.example>`,
    attachments: files.map((f) => ({ filename: f.name, content: f.bytes, contentType: f.contentType })),
  });
}
