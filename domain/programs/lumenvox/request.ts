/**
 * What the LumenVox rules read. Rules are pure functions of
 * (request, registry snapshot, clock): no I/O.
 */
import type { AccountTransferForm } from '../../../forms/typed-forms.js';
import type { CaseRequest } from '../../case-request.js';

export interface LumenvoxRequest extends CaseRequest {
  /** The message's From address, lower-case (LVX-5: the receiving account asks). */
  sender: string;
}

/** What a LumenVox plan carries for the spine to keep (LVX-3, LVX-4, LVX-5). */
export interface LumenvoxDetails {
  transferKind?: TransferKind;
  fromAccountId?: string;
  toAccountId?: string;
  deploymentName?: string;
  /** LVX-3: who hears of a completed sale. */
  buyerContacts?: string[];
}

export const ACCOUNT_FORM = 'account-transfer/v1' as const;

export type TransferKind = NonNullable<AccountTransferForm['transferKind']>;

/** One product's quantity as asked on the form, resolved to the account's product name. */
export interface QuantityLine {
  product: string;
  quantity: number;
}

/** Plain words for a transfer kind. */
export const KIND_WORDS: Readonly<Record<TransferKind, string>> = {
  sale: 'sale to an end user',
  deployment: 'sale through a deployment owned by an end user',
  'linked-transfer': 'transfer between linked accounts',
};

/** "sell" / "transfer": what the form asks to do with the licenses. */
export const verbOf = (kind: TransferKind | undefined): { verb: string; done: string } =>
  kind === 'linked-transfer'
    ? { verb: 'transfer', done: 'transferred' }
    : kind === undefined
      ? { verb: 'sell or transfer', done: 'sold or transferred' }
      : { verb: 'sell', done: 'sold' };
