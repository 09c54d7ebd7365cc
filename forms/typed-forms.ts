/**
 * The typed forms of docs/forms.md, as the rules see them. The reader fills these
 * from a RawForm; a field that is missing or invalid is `undefined` here and
 * reported as a FieldProblem, so rules can still explain everything else.
 */
export interface LicenseTransferForm {
  formId: 'license-transfer/v1';
  caseNumber?: string;
  partnerId?: string;
  partnerName?: string;
  contactEmail?: string;
  endUserId?: string;
  endUserName?: string;
  fromSystemKey?: string;
  toSystemKey?: string;
  toChassisModel?: 'Max1000' | 'Max1000R' | 'Max2000' | 'Office' | 'SoftwareOnly' | 'Other';
  /** One entry a non-blank line of `license_keys`, as written (trimmed). */
  licenseKeys: string[];
  softwareOnlyUpgrade: boolean;
  signerName?: string;
  /** YYYY-MM-DD */
  signedOn?: string;
}

/**
 * The card form as it may be kept: the number itself never gets this far
 * (DSK-5). `cardNumberValid` and `expiryValid` come from the reader's checks.
 */
export interface CardAuthorizationForm {
  formId: 'card-authorization/v1';
  caseNumber?: string;
  cardholderName?: string;
  /** Last four digits only. */
  cardLast4?: string;
  /** Luhn check of the number as typed. */
  cardNumberValid: boolean;
  /**
   * Opaque token for the card from the caller's `tokenize` (typing only calls
   * it for a number that passed the checks); never the number itself.
   */
  cardToken?: string;
  /** MM/YY */
  cardExpiry?: string;
  /** The expiry is a real MM/YY and not before the current month. */
  expiryValid?: boolean;
  billingPostcode?: string;
  /** Integer minor units. */
  maxAmountMinor?: number;
  currency?: string;
  signerName?: string;
  signedOn?: string;
}

export interface SsoMigrationForm {
  formId: 'sso-migration/v1';
  caseNumber?: string;
  fromSystemKey?: string;
  toSystemKey?: string;
  stationCount?: number;
  agentSeatCount?: number;
  targetHostname?: string;
  targetOs?: string;
}

export interface SwapRequestForm {
  formId: 'swap-request/v1';
  caseNumber?: string;
  partnerId?: string;
  partnerName?: string;
  contactEmail?: string;
  endUserId?: string;
  endUserName?: string;
  fromFkSid?: string;
  fromFkSidConfirm?: string;
  toFkSid?: string;
  toFkSidConfirm?: string;
  fromPlatform?: 'physical' | 'virtual';
  rmaNumber?: string;
  currency?: 'GBP' | 'EUR';
  ackIrrevocable: boolean;
  ackEosForfeit: boolean;
  signerName?: string;
  signedOn?: string;
}

export interface UninstallDeclarationForm {
  formId: 'uninstall-declaration/v1';
  caseNumber?: string;
  endUserId?: string;
  oldMachineId?: string;
  newMachineId?: string;
  reason?: 'defective' | 'obsolete' | 'retired';
  uninstalledOn?: string;
  signerName?: string;
  signedOn?: string;
}

export interface AccountTransferForm {
  formId: 'account-transfer/v1';
  caseNumber?: string;
  partnerId?: string;
  contactEmail?: string;
  transferKind?: 'sale' | 'deployment' | 'linked-transfer';
  fromAccountId?: string;
  toAccountId?: string;
  deploymentName?: string;
  /** product -> quantity */
  quantities: Record<string, number>;
  signerName?: string;
  signedOn?: string;
}

export type TypedForm =
  | LicenseTransferForm
  | CardAuthorizationForm
  | SsoMigrationForm
  | SwapRequestForm
  | UninstallDeclarationForm
  | AccountTransferForm;

/** The latest form of each kind received on one case (a later mail replaces). */
export interface CaseForms {
  'license-transfer/v1'?: LicenseTransferForm;
  'card-authorization/v1'?: CardAuthorizationForm;
  'sso-migration/v1'?: SsoMigrationForm;
  'swap-request/v1'?: SwapRequestForm;
  'uninstall-declaration/v1'?: UninstallDeclarationForm;
  'account-transfer/v1'?: AccountTransferForm;
}
