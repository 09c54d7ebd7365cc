/**
 * Which accounts may give licenses to which.
 * LVX-1: a sale (or a deployment, LVX-4) goes from the seller, an account of
 * the case's partner, to one of the seller's own end users (an account whose
 * parent is the seller).
 * LVX-5: a transfer between linked accounts is asked by the receiving
 * account, whose (one-way) links name the source account.
 */
import type { Account, RegistrySnapshot } from '../../registry-model.js';
import { finalFail, fixableFail, hold, pass, type Finding } from '../../finding.js';
import { findAccount, listWords, normalEmail, sameId, sendAgain } from './lookup.js';
import { ACCOUNT_FORM, type LumenvoxRequest } from './request.js';

export interface AccountCheck {
  findings: Finding[];
  /** The account the licenses leave, when found. */
  from?: Account;
  /** The account that receives them, when found. */
  to?: Account;
  /** True when the rule allows `from` to give licenses to `to`. */
  allowed: boolean;
}

/**
 * LVX-5 and DSK-3: who may write for a case beyond the partner's own
 * contacts. A transfer between linked accounts is asked by the receiving
 * account, so the contacts of the partner's accounts that can receive one
 * (their links name a source) may write too. An end user's account that
 * links to nothing (a buyer) may not: it could otherwise sell its seller's
 * licenses to itself and become the case's reply-to. The review holds each
 * of these senders to the one account it is (checkLinkedAccounts) and keeps
 * sales to the partner's own contacts (checkSaleAccounts).
 */
export function receivingAccountContacts(snap: RegistrySnapshot, partnerId: string): string[] {
  return [...snap.accounts.values()]
    .filter((a) => a.partnerId === partnerId && a.linkedAccountIds.length > 0)
    .flatMap((a) => a.contacts.map(normalEmail));
}

/** Looks both accounts up; unknown ids are fixable (likely a typo). */
function resolve(
  req: LumenvoxRequest,
  snap: RegistrySnapshot,
  rule: string,
  roles: [string, string],
): AccountCheck & { done: boolean } {
  const form = req.forms[ACCOUNT_FORM];
  const fromId = form?.fromAccountId?.trim();
  const toId = form?.toAccountId?.trim();
  if (!form || !fromId || !toId) return { findings: [], allowed: false, done: true }; // DSK-6 reports the empty fields.
  const from = findAccount(snap, fromId);
  const to = findAccount(snap, toId);
  const findings: Finding[] = [];
  const resend = (field: string) => `Check ${field} on the License sale or transfer form and ${sendAgain(req)}.`;
  if (!from)
    findings.push(
      fixableFail(
        rule,
        `We cannot find account ${fromId} (${roles[0]}, from_account_id) in our records. Please check the account id; it may be mistyped.`,
        resend('from_account_id'),
      ),
    );
  if (!to)
    findings.push(
      fixableFail(
        rule,
        `We cannot find account ${toId} (${roles[1]}, to_account_id) in our records. Please check the account id; it may be mistyped.`,
        resend('to_account_id'),
      ),
    );
  if (!from || !to) return { findings, ...(from ? { from } : {}), ...(to ? { to } : {}), allowed: false, done: true };
  if (sameId(from.id, to.id)) {
    findings.push(
      fixableFail(
        rule,
        `The form gives account ${from.id} both as the account the licenses leave and as the account that receives them.`,
        `Correct from_account_id or to_account_id and ${sendAgain(req)}.`,
      ),
    );
    return { findings, from, to, allowed: false, done: true };
  }
  return { findings, from, to, allowed: false, done: false };
}

/**
 * LVX-1 for a sale or a deployment. The seller not being the case partner's
 * or the buyer not being the seller's end user cannot be fixed by mail: the
 * buyer's account must first be created as the seller's end user. Only the
 * partner's own contacts sell its licenses (DSK-3; the contact of an account
 * asks only for a transfer into that account, LVX-5): a sale asked by anyone
 * else (a mail a rep released, an account's contact) is held for a rep, who
 * knows whether that sender may sell for the partner.
 */
