/**
 * Cases for the console browser test (DSK-7), on top of the AltiGen registry
 * of altigen-fixture.ts (left untouched: other suites use it). Each case asks
 * to move a key to SYS-0002 while its form says the chassis is a Max1000;
 * the registry says Max2000, so the desk holds it for a rep (ALT-5).
 */
import { altigenRegistry, cardForm, partnerMail, transferForm } from './altigen-fixture.js';

export interface HeldCase {
  number: string;
  key: string;
}

/** Approved through the console. */
export const APPROVE_CASE: HeldCase = { number: '300001', key: 'LK-0007' };
/** Rejected through the console. */
export const REJECT_CASE: HeldCase = { number: '300002', key: 'LK-0004' };

export function consoleRegistry() {
  const r = altigenRegistry();
  for (const c of [APPROVE_CASE, REJECT_CASE]) {
    r.cases.push({ number: c.number, partnerId: 'P-100', systemKey: 'SYS-0002', program: 'altigen', openedAt: new Date().toISOString() });
  }
  return r;
}

/** A partner mail with a transfer form (chassis differs from the registry's model) and a card form: it ends HELD. */
export async function heldCaseMail(c: HeldCase): Promise<Buffer> {
  const lt = await transferForm({ caseNumber: c.number, from: 'SYS-0003', to: 'SYS-0002', chassis: 'Max1000', keys: [c.key] });
  return partnerMail(`Case ${c.number}`, [{ name: 'transfer.pdf', bytes: lt }, { name: 'card.pdf', bytes: await cardForm(c.number) }]);
}
