/**
 * The benchmark's partners, registry and partner mail: case `BASE + i` moves
 * license `LK-i` from system `S-i-A` to `S-i-B` of partner `P-(i % partners)`,
 * with a License Transfer Form and a card form, as AltiGen's ALT rules pass.
 */
import { altigen } from '../domain/programs/altigen/program.js';
import { randomBytes } from 'node:crypto';
import type { RegistryDocument } from '../domain/registry-model.js';
import type { RunningDovecot } from '../embedded/dovecot.js';
import type { RunningRedis } from '../embedded/redis-server.js';
import type { SmtpSink } from '../embedded/smtp-sink.js';
import { buildPartnerMail } from '../embedded/mail-builder.js';
import { fillForm } from '../forms/form-filler.js';

export const CASE_BASE = 500000;
export const caseNumber = (i: number): string => String(CASE_BASE + i);
export const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
export const partnersFor = (cases: number): number => Math.max(1, Math.min(20, Math.ceil(cases / 10)));

/** The registry for bench cases `from`..`from + cases - 1` (numbers CASE_BASE + i), spread over `partners` partners. */
export function benchRegistry(cases: number, partners: number, from = 0): RegistryDocument {
  const doc: RegistryDocument = {
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
    partners: [],
    endUsers: [],
    systems: [],
    licenses: [],
    cases: [],
  };
  for (let p = 0; p < partners; p++) {
    doc.partners.push({
      id: `P-${p}`,
      name: `Partner ${p}`,
      currency: 'USD',
      contacts: [`ops@p${p}.example`],
      standardDiscountPct: 10,
    });
    doc.endUsers.push({ id: `EU-${p}`, name: `End user ${p}`, partnerId: `P-${p}` });
  }
  for (let i = from; i < from + cases; i++) {
    const p = i % partners;
    doc.systems.push({
      key: `S-${i}-A`,
      endUserId: `EU-${p}`,
      program: altigen.id,
      model: 'Max1000',
      platform: 'physical',
      registered: true,
      saExpiresOn: day(-30),
    });
    doc.systems.push({
      key: `S-${i}-B`,
      endUserId: `EU-${p}`,
      program: altigen.id,
      model: 'Max2000',
      platform: 'physical',
      registered: true,
      saExpiresOn: day(300),
    });
    doc.licenses.push({ key: `LK-${i}`, systemKey: `S-${i}-A`, sku: 'ALTI-STATION-10', quantity: 1 });
    doc.cases.push({
      number: caseNumber(i),
      partnerId: `P-${p}`,
      systemKey: `S-${i}-B`,
      program: altigen.id,
      openedAt: new Date().toISOString(),
    });
  }
  return doc;
}

export function licenseTransferValues(i: number, partners: number): Record<string, string | boolean> {
  const p = i % partners;
  return {
    form_id: 'license-transfer/v1',
    case_number: caseNumber(i),
    partner_id: `P-${p}`,
    partner_name: `Partner ${p}`,
    contact_email: `ops@p${p}.example`,
    end_user_id: `EU-${p}`,
    end_user_name: `End user ${p}`,
    from_system_key: `S-${i}-A`,
    to_system_key: `S-${i}-B`,
    to_chassis_model: 'Max2000',
    license_keys: `LK-${i}`,
    software_only_upgrade: false,
    signer_name: 'Bench',
    signed_on: day(0),
  };
}

export function cardValues(i: number): Record<string, string | boolean> {
  return {
    form_id: 'card-authorization/v1',
    case_number: caseNumber(i),
    cardholder_name: 'Bench',
    card_number: '4111111111111111',
    card_expiry: '12/39',
    billing_postcode: '1000',
    max_amount: '5000.00',
    currency: 'USD',
    signer_name: 'Bench',
    signed_on: day(0),
  };
}

export function partnerMail(i: number, partners: number, lt: Uint8Array, cc: Uint8Array): Promise<Buffer> {
  const p = i % partners;
  return buildPartnerMail({
    from: `ops@p${p}.example`,
    to: 'desk@bench.example',
    subject: `Case ${caseNumber(i)}`,
    text: 'bench',
    attachments: [
      { filename: 'lt.pdf', content: lt },
      { filename: 'cc.pdf', content: cc },
    ],
  });
}

/** Case i's mail, both forms filled by pdf-lib as a partner's tool would (about 70 ms a mail). */
export async function mailFor(i: number, partners: number): Promise<Buffer> {
  const lt = await fillForm('license-transfer/v1', licenseTransferValues(i, partners));
  const cc = await fillForm('card-authorization/v1', cardValues(i));
  return partnerMail(i, partners, lt, cc);
}

/** The environment a bench desk runs with: the embedded servers, a fresh secret, no reply limit in the way. */
export function benchDeskEnv(redis: RunningRedis, dovecot: RunningDovecot, smtp: SmtpSink): Record<string, string> {
  return {
    LICENSEDESK_REDIS_URL: redis.url,
    LICENSEDESK_IMAP_URL: dovecot.imapUrl('bench'),
    LICENSEDESK_SMTP_URL: smtp.url,
    LICENSEDESK_REPS_ADDRESS: 'reps@bench.example',
    LICENSEDESK_SECRET: randomBytes(24).toString('base64url'),
    LICENSEDESK_REPLY_LIMIT_PER_HOUR: '1000',
    LICENSEDESK_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? '8',
    LICENSEDESK_HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
  };
}
