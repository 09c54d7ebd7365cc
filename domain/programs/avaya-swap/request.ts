/**
 * What the Avaya IP Office SWAP rules (program `avaya-swap`, seed 004) read.
 * Rules are pure functions of (request, registry snapshot, clock): no I/O.
 */
import type { CaseRequest } from '../../case-request.js';

/** `registryCase.systemKey` is the TO FK/SID the case was opened with (DSK-2). */
export type SwapRequest = CaseRequest;

/** Desk configuration a review may mention (never registry data). */
export interface SwapReviewOptions {
  /** Where physical feature keys are returned (SWP-6), e.g. LICENSEDESK_WAREHOUSE_ADDRESS. */
  warehouseAddress?: string;
}

/** What a SWAP plan carries for the spine to keep (SWP-6, SWP-7). */
export interface SwapDetails {
  from?: string;
  to?: string;
  physical?: boolean;
  rmaNumber?: string;
  warehouseAddress?: string;
}

/** The one form a SWAP needs. */
export const SWAP_FORM = 'swap-request/v1' as const;
export const SWAP_FORM_TITLE = 'License SWAP Request Form';

/** SWP-1: 50.00 in the partner's currency, GBP or EUR. */
export const SWAP_FEE_MINOR = 5_000;
export const SWAP_FEE_CURRENCIES = ['GBP', 'EUR'] as const;
export type SwapFeeCurrency = (typeof SWAP_FEE_CURRENCIES)[number];

/** SWP-6: physical FROM keys are due back this many days after the SWAP. */
export const KEY_RETURN_DAYS = 7;
