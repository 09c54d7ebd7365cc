/**
 * Turns a RawForm (what the PDF said) into the typed forms the rules read
 * (typed-forms.ts), with a FieldProblem in plain words for every field that
 * is missing, invalid or ambiguous (DSK-6). Card data (DSK-5): the number is
 * checked (digits, length, Luhn) and only its last four digits and the
 * caller's token are kept; no message, problem or error ever contains it.
 */
import { containsCardNumber, luhnValid } from '../lib/card-number.js';
import { toMinor } from '../lib/money.js';
import type { FieldProblem, FieldValue, FormId, RawForm } from './types.js';
import type {
  AccountTransferForm,
  CardAuthorizationForm,
  LicenseTransferForm,
  SsoMigrationForm,
  SwapRequestForm,
  TypedForm,
  UninstallDeclarationForm,
} from './typed-forms.js';
import {
  CHASSIS_MODELS as CHASSIS,
  FORM_SPECS,
  SWAP_CURRENCIES as SWAP_CCY,
  SWAP_PLATFORMS as PLATFORMS,
  TRANSFER_KINDS as KINDS,
  UNINSTALL_REASONS as REASONS,
  isFormId,
  isRequired,
  type FieldSpec,
  type FormSpec,
} from './specs.js';

export interface TypeFormOptions {
  /** "Today" for the card expiry check. */
  now: Date;
  /** Turns a valid card number (digits only) into an opaque token; called only for a number that passed the checks. */
  tokenize?: (cardDigits: string) => string;
}

export type TypeFormResult = { form: TypedForm; problems: FieldProblem[] } | { unknownFormId: string };

export function typeForm(raw: RawForm, opts: TypeFormOptions): TypeFormResult {
  if (!isFormId(raw.formId)) return { unknownFormId: raw.formId };
  const formId = raw.formId;
  const { fields, redacted } = withoutStrayCardNumbers(raw.fields);
  const r = new FieldReader(FORM_SPECS[formId], fields);
  const form = BUILDERS[formId](r, opts);
  // DSK-5: a card number typed into the wrong field is removed before anything
  // can keep, quote or mail it; the partner is asked for that field again.
  const problems = [
    ...r.problems.filter((p) => !redacted.includes(p.field)),
    ...redacted.map((field) => ({
      formId,
      field,
      problem: 'invalid' as const,
      message: `The field '${field}' seemed to hold a card number, so we removed it and did not keep it. Please fill in '${field}' again with what belongs there; a card number goes only in the Credit Card Authorization's card_number.`,
    })),
  ];
  return { form, problems };
}

/**
 * Blanks every field other than card_number whose text holds a Luhn-valid
 * card number in any separator shape (DSK-5, domain/card-number.ts). Returns
 * the cleaned fields and the names blanked.
 */
export function withoutStrayCardNumbers(fields: RawForm['fields']): { fields: RawForm['fields']; redacted: string[] } {
  const out: RawForm['fields'] = {};
  const redacted: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const card = name !== 'card_number' && typeof value === 'string' && containsCardNumber(value);
    if (card) {
      out[name] = '';
      redacted.push(name);
    } else {
      out[name] = value;
    }
  }
  return { fields: out, redacted };
}

export { luhnValid };

export type DateParse =
  | { ok: true; date: string }
  | { ok: false; problem: 'invalid' }
  | { ok: false; problem: 'ambiguous'; readings: [string, string] };

/**
 * YYYY-MM-DD; DD/MM/YYYY or MM/DD/YYYY only when just one reading is a real
 * date (a part over 12 decides) or both readings are the same day.
 */
export function parseFormDate(text: string): DateParse {
  const t = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) {
    const iso = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? { ok: true, date: iso } : { ok: false, problem: 'invalid' };
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = Number(m[3]);
    const dmy = isoDate(y, b, a);
    const mdy = isoDate(y, a, b);
    if (dmy && mdy && dmy !== mdy) return { ok: false, problem: 'ambiguous', readings: [dmy, mdy] };
    const date = dmy ?? mdy;
    return date ? { ok: true, date } : { ok: false, problem: 'invalid' };
  }
  return { ok: false, problem: 'invalid' };
}

