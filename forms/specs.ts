/**
 * The field specs of the six forms of docs/forms.md: the one place the blank-form
 * writer, the typing of read forms and the tests take field names, kinds,
 * labels, options and required-ness from. Field names are the public contract
 * (docs/forms.md) and must never change.
 */
import type { FieldValue, FormId } from './types.js';
import type {
  AccountTransferForm,
  LicenseTransferForm,
  SwapRequestForm,
  UninstallDeclarationForm,
} from './typed-forms.js';

export type FieldKind = 'text' | 'multiline' | 'checkbox' | 'dropdown';

/** How a field's text is read and checked when typing a form. */
export type ValueFormat =
  | 'plain'
  | 'form-id'
  | 'date'
  | 'email'
  | 'integer'
  | 'amount'
  | 'currency'
  | 'card-number'
  | 'card-expiry'
  | 'lines'
  | 'quantities';

export interface FieldSpec {
  /** The field's name in the PDF (docs/forms.md), e.g. `to_system_key`. */
  readonly name: string;
  readonly kind: FieldKind;
  /** Plain words for the partner, e.g. "system the licenses go to". */
  readonly label: string;
  /**
   * A complete form needs it: text not blank, a line list with at least one
   * line, a dropdown chosen, a checkbox checked.
   */
  readonly required: boolean;
  /** Required only when another field of the form has this value. */
  readonly requiredWhen?: { readonly field: string; readonly equals: string };
  /** Dropdown choices, exactly as docs/forms.md writes them. */
  readonly options?: readonly string[];
  readonly format: ValueFormat;
  /** Card data: the value is never repeated in any message (DSK-5). */
  readonly sensitive?: boolean;
}

export interface FormSpec {
  readonly id: FormId;
  /** `license-transfer` */
  readonly name: string;
  /** `license-transfer-v1.pdf` */
  readonly fileName: string;
  /** The form's title as docs/forms.md names it, e.g. "License Transfer Form". */
  readonly title: string;
  readonly fields: readonly FieldSpec[];
}

export const CHASSIS_MODELS = [
  'Max1000',
  'Max1000R',
  'Max2000',
  'Office',
  'SoftwareOnly',
  'Other',
] as const satisfies readonly NonNullable<LicenseTransferForm['toChassisModel']>[];
export const SWAP_PLATFORMS = ['physical', 'virtual'] as const satisfies readonly NonNullable<
  SwapRequestForm['fromPlatform']
>[];
export const SWAP_CURRENCIES = ['GBP', 'EUR'] as const satisfies readonly NonNullable<SwapRequestForm['currency']>[];
export const UNINSTALL_REASONS = ['defective', 'obsolete', 'retired'] as const satisfies readonly NonNullable<
  UninstallDeclarationForm['reason']
>[];
export const TRANSFER_KINDS = ['sale', 'deployment', 'linked-transfer'] as const satisfies readonly NonNullable<
  AccountTransferForm['transferKind']
>[];

// --- small builders, so each table below reads like docs/forms.md ---------------
const text = (
  name: string,
  label: string,
  format: ValueFormat = 'plain',
  extra: Partial<FieldSpec> = {},
): FieldSpec => ({
  name,
  kind: 'text',
  label,
  required: true,
  format,
  ...extra,
});
const multiline = (name: string, label: string, format: ValueFormat): FieldSpec => ({
  name,
  kind: 'multiline',
  label,
  required: true,
  format,
});
const dropdown = (name: string, label: string, options: readonly string[]): FieldSpec => ({
  name,
  kind: 'dropdown',
  label,
  required: true,
  options,
  format: 'plain',
});
const checkbox = (name: string, label: string, required: boolean): FieldSpec => ({
  name,
  kind: 'checkbox',
  label,
  required,
  format: 'plain',
});
const formIdField = (): FieldSpec => text('form_id', 'form name and version (pre-set, read-only)', 'form-id');
const caseNumber = (): FieldSpec => text('case_number', 'support case number');
const signer = (): FieldSpec[] => [
  text('signer_name', 'name of the person signing'),
  text('signed_on', 'date signed (YYYY-MM-DD)', 'date'),
];

const LICENSE_TRANSFER: FormSpec = {
  id: 'license-transfer/v1',
  name: 'license-transfer',
  fileName: 'license-transfer-v1.pdf',
  title: 'License Transfer Form',
  fields: [
    formIdField(),
    caseNumber(),
    text('partner_id', 'partner (reseller) account ID'),
    text('partner_name', 'partner (reseller) name'),
    text('contact_email', 'contact email address', 'email'),
    text('end_user_id', 'end user account ID'),
    text('end_user_name', 'end user name'),
    text('from_system_key', 'system (or machine id) the licenses leave'),
    text('to_system_key', 'system the licenses go to'),
    dropdown('to_chassis_model', 'chassis model of the system the licenses go to', CHASSIS_MODELS),
    multiline('license_keys', 'whole license keys to move, one a line', 'lines'),
    checkbox('software_only_upgrade', 'upgrade from an Office or Max server to a software-only solution', false),
    ...signer(),
  ],
};

const CARD_AUTHORIZATION: FormSpec = {
  id: 'card-authorization/v1',
  name: 'card-authorization',
  fileName: 'card-authorization-v1.pdf',
  title: 'Credit Card Authorization',
  fields: [
    formIdField(),
    caseNumber(),
    text('cardholder_name', 'name on the card'),
    text('card_number', 'card number (spaces and dashes allowed)', 'card-number', { sensitive: true }),
    text('card_expiry', 'card expiry date (MM/YY)', 'card-expiry', { sensitive: true }),
    text('billing_postcode', 'billing postcode'),
    text('max_amount', 'the most you authorise for this case (e.g. 300.00)', 'amount'),
    text('currency', 'currency of that amount (3 letters, e.g. USD)', 'currency'),
    ...signer(),
  ],
};

