/**
 * Which values go into which form when the desk sends a form back to a
 * partner: what the desk knows for certain (the case, the
 * registry, the contact who wrote) and every value of the partner's own
 * forms that passed the reader's checks. Card data never: the card form's
 * card fields stay empty, and any value that looks like a card number is
 * dropped, whatever field it is in (DSK-5).
 */
import { formatMinor } from '../lib/money.js';
import { formSpec } from './specs.js';
import type { CaseForms, TypedForm } from './typed-forms.js';
import { withoutStrayCardNumbers } from './typing.js';
import type { FieldValue, FormId } from './types.js';

/** Facts the desk holds about a case, from the case and the registry. */
export interface DeskKnown {
  caseNumber: string;
  partnerId?: string;
  partnerName?: string;
  /** The partner contact the reply goes to. */
  contactEmail?: string;
  endUserId?: string;
  endUserName?: string;
  /** The system (or machine, or TO feature key) the case was opened for (DSK-2). */
  targetSystem?: string;
}

/**
 * Fields of the Credit Card Authorization that describe the card or its
 * holder: the partner types them, the desk never does.
 */
export const CARD_DATA_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'card-authorization/v1': ['cardholder_name', 'card_number', 'card_expiry', 'billing_postcode'],
};

/** Card fields of `formId` that the partner must fill in themselves. */
export function cardFieldsOf(formId: FormId): string[] {
  const named = CARD_DATA_FIELDS[formId] ?? [];
  return formSpec(formId)
    .fields.filter((f) => f.sensitive || named.includes(f.name))
    .map((f) => f.name);
}

/** Where the target system goes on each form. */
const TARGET_FIELDS: Partial<Record<FormId, readonly string[]>> = {
  'license-transfer/v1': ['to_system_key'],
  'sso-migration/v1': ['to_system_key'],
  'swap-request/v1': ['to_fk_sid', 'to_fk_sid_confirm'],
  'uninstall-declaration/v1': ['new_machine_id'],
};

/**
 * Values a partner enters once for the whole case, so a value that passed on
 * one form is carried to the same field of another (the worksheet's systems
 * from the License Transfer Form, the signer across forms).
 */
const SHARED_FIELDS = new Set([
  'partner_id',
  'partner_name',
  'contact_email',
  'end_user_id',
  'end_user_name',
  'from_system_key',
  'to_system_key',
  'signer_name',
]);

/** The desk's facts by field name, for the fields `formId` has. */
function deskValues(formId: FormId, known: DeskKnown): Record<string, string> {
  const byName: Record<string, string | undefined> = {
    case_number: known.caseNumber,
    partner_id: known.partnerId,
    partner_name: known.partnerName,
    contact_email: known.contactEmail,
    end_user_id: known.endUserId,
    end_user_name: known.endUserName,
  };
  for (const f of TARGET_FIELDS[formId] ?? []) byName[f] = known.targetSystem;
  const names = new Set(formSpec(formId).fields.map((f) => f.name));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(byName)) if (names.has(name) && value) out[name] = value;
  return out;
}

const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * A kept (typed) form back as docs/forms.md field values. Only what passed is in a
 * typed form (a field that failed is undefined there); the card form's card
 * number never reached it (only its last four digits and a token did, which
 * are not a field).
 */
export function fieldValuesOf(form: TypedForm): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  const typed = form as unknown as Record<string, unknown>;
  for (const f of formSpec(form.formId).fields) {
    if (f.name === 'form_id' || f.sensitive) continue;
    if (f.name === 'max_amount') {
      if (typeof typed.maxAmountMinor === 'number') out[f.name] = formatMinor(typed.maxAmountMinor);
      continue;
    }
    const v = typed[camel(f.name)];
    if (f.kind === 'checkbox') {
      if (v === true) out[f.name] = true;
    } else if (typeof v === 'string' && v.trim() !== '') {
      out[f.name] = v;
    } else if (typeof v === 'number') {
      out[f.name] = String(v);
    } else if (Array.isArray(v) && v.length > 0) {
      out[f.name] = v.join('\n');
    } else if (f.format === 'quantities' && v && typeof v === 'object' && Object.keys(v).length > 0) {
      out[f.name] = Object.entries(v as Record<string, number>)
        .map(([p, q]) => `${p} ${q}`)
        .join('\n');
    }
  }
  return out;
}

/**
 * The values to write into `formId` for the reply: the desk's facts first,
 * then the partner's passed values on this form, then shared values that
 * passed on the partner's other forms. `failed` fields get no partner value
 * (the mail lists them); card fields get nothing at all.
 */
export function prefillValues(
  formId: FormId,
  known: DeskKnown,
  forms: CaseForms,
  failed: readonly string[],
): Record<string, FieldValue> {
  const spec = formSpec(formId);
  const card = new Set(cardFieldsOf(formId));
  const skip = (name: string) => card.has(name) || failed.includes(name) || name === 'form_id';
  const values: Record<string, FieldValue> = {};
  const own = forms[formId] ? fieldValuesOf(forms[formId] as TypedForm) : {};
  for (const [name, value] of Object.entries(own)) if (!skip(name)) values[name] = value;
  for (const other of Object.values(forms) as (TypedForm | undefined)[]) {
    if (!other || other.formId === formId) continue;
    for (const [name, value] of Object.entries(fieldValuesOf(other))) {
      if (
        SHARED_FIELDS.has(name) &&
        !skip(name) &&
        values[name] === undefined &&
        spec.fields.some((f) => f.name === name)
      )
        values[name] = value;
    }
  }
  // The desk's facts win over what the partner typed: they are what the case is.
  for (const [name, value] of Object.entries(deskValues(formId, known))) if (!card.has(name)) values[name] = value;
  // Whatever the source, nothing that reads as a card number leaves the desk (DSK-5).
  const { fields } = withoutStrayCardNumbers(values);
  return Object.fromEntries(Object.entries(fields).filter(([name, v]) => v !== '' && !card.has(name)));
}

/** `<form-title>-<case>.pdf`, e.g. `credit-card-authorization-100002.pdf` (docs/interfaces.md). */
export function replyFormFileName(formId: FormId, caseNumber?: string): string {
  const slug = formSpec(formId)
    .title.toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug}${caseNumber ? `-${caseNumber}` : ''}.pdf`;
}