export function checkSaleAccounts(req: LumenvoxRequest, snap: RegistrySnapshot): AccountCheck {
  const partnerId = req.registryCase.partnerId;
  const sender = normalEmail(req.sender);
  // Said whatever else the form gets wrong: such a sender is never the one to fix it alone.
  const notPartners: Finding[] = (snap.partners.get(partnerId)?.contacts ?? []).some((c) => normalEmail(c) === sender)
    ? []
    : [
        hold(
          'LVX-1',
          `The request came from ${sender || 'an unknown address'}, which is not a contact of partner ${partnerId} of case ${req.caseNumber}. ` +
            `Only the partner's own contacts sell its licenses (the contact of an account asks only for a transfer into that account), so a rep will check who asked before anything is sold.`,
        ),
      ];
  const r = resolve(req, snap, 'LVX-1', ['the seller', 'the buyer']);
  const { from, to } = r;
  if (r.done || !from || !to)
    return {
      findings: [...notPartners, ...r.findings],
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      allowed: false,
    };
  const findings: Finding[] = [];
  if (from.partnerId !== partnerId) {
    findings.push(
      finalFail(
        'LVX-1',
        `Account ${from.id}, which would sell the licenses, belongs to partner ${from.partnerId}, not to partner ${partnerId} of case ${req.caseNumber}. Only the seller's own partner can sell its licenses.`,
      ),
    );
  }
  if (to.parentId === null || !sameId(to.parentId, from.id)) {
    const parent = to.parentId === null ? 'it has no parent account' : `it is an end user of account ${to.parentId}`;
    findings.push(
      finalFail(
        'LVX-1',
        `Account ${to.id} is not an end user of account ${from.id} (${parent}). Licenses can be sold only to the seller's own end users' accounts. ` +
          `Create an account for the buyer as an end user of ${from.id} first, then open a new case for the sale.`,
      ),
    );
  }
  if (findings.length > 0) return { findings: [...notPartners, ...findings], from, to, allowed: false };
  return {
    findings: [
      ...notPartners,
      pass(
        'LVX-1',
        `Account ${to.id} is an end user of account ${from.id}, which belongs to partner ${partnerId} of case ${req.caseNumber}, so ${from.id} may sell licenses to it.`,
      ),
    ],
    from,
    to,
    allowed: true,
  };
}

/**
 * LVX-5 for a transfer between linked accounts. The receiving account must
 * be one of the case partner's, the request must come from one of its
 * contacts ("ask from the receiving account"), and its links must name the
 * source account (a link works one way). None of these is fixable by mail.
 */
export function checkLinkedAccounts(req: LumenvoxRequest, snap: RegistrySnapshot): AccountCheck {
  const r = resolve(req, snap, 'LVX-5', ['the source account', 'the receiving account']);
  const { from, to } = r;
  if (r.done || !from || !to)
    return { findings: r.findings, ...(from ? { from } : {}), ...(to ? { to } : {}), allowed: false };
  const partnerId = req.registryCase.partnerId;
  const sender = normalEmail(req.sender);
  const findings: Finding[] = [];
  if (to.partnerId !== partnerId) {
    findings.push(
      finalFail(
        'LVX-5',
        `Account ${to.id}, which would receive the licenses, belongs to partner ${to.partnerId}, not to partner ${partnerId} of case ${req.caseNumber}.`,
      ),
    );
  }
  if (!to.contacts.some((c) => normalEmail(c) === sender)) {
    const contacts =
      to.contacts.length > 0
        ? ` (its contacts are ${listWords(to.contacts)})`
        : ' (it has no contact address on record)';
    findings.push(
      finalFail(
        'LVX-5',
        `The request came from ${sender || 'an unknown address'}, which is not a contact of account ${to.id}${contacts}. ` +
          `A transfer between linked accounts must be asked by the account that receives the licenses, not the account they leave: ask from the receiving account ${to.id}, on a new case.`,
      ),
    );
  }
  if (!to.linkedAccountIds.some((id) => sameId(id, from.id))) {
    const reverse = from.linkedAccountIds.some((id) => sameId(id, to.id))
      ? ` Account ${from.id} is linked to ${to.id}, but a link works one way only: it lets ${from.id} pull licenses from ${to.id}, not the other way round.`
      : '';
    findings.push(
      finalFail(
        'LVX-5',
        `Account ${to.id} is not linked to account ${from.id}, so it cannot pull licenses from it.${reverse} ` +
          `Link ${from.id} to ${to.id} first (on the receiving account), then ask again on a new case.`,
      ),
    );
  }
  if (findings.length > 0) return { findings, from, to, allowed: false };
  return {
    findings: [
      pass(
        'LVX-5',
        `Account ${to.id} asked for the transfer (from ${sender}, one of its contacts) and is linked to account ${from.id}, so it may pull licenses from it.`,
      ),
    ],
    from,
    to,
    allowed: true,
  };
}
