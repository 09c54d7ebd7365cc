/**
 * Many partner cases at once, of every kind a desk sees in a day: AltiGen
 * moves that go through, ones missing the card form, a corrupt PDF, a chassis
 * mismatch held for a rep (with its ALT-8 deadline), Avaya SWAPs of a
 * physical key (with the SWP-6 key follow-up), and mail without a case
 * number. Each case has its own systems and licenses, so the expected end
 * state of every case and of every license is known in advance.
 */
import { fillForm } from '../../forms/form-filler.js';
import { buildPartnerMail } from '../../embedded/mail-builder.js';

export type LoadKind = 'good' | 'incomplete' | 'corrupt' | 'held' | 'swap' | 'no-case';

/** Ten in a row, so any run of ten or more has every kind. */
const PATTERN: LoadKind[] = [
  'good',
  'swap',
  'good',
  'incomplete',
  'good',
  'held',
  'good',
  'corrupt',
  'good',
  'no-case',
];

export interface LoadCase {
  i: number;
  kind: LoadKind;
  /** The case number ('' for mail without one). */
  number: string;
  /** Who sent it (the partner's contact). */
  from: string;
  /** The state the case ends in, before timers fire. */
  endState?: string;
  /** Kinds of mail about this case (or, for no-case, to its sender) the desk must send exactly once, before timers fire. */
  mails: string[];
  /** Kinds of mail the case's due timers add when they fire. */
  timerMails: string[];
  /** Where each of the case's licenses must end up: license key -> system key. */
  licensesEnd: Record<string, string>;
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const partnerOf = (i: number) => i % 20;
const contact = (p: number) => `ops@p${p}.example`;
/** SWAP feature keys far apart from each other (SWP near-miss checks compare a partner's keys). */
const fk = (i: number, side: 'from' | 'to') => {
  const a = String(1000 + ((i * 7919) % 9000)).padStart(4, '0');
  const b = String(1000 + ((i * 104729 + (side === 'to' ? 4567 : 0)) % 9000)).padStart(4, '0');
  return side === 'from' ? `FK-${a}-${b}` : `FK-${b}-${a}`;
};

export function loadCase(i: number): LoadCase {
  const kind = PATTERN[i % PATTERN.length]!;
  const number = kind === 'no-case' ? '' : String(700000 + i);
  const p = partnerOf(i);
  switch (kind) {
    case 'good':
      return {
        i,
        kind,
        number,
        from: contact(p),
        endState: 'transferred',
        mails: ['rep-new-case', 'transferred'],
        timerMails: [],
        licensesEnd: { [`LK-${i}`]: `S-${i}-B` },
      };
    case 'incomplete':
      return {
        i,
        kind,
        number,
        from: contact(p),
        endState: 'waiting-partner',
        mails: ['rep-new-case', 'incomplete'],
        timerMails: [],
        licensesEnd: { [`LK-${i}`]: `S-${i}-A` },
      };
    case 'corrupt':
      return {
        i,
        kind,
        number,
        from: contact(p),
        endState: 'waiting-partner',
        mails: ['rep-new-case', 'incomplete'],
        timerMails: [],
        licensesEnd: { [`LK-${i}`]: `S-${i}-A` },
      };
    case 'held':
      return {
        i,
        kind,
        number,
        from: contact(p),
        endState: 'held',
        mails: ['rep-new-case', 'rep-held'],
        timerMails: ['rep-deadline-warning', 'rep-deadline-warning'],
        licensesEnd: { [`LK-${i}`]: `S-${i}-A` },
      };
    case 'swap':
      return {
        i,
        kind,
        number,
        from: `swap@s${i}.example`,
        endState: 'follow-up',
        mails: ['rep-new-case', 'transferred'],
        timerMails: ['sales-bill'],
        licensesEnd: { [`LS-${i}`]: fk(i, 'to') },
      };
    case 'no-case':
      return {
        i,
        kind,
        number,
        from: `someone${i}@p${p}.example`,
        mails: ['resend-instructions'],
        timerMails: [],
        licensesEnd: {},
      };
  }
}

export function loadCases(n: number): LoadCase[] {
  return Array.from({ length: n }, (_, i) => loadCase(i));
}

/** A registry holding every case of `cases` (and nothing else). */
export function loadRegistry(cases: LoadCase[]) {
  const partners = new Set(cases.map((c) => partnerOf(c.i)));
  const doc = {
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
        sku: 'IPO-R11-ESS-EDITION',
        kind: 'edition',
        count: 1,
        lifecycle: 'orderable',
        listPrice: { GBP: 200, EUR: 230 },
      },
    ],
    partners: [...partners].map((p) => ({
      id: `P-${p}`,
      name: `Partner ${p}`,
      currency: 'USD',
      contacts: [contact(p)],
      standardDiscountPct: 10,
    })),
    endUsers: [...partners].map((p) => ({ id: `EU-${p}`, name: `End user ${p}`, partnerId: `P-${p}` })),
    systems: [] as Array<Record<string, unknown>>,
    licenses: [] as Array<Record<string, unknown>>,
    cases: [] as Array<Record<string, unknown>>,
  };
  const opened = new Date().toISOString();
  for (const c of cases) {
    if (c.kind === 'no-case') continue;
    if (c.kind === 'swap') {
      // One partner per SWAP: near-miss checks (SWP-7) compare a partner's own keys.
      doc.partners.push({
        id: `PS-${c.i}`,
        name: `Swapper ${c.i}`,
        currency: 'GBP',
        contacts: [c.from],
        standardDiscountPct: 20,
      });
      doc.endUsers.push({ id: `EUS-${c.i}`, name: `Swap user ${c.i}`, partnerId: `PS-${c.i}` });
      doc.systems.push({
        key: fk(c.i, 'from'),
        endUserId: `EUS-${c.i}`,
        program: 'avaya-swap',
        model: 'IP500V2',
        platform: 'physical',
        registered: true,
      });
      doc.systems.push({
        key: fk(c.i, 'to'),
        endUserId: `EUS-${c.i}`,
        program: 'avaya-swap',
        model: 'IPO-VIRTUAL',
        platform: 'virtual',
        registered: true,
      });
      doc.licenses.push({ key: `LS-${c.i}`, systemKey: fk(c.i, 'from'), sku: 'IPO-R11-ESS-EDITION', quantity: 1 });
      doc.cases.push({
        number: c.number,
        partnerId: `PS-${c.i}`,
        systemKey: fk(c.i, 'to'),
        program: 'avaya-swap',
        openedAt: opened,
      });
      continue;
    }
    const p = partnerOf(c.i);
    doc.systems.push({
      key: `S-${c.i}-A`,
      endUserId: `EU-${p}`,
      program: 'altigen',
      model: 'Max1000',
      platform: 'physical',
      registered: true,
      saExpiresOn: day(-30),
    });
    doc.systems.push({
      key: `S-${c.i}-B`,
      endUserId: `EU-${p}`,
      program: 'altigen',
      model: 'Max2000',
      platform: 'physical',
      registered: true,
      saExpiresOn: day(300),
    });
    doc.licenses.push({ key: `LK-${c.i}`, systemKey: `S-${c.i}-A`, sku: 'ALTI-STATION-10', quantity: 1 });
    doc.cases.push({
      number: c.number,
      partnerId: `P-${p}`,
      systemKey: `S-${c.i}-B`,
      program: 'altigen',
      openedAt: opened,
    });
  }
  return doc;
}