const SSO_MIGRATION: FormSpec = {
  id: 'sso-migration/v1',
  name: 'sso-migration',
  fileName: 'sso-migration-v1.pdf',
  title: 'Software Only Solution License Migration Worksheet',
  fields: [
    formIdField(),
    caseNumber(),
    text('from_system_key', 'system the licenses leave'),
    text('to_system_key', 'software-only system the licenses go to'),
    text('station_count', 'number of stations being migrated', 'integer'),
    text('agent_seat_count', 'number of ACC/ACM agent seats being migrated', 'integer'),
    text('target_hostname', 'host name of the software-only server'),
    text('target_os', 'operating system of the software-only server'),
  ],
};

const SWAP_REQUEST: FormSpec = {
  id: 'swap-request/v1',
  name: 'swap-request',
  fileName: 'swap-request-v1.pdf',
  title: 'License SWAP Request Form',
  fields: [
    formIdField(),
    caseNumber(),
    text('partner_id', 'partner (reseller) account ID'),
    text('partner_name', 'partner (reseller) name'),
    text('contact_email', 'contact email address', 'email'),
    text('end_user_id', 'end user account ID'),
    text('end_user_name', 'end user name'),
    text('from_fk_sid', 'feature key / system ID the licenses leave (FROM)'),
    text('from_fk_sid_confirm', 'the FROM feature key / system ID, typed again'),
    text('to_fk_sid', 'feature key / system ID the licenses go to (TO)'),
    text('to_fk_sid_confirm', 'the TO feature key / system ID, typed again'),
    dropdown('from_platform', 'platform of the FROM system (physical or virtual)', SWAP_PLATFORMS),
    text('rma_number', 'approved RMA number of the physical server', 'plain', {
      required: false,
      requiredWhen: { field: 'from_platform', equals: 'physical' },
    }),
    dropdown('currency', 'currency of the service fee (GBP or EUR)', SWAP_CURRENCIES),
    checkbox('ack_irrevocable', 'acknowledgement that the SWAP is irrevocable once submitted', true),
    checkbox('ack_eos_forfeit', 'acceptance that End-of-Sale licenses are forfeited', false),
    ...signer(),
  ],
};

const UNINSTALL_DECLARATION: FormSpec = {
  id: 'uninstall-declaration/v1',
  name: 'uninstall-declaration',
  fileName: 'uninstall-declaration-v1.pdf',
  title: 'Declaration of uninstall',
  fields: [
    formIdField(),
    caseNumber(),
    text('end_user_id', 'end user account ID'),
    text('old_machine_id', 'machine the software was uninstalled from'),
    text('new_machine_id', 'machine the licenses move to'),
    dropdown('reason', 'reason for the move (defective, obsolete or retired)', UNINSTALL_REASONS),
    text('uninstalled_on', 'date the software was uninstalled (YYYY-MM-DD)', 'date'),
    ...signer(),
  ],
};

const ACCOUNT_TRANSFER: FormSpec = {
  id: 'account-transfer/v1',
  name: 'account-transfer',
  fileName: 'account-transfer-v1.pdf',
  title: 'License sale or transfer between accounts',
  fields: [
    formIdField(),
    caseNumber(),
    text('partner_id', 'partner (reseller) account ID'),
    text('contact_email', 'contact email address', 'email'),
    dropdown('transfer_kind', 'kind of transfer (sale, deployment or linked-transfer)', TRANSFER_KINDS),
    text('from_account_id', 'account the licenses leave'),
    text('to_account_id', 'account that receives the licenses'),
    text('deployment_name', 'name of the new deployment owned by the end user', 'plain', {
      required: false,
      requiredWhen: { field: 'transfer_kind', equals: 'deployment' },
    }),
    multiline('quantities', "products and quantities, one 'PRODUCT quantity' a line", 'quantities'),
    ...signer(),
  ],
};

/** Every form of docs/forms.md by its form id. */
export const FORM_SPECS: Readonly<Record<FormId, FormSpec>> = {
  'license-transfer/v1': LICENSE_TRANSFER,
  'card-authorization/v1': CARD_AUTHORIZATION,
  'sso-migration/v1': SSO_MIGRATION,
  'swap-request/v1': SWAP_REQUEST,
  'uninstall-declaration/v1': UNINSTALL_DECLARATION,
  'account-transfer/v1': ACCOUNT_TRANSFER,
};

export function isFormId(id: string): id is FormId {
  return Object.prototype.hasOwnProperty.call(FORM_SPECS, id);
}

export function formSpec(id: FormId): FormSpec {
  return FORM_SPECS[id];
}

export function fieldSpec(id: FormId, name: string): FieldSpec {
  const spec = FORM_SPECS[id].fields.find((f) => f.name === name);
  if (!spec) throw new Error(`form ${id} has no field ${name}`);
  return spec;
}

/** Whether a complete form needs `spec`, given the form's other (raw) values. */
export function isRequired(spec: FieldSpec, fields: Readonly<Record<string, FieldValue>>): boolean {
  if (spec.required) return true;
  if (!spec.requiredWhen) return false;
  const other = fields[spec.requiredWhen.field];
  return typeof other === 'string' && other.trim().toLowerCase() === spec.requiredWhen.equals.toLowerCase();
}
