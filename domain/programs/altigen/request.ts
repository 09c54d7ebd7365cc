/**
 * What the AltiGen rules read and return. Rules are pure functions of
 * (request, registry snapshot, clock): no I/O.
 */
import type { Finding } from '../../finding.js';
import type { CaseRequest } from '../../case-request.js';

export type AltigenRequest = CaseRequest;

/** AltiGen charges in US dollars. */
export const ALTIGEN_CURRENCY = 'USD';

/** Money the partner pays: a fee (ALT-4) or a charge (ALT-10). */
export interface Fee {
  rule: string;
  /** Integer minor units (cents). */
  amountMinor: number;
  currency: string;
  description: string;
}

/** A pro-rated SA charge for one license key (ALT-10). */
export interface Charge extends Fee {
  licenseKey: string;
  sku: string;
  quantity: number;
  /** Days from the source system's SA expiry to the target's. */
  days: number;
  /** The source system's SA expiry, YYYY-MM-DD. */
  fromDay: string;
  /** The target system's SA expiry, YYYY-MM-DD. */
  toDay: string;
}

/** One license key moving whole from one system to another. */
export interface PlannedMove {
  licenseKey: string;
  from: string;
  to: string;
  sku: string;
  quantity: number;
}

/** ALT-7: what a moved key becomes in a software-only solution. */
export interface Conversion {
  licenseKey: string;
  fromSku: string;
  /** `SSW-STATION-XX`, `SSW-ACMAGENT-XX`, or the same SKU for other kinds. */
  toSku: string;
  /** Catalog kind of the original SKU (`station`, `agent`, …). */
  kind: string;
  /** Seats on the key: catalog count × quantity. */
  seats: number;
}

export interface AltigenReview {
  findings: Finding[];
  fees: Fee[];
  charges: Charge[];
  moves: PlannedMove[];
  conversions: Conversion[];
  softwareOnly: boolean;
  /** ALT-8: completeAt + 24 h, when completeAt was given. */
  deadlineAt?: Date;
}