function isoDate(y: number, mo: number, d: number): string | undefined {
  if (y < 1900 || y > 2199 || mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return undefined;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Plain words telling the partner that security-code fields were thrown away (docs/forms.md), or undefined. */
export function discardedNotice(discarded: readonly string[]): string | undefined {
  if (discarded.length === 0) return undefined;
  const names = discarded.map((n) => `'${n}'`).join(', ');
  return `The form had ${discarded.length === 1 ? 'a field' : 'fields'} ${names} that looked like a card security code. The desk never keeps security codes, so ${discarded.length === 1 ? 'it was' : 'they were'} discarded unread; please never send one.`;
}

// --- reading one form's fields --------------------------------------------------

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

class FieldReader {
  readonly problems: FieldProblem[] = [];
  constructor(
    private readonly spec: FormSpec,
    private readonly fields: Readonly<Record<string, FieldValue>>,
  ) {}

  private field(name: string): FieldSpec {
    const f = this.spec.fields.find((x) => x.name === name);
    if (!f) throw new Error(`form ${this.spec.id} has no field ${name}`); // a bug in this file, not in the PDF
    return f;
  }

  private raw(name: string): string {
    const v = this.fields[name];
    return typeof v === 'string' ? v.trim() : '';
  }

  private problem(f: FieldSpec, problem: FieldProblem['problem'], message: string): undefined {
    this.problems.push({ formId: this.spec.id, field: f.name, problem, message });
    return undefined;
  }

  private named(f: FieldSpec): string {
    return `'${f.name}' (${f.label})`;
  }

  private missing(f: FieldSpec): undefined {
    const when =
      f.requiredWhen && !f.required
        ? `, which is needed when '${f.requiredWhen.field}' is ${f.requiredWhen.equals}`
        : '';
    return this.problem(f, 'missing', `The ${this.spec.title} has no ${this.named(f)}${when}.`);
  }

  private invalid(f: FieldSpec, value: string, should: string): undefined {
    const shown = f.sensitive ? '' : quote(value);
    return this.problem(
      f,
      'invalid',
      `The ${this.spec.title} has ${this.named(f)}${shown ? ` as ${shown}` : ''}, which is not valid: ${should}.`,
    );
  }

  /** The trimmed text, or undefined (and a 'missing' problem when a complete form needs it). */
  text(name: string): string | undefined {
    const f = this.field(name);
    const v = this.raw(name);
    if (v === '') return isRequired(f, this.fields) ? this.missing(f) : undefined;
    return v;
  }

  checkbox(name: string): boolean {
    const f = this.field(name);
    const v = this.fields[name];
    const checked = typeof v === 'boolean' ? v : /^(yes|on|true|1|x)$/i.test(String(v ?? '').trim());
    if (!checked && isRequired(f, this.fields)) {
      this.problem(f, 'missing', `The ${this.spec.title} does not have ${this.named(f)} ticked; it must be ticked.`);
    }
    return checked;
  }

  choice<T extends string>(name: string, options: readonly T[]): T | undefined {
    const f = this.field(name);
    const v = this.text(name);
    if (v === undefined) return undefined;
    const hit = options.find((o) => o === v) ?? options.find((o) => o.toLowerCase() === v.toLowerCase());
    return hit ?? this.invalid(f, v, `choose one of ${options.join(', ')}`);
  }

  date(name: string): string | undefined {
    const f = this.field(name);
    const v = this.text(name);
    if (v === undefined) return undefined;
    const parsed = parseFormDate(v);
    if (parsed.ok) return parsed.date;
    if (parsed.problem === 'ambiguous') {
      return this.problem(
        f,
        'ambiguous',
        `The ${this.spec.title} has ${this.named(f)} as ${quote(v)}, which could be ${parsed.readings[0]} or ${parsed.readings[1]}; please write it as YYYY-MM-DD.`,
      );
    }
    return this.invalid(f, v, 'write a real date as YYYY-MM-DD');
  }

  email(name: string): string | undefined {
    const f = this.field(name);
    const v = this.text(name);
    if (v === undefined) return undefined;
    return EMAIL.test(v) ? v : this.invalid(f, v, 'write one email address, such as name@example.com');
  }

  integer(name: string): number | undefined {
    const f = this.field(name);
    const v = this.text(name);
    if (v === undefined) return undefined;
    const n = /^\d{1,9}$/.test(v) ? Number(v) : NaN;
    return Number.isSafeInteger(n) ? n : this.invalid(f, v, 'write a whole number, such as 12');
  }

  amountMinor(name: string): number | undefined {
    const f = this.field(name);
    const v = this.text(name);
    if (v === undefined) return undefined;
    let minor: number | undefined;
    try {
      minor = /^\d+(\.\d{1,2})?$/.test(v) ? toMinor(v) : undefined;
    } catch {
      minor = undefined; // MoneyError quotes the text: not passed on
    }
    if (minor === undefined || minor <= 0)
      return this.invalid(
        f,
        v,
        'write an amount above zero with at most two decimals and no currency sign, such as 300.00',
      );
    return minor;
  }

  currency(name: string): string | undefined {
    const f = this.field(name);
    const v = this.text(name);
    if (v === undefined) return undefined;
    return /^[A-Za-z]{3}$/.test(v)
      ? v.toUpperCase()
      : this.invalid(f, v, 'write a 3-letter currency code, such as USD');
  }

  lines(name: string): string[] {
    const f = this.field(name);
    const items = this.raw(name)
      .split(/\r\n|\r|\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    if (items.length === 0 && isRequired(f, this.fields)) this.missing(f);
    return items;
  }

  quantities(name: string): Record<string, number> {
    const f = this.field(name);
    const out: Record<string, number> = {};
    const bad: string[] = [];
    const lines = this.lines(name);
    for (const line of lines) {
      const m = /^(\S+)\s+(\d{1,9})$/.exec(line);
      const qty = m ? Number(m[2]) : 0;
      if (!m || !m[1] || qty <= 0) bad.push(`${quote(line)} is not 'PRODUCT quantity'`);
      else if (Object.hasOwn(out, m[1])) bad.push(`${quote(m[1])} is listed twice`);
      // Defined, not assigned: a product typed `__proto__` is kept as one (an assignment would drop it).
      else Object.defineProperty(out, m[1], { value: qty, enumerable: true, writable: true, configurable: true });
    }
    if (bad.length > 0) {
      this.problem(
        f,
        'invalid',
        `The ${this.spec.title} has ${this.named(f)} with lines that are not valid: ${bad.slice(0, 5).join('; ')}. Write one product and a whole number above zero a line, such as LV-ASR-PORT 4.`,
      );
    }
    return out;
  }

  /** Card number checks (DSK-5): only the verdict and the last four digits leave. */
  card(name: string, tokenize: TypeFormOptions['tokenize']): { valid: boolean; last4?: string; token?: string } {
    const f = this.field(name);
    const v = this.text(name);
    if (v === undefined) return { valid: false };
    const digits = v.replace(/[\s-]+/g, '');
    const shaped = /^\d{12,19}$/.test(digits);
    if (!shaped || !luhnValid(digits)) {
      this.problem(
        f,
        'invalid',
        `The ${this.spec.title} has a ${this.named(f)} that is not a valid card number (${shaped ? 'a digit is wrong' : 'it must be 12 to 19 digits; spaces and dashes are allowed'}). Please check the number and send the form again.`,
      );
      return { valid: false, ...(shaped ? { last4: digits.slice(-4) } : {}) };
    }
    let token: string | undefined;
    if (tokenize) {
      try {
        token = tokenize(digits);
      } catch {
        throw new Error('card tokenization failed'); // never the cause: it may quote the number
      }
    }
    return { valid: true, last4: digits.slice(-4), ...(token !== undefined ? { token } : {}) };
  }

  /** MM/YY, valid through the last day of that month (UTC). */
  expiry(name: string, now: Date): { text?: string; valid: boolean } {
    const f = this.field(name);
    const v = this.text(name);
    if (v === undefined) return { valid: false };
    const m = /^(\d{1,2})\s*[/-]\s*(\d{2}|\d{4})$/.exec(v);
    const month = m ? Number(m[1]) : 0;
    if (!m || !m[2] || month < 1 || month > 12) {
      this.problem(
        f,
        'invalid',
        `The ${this.spec.title} has a ${this.named(f)} that is not a month and year written as MM/YY.`,
      );
      return { valid: false };
    }
    const year = m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
    const text = `${String(month).padStart(2, '0')}/${String(year % 100).padStart(2, '0')}`;
    const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
    if (year * 12 + (month - 1) < current) {
      this.problem(
        f,
        'invalid',
        `The ${this.spec.title} has a ${this.named(f)} in the past: the card has expired. Please authorise a card that is still valid.`,
      );
      return { text, valid: false };
    }
    return { text, valid: true };
  }
}

/** A partner's value, quoted for a message; anything that could be a card number is not repeated (DSK-5). */
function quote(value: string): string {
  if (/\d{12,}/.test(value.replace(/[\s-]+/g, ''))) return '(a long number, not repeated here)';
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return `'${clean.length > 60 ? `${clean.slice(0, 57)}...` : clean}'`;
}

/** Sets `key` only when `value` is defined (optional properties stay absent, not undefined). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

// --- one builder per form ---------------------------------------------------------

type Builder = (r: FieldReader, opts: TypeFormOptions) => TypedForm;

const BUILDERS: Record<FormId, Builder> = {
  'license-transfer/v1': (r): LicenseTransferForm => ({
    formId: 'license-transfer/v1',
    ...opt('caseNumber', r.text('case_number')),
    ...opt('partnerId', r.text('partner_id')),
    ...opt('partnerName', r.text('partner_name')),
    ...opt('contactEmail', r.email('contact_email')),
    ...opt('endUserId', r.text('end_user_id')),
    ...opt('endUserName', r.text('end_user_name')),
    ...opt('fromSystemKey', r.text('from_system_key')),
    ...opt('toSystemKey', r.text('to_system_key')),
    ...opt('toChassisModel', r.choice('to_chassis_model', CHASSIS)),
    licenseKeys: r.lines('license_keys'),
    softwareOnlyUpgrade: r.checkbox('software_only_upgrade'),
    ...opt('signerName', r.text('signer_name')),
    ...opt('signedOn', r.date('signed_on')),
  }),

  'card-authorization/v1': (r, opts): CardAuthorizationForm => {
    const caseNumber = r.text('case_number');
    const cardholderName = r.text('cardholder_name');
    const card = r.card('card_number', opts.tokenize);
    const expiry = r.expiry('card_expiry', opts.now);
    return {
      formId: 'card-authorization/v1',
      ...opt('caseNumber', caseNumber),
      ...opt('cardholderName', cardholderName),
      ...opt('cardLast4', card.last4),
      cardNumberValid: card.valid,
      ...opt('cardToken', card.token),
      ...opt('cardExpiry', expiry.text),
      expiryValid: expiry.valid,
      ...opt('billingPostcode', r.text('billing_postcode')),
      ...opt('maxAmountMinor', r.amountMinor('max_amount')),
      ...opt('currency', r.currency('currency')),
      ...opt('signerName', r.text('signer_name')),
      ...opt('signedOn', r.date('signed_on')),
    };
  },

  'sso-migration/v1': (r): SsoMigrationForm => ({
    formId: 'sso-migration/v1',
    ...opt('caseNumber', r.text('case_number')),
    ...opt('fromSystemKey', r.text('from_system_key')),
    ...opt('toSystemKey', r.text('to_system_key')),
    ...opt('stationCount', r.integer('station_count')),
    ...opt('agentSeatCount', r.integer('agent_seat_count')),
    ...opt('targetHostname', r.text('target_hostname')),
    ...opt('targetOs', r.text('target_os')),
  }),

  'swap-request/v1': (r): SwapRequestForm => ({
    formId: 'swap-request/v1',
    ...opt('caseNumber', r.text('case_number')),
    ...opt('partnerId', r.text('partner_id')),
    ...opt('partnerName', r.text('partner_name')),
    ...opt('contactEmail', r.email('contact_email')),
    ...opt('endUserId', r.text('end_user_id')),
    ...opt('endUserName', r.text('end_user_name')),
    ...opt('fromFkSid', r.text('from_fk_sid')),
    ...opt('fromFkSidConfirm', r.text('from_fk_sid_confirm')),
    ...opt('toFkSid', r.text('to_fk_sid')),
    ...opt('toFkSidConfirm', r.text('to_fk_sid_confirm')),
    ...opt('fromPlatform', r.choice('from_platform', PLATFORMS)),
    ...opt('rmaNumber', r.text('rma_number')),
    ...opt('currency', r.choice('currency', SWAP_CCY)),
    ackIrrevocable: r.checkbox('ack_irrevocable'),
    ackEosForfeit: r.checkbox('ack_eos_forfeit'),
    ...opt('signerName', r.text('signer_name')),
    ...opt('signedOn', r.date('signed_on')),
  }),

  'uninstall-declaration/v1': (r): UninstallDeclarationForm => ({
    formId: 'uninstall-declaration/v1',
    ...opt('caseNumber', r.text('case_number')),
    ...opt('endUserId', r.text('end_user_id')),
    ...opt('oldMachineId', r.text('old_machine_id')),
    ...opt('newMachineId', r.text('new_machine_id')),
    ...opt('reason', r.choice('reason', REASONS)),
    ...opt('uninstalledOn', r.date('uninstalled_on')),
    ...opt('signerName', r.text('signer_name')),
    ...opt('signedOn', r.date('signed_on')),
  }),

  'account-transfer/v1': (r): AccountTransferForm => ({
    formId: 'account-transfer/v1',
    ...opt('caseNumber', r.text('case_number')),
    ...opt('partnerId', r.text('partner_id')),
    ...opt('contactEmail', r.email('contact_email')),
    ...opt('transferKind', r.choice('transfer_kind', KINDS)),
    ...opt('fromAccountId', r.text('from_account_id')),
    ...opt('toAccountId', r.text('to_account_id')),
    ...opt('deploymentName', r.text('deployment_name')),
    quantities: r.quantities('quantities'),
    ...opt('signerName', r.text('signer_name')),
    ...opt('signedOn', r.date('signed_on')),
  }),
};
