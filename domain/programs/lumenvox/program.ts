/**
 * LumenVox (docs/rules.md LVX-1 … LVX-5) as the desk sees it: its form, rules,
 * who may write (the contacts of accounts that can receive a linked transfer
 * too), completion (the buyer is mailed, LVX-3) and mail.
 */
import { STANDARD_STATES } from '../../case-states.js';
import type { ProgramDefinition } from '../../program.js';
import { receivingAccountContacts } from './accounts.js';
import { ACCOUNT_FORM, type LumenvoxDetails } from './request.js';
import { reviewLumenvox } from './review.js';

export const lumenvox: ProgramDefinition<LumenvoxDetails> = {
  id: 'lumenvox',
  title: 'LumenVox',
  rulePrefix: 'LVX',
  words: ['LumenVox'],
  auditRules: { forfeit: undefined, disable: undefined },
  forms: [ACCOUNT_FORM],
  states: STANDARD_STATES,
  deadline: { hours: 24, rule: undefined },
  // LVX-5: a linked transfer is asked by the receiving account, so its contacts may write too (never a buyer's).
  senders: (registryCase, snapshot) => receivingAccountContacts(snapshot, registryCase.partnerId),
  answersMail: () => undefined,
  review: (input, snapshot, clock) => reviewLumenvox(input, snapshot, clock),
  complete(plan, facts) {
    const buyers = plan.extra.buyerContacts ?? [];
    const transfers = facts.accountTransfers;
    if (buyers.length === 0 || !transfers.some((t) => t.kind !== 'linked-transfer'))
      return { state: 'transferred', effects: [] };
    // LVX-3: completing a sale mails the buyer.
    return {
      state: 'transferred',
      effects: [
        {
          type: 'mail',
          kind: 'sold',
          to: { addresses: buyers },
          step: facts.step,
          data: {
            fromAccountId: transfers[0]?.fromAccountId,
            toAccountId: transfers[0]?.toAccountId,
            lines: transfers.map((t) => ({ product: t.product, quantity: t.quantity })),
          },
        },
      ],
    };
  },
  transferredMail(facts) {
    const deployed = facts.accountTransfers[0]?.intoDeployed === true;
    return {
      subject: 'Licenses transferred',
      intro: `The licenses of case ${facts.caseNumber} have been transferred:`,
      moved: facts.accountTransfers.map(
        (t) =>
          `${t.quantity} ${t.product}: account ${t.fromAccountId} -> ${t.toAccountId}${t.intoDeployed ? ' (deployment)' : ''}`,
      ),
      notes: [],
      nextSteps: [`Check the receiving account: the licenses appear there now${deployed ? ' as deployed' : ''}.`],
    };
  },
  waitsForReactivation: () => undefined,
  keyReturns: undefined,
  activations: undefined,
  repQuestions: undefined,
};