function transfer(c: LoadCase, chassis: string) {
  const p = partnerOf(c.i);
  return fillForm('license-transfer/v1', {
    form_id: 'license-transfer/v1',
    case_number: c.number,
    partner_id: `P-${p}`,
    partner_name: `Partner ${p}`,
    contact_email: c.from,
    end_user_id: `EU-${p}`,
    end_user_name: `End user ${p}`,
    from_system_key: `S-${c.i}-A`,
    to_system_key: `S-${c.i}-B`,
    to_chassis_model: chassis,
    license_keys: `LK-${c.i}`,
    software_only_upgrade: false,
    signer_name: 'Pat Partner',
    signed_on: day(0),
  });
}

function card(c: LoadCase) {
  return fillForm('card-authorization/v1', {
    form_id: 'card-authorization/v1',
    case_number: c.number,
    cardholder_name: 'Pat Partner',
    card_number: '4111 1111 1111 1111',
    card_expiry: '12/39',
    billing_postcode: '94016',
    max_amount: '5000.00',
    currency: 'USD',
    signer_name: 'Pat Partner',
    signed_on: day(0),
  });
}

function swap(c: LoadCase) {
  const from = fk(c.i, 'from');
  const to = fk(c.i, 'to');
  return fillForm('swap-request/v1', {
    form_id: 'swap-request/v1',
    case_number: c.number,
    partner_id: `PS-${c.i}`,
    partner_name: `Swapper ${c.i}`,
    contact_email: c.from,
    end_user_id: `EUS-${c.i}`,
    end_user_name: `Swap user ${c.i}`,
    from_fk_sid: from,
    from_fk_sid_confirm: from,
    to_fk_sid: to,
    to_fk_sid_confirm: to,
    from_platform: 'physical',
    rma_number: 'RMA-778812',
    currency: 'GBP',
    ack_irrevocable: true,
    ack_eos_forfeit: false,
    signer_name: 'Sam Swap',
    signed_on: day(0),
  });
}

/** The partner's mail for one case, with a Message-ID unique to the run. */
export async function loadMail(c: LoadCase, run: string): Promise<Buffer> {
  let attachments: Array<{ filename: string; content: Uint8Array | Buffer }>;
  switch (c.kind) {
    case 'good':
      attachments = [
        { filename: 'transfer.pdf', content: await transfer(c, 'Max2000') },
        { filename: 'card.pdf', content: await card(c) },
      ];
      break;
    case 'incomplete':
      attachments = [{ filename: 'transfer.pdf', content: await transfer(c, 'Max2000') }];
      break;
    case 'held':
      attachments = [
        { filename: 'transfer.pdf', content: await transfer(c, 'Max1000') },
        { filename: 'card.pdf', content: await card(c) },
      ];
      break;
    case 'swap':
      attachments = [{ filename: 'swap.pdf', content: await swap(c) }];
      break;
    case 'corrupt': {
      // A real form cut off half way: the reader must say it is truncated, not crash.
      const whole = await transfer(c, 'Max2000');
      attachments = [
        { filename: 'transfer.pdf', content: Buffer.from(whole.subarray(0, Math.floor(whole.length / 2))) },
      ];
      break;
    }
    case 'no-case':
      attachments = [{ filename: 'transfer.pdf', content: await transfer({ ...c, number: '' }, 'Max2000') }];
      break;
  }
  return buildPartnerMail({
    from: c.from,
    to: 'desk@desk.test',
    subject: c.number ? `Case ${c.number} license transfer` : 'license transfer, please',
    text: 'Forms attached.',
    messageId: `<load.${c.i}.${run}@partner.example>`,
    attachments,
  });
}
