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

export interface ProgramPlan<D = unknown> {
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
  /** The program's own typed details (conversions, buyers, machines …); the spine stores them, never reads them. */
  extra: D;
}

export function emptyPlan<D extends object = Record<string, never>>(
  findings: Finding[] = [],
  extra: D = {} as D,
): ProgramPlan<D> {
  return {
    findings,
    fees: [],
    moves: [],
    disableSystems: [],
    forfeit: [],
    accountTransfers: [],
    keyReturns: [],
    extra,
  };
}
