/**
 * What any program's pure review returns: findings, money, and the registry
 * writes a completed case would make. Workers turn a plan into one atomic
 * commit; rules never write.
 */
import type { Finding } from './finding.js';

export interface PlannedFee {
  rule: string;
  /** Integer minor units. */
  amountMinor: number;
  currency: string;
  description: string;
  licenseKey?: string;
}

export interface PlannedLicenseMove {
  licenseKey: string;
  from: string;
  to: string;
  sku: string;
  quantity: number;
}

/** LumenVox: quantities leaving one account's `available` for another's. */
export interface PlannedAccountTransfer {
  kind: 'sale' | 'deployment' | 'linked-transfer';
  fromAccountId: string;
  toAccountId: string;
  product: string;
  quantity: number;
  /** LVX-4: a deployment's licenses land in the buyer's `deployed`. */
  intoDeployed?: boolean;
}

export interface ProgramPlan {
  findings: Finding[];
  fees: PlannedFee[];
  moves: PlannedLicenseMove[];
  /** SWP-3: systems (FK/SID) disabled when the case completes. */
  disableSystems: string[];
  /** SWP-5: licenses forfeited when the case completes. */
  forfeit: Array<{ licenseKey: string; from: string }>;
  accountTransfers: PlannedAccountTransfer[];
  /** SWP-6: physical keys whose return is awaited, due this many days after completion. */
  keyReturns: Array<{ fk: string; dueInDays: number }>;
  /** Program details for mails (conversions, buyers …). */
  extra: Record<string, unknown>;
}

export function emptyPlan(findings: Finding[] = []): ProgramPlan {
  return { findings, fees: [], moves: [], disableSystems: [], forfeit: [], accountTransfers: [], keyReturns: [], extra: {} };
}
