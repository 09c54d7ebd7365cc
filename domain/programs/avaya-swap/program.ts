/**
 * Avaya IP Office SWAP (docs/rules.md SWP-1 … SWP-9) as the desk sees it: its
 * form, rules, states (a SWAP cannot go back, and waits for its physical key),
 * completion, key follow-up bill and mail.
 */
import { STANDARD_STATES, type StateTable } from '../../case-states.js';
import { formatMinor } from '../../../lib/money.js';
import { whenHelper } from '../../../mail/when.js';
import type { ProgramDefinition } from '../../program.js';
import { billUnreturnedKey } from './key-return.js';
import { KEY_RETURN_DAYS, SWAP_FORM, type SwapDetails } from './request.js';
import { reviewAvayaSwap } from './review.js';
import { swp4Questions } from './rep-questions.js';

const SWAP_STATES: StateTable = {
  ...STANDARD_STATES,
  // SWP-2: once approved a SWAP cannot go back to the partner or be undone.
  approved: ['follow-up', 'closed', 'held'],
  // SWP-6: waiting for the physical key; billed if it does not come back.
  'follow-up': ['billed', 'closed'],
  transferred: [],
  billed: ['closed'],
};

/**
 * SWP-9: words that ask to undo a SWAP or get money back, in every language
 * the desk writes to partners in (en, de, fr, es, it, nl). Word starts, so
 * "refunded", "Rückerstattungen" and "annulation" count too.
 */
const REFUND_WORDS = new RegExp(
  [
    // en
    'refund|credit note|reimburse|undo|reverse|cancel',
    // de
    'gutschrift|rückerstatt|ruckerstatt|erstatt|rückgängig|stornier|storno|widerruf|zurücknehm',
    // fr
    'rembours|annul|note de crédit|avoir sur|défaire|revenir sur',
    // es
    'reembols|devoluci|anular|anulaci|cancelar|cancelaci|deshacer|nota de crédito|revertir',
    // it
    'rimbors|nota di credito|annull|stornare|storn|disfare',
    // nl
    'terugbetal|creditnota|restitutie|ongedaan|annuleer|annuler|terugdraai',
  ]
    .join('|')
    .split('|')
    .map((w) => `(?<![\\p{L}\\p{N}])${w}`)
    .join('|'),
  'iu',
);

export const avayaSwap: ProgramDefinition<SwapDetails> = {
  id: 'avaya-swap',
  title: 'Avaya IP Office SWAP',
  rulePrefix: 'SWP',
  words: ['Avaya', 'IP Office', 'SWAP'],
  auditRules: { forfeit: 'SWP-5', disable: 'SWP-3' },
  forms: [SWAP_FORM],
  states: SWAP_STATES,
  deadline: { hours: 24, rule: undefined },
  senders: () => [],
  answersMail(text) {
    if (!REFUND_WORDS.test(text)) return undefined;
    return {
      kind: 'final-sale',
      reason: 'refund or undo request (SWP-9)',
      detail: 'answered: SWAPs are irrevocable and all sales are final',
    };
  },
  review: (input, snapshot, clock, env) =>
    reviewAvayaSwap(input, snapshot, clock, { warehouseAddress: env.warehouseAddress }),
  complete(_plan, facts) {
    // SWP-6: a physical FROM key is awaited; otherwise the SWAP is done.
    return { state: facts.keyFollowUps.length > 0 ? 'follow-up' : 'closed', effects: [] };
  },
  transferredMail(facts, details, env) {
    // SWP-6 first: it is the one step with a deadline. Each key with its return date, to the warehouse.
    const steps: string[] = [];
    if (facts.keyFollowUps.length > 0) {
      const where =
        env.warehouseAddress ?? details.warehouseAddress ?? 'the return address your account manager gives you';
      steps.push(
        `(SWP-6) Return the physical FROM feature key${facts.keyFollowUps.length > 1 ? 's' : ''} within ${KEY_RETURN_DAYS} days to ${where}: ` +
          `${facts.keyFollowUps.map((k) => `${k.fk} by ${whenHelper(k.dueAt)}`).join('; ')}. ` +
          'If a key is not back by then, the licenses moved are billed at your standard price list. No credit is given for the key.',
      );
    }
    steps.push(
      `(SWP-3) Use the TO feature key / system ID ${facts.moves[0]?.to ?? details.to ?? ''} from now on: the FROM ${facts.disabled.join(', ')} is disabled and can no longer be used or changed.`,
    );
    if (facts.keyFollowUps.length > 0)
      steps.push('(SWP-7) The physical server used as FROM is no longer fully operational.');
    steps.push('(SWP-2, SWP-9) A SWAP is irrevocable and all sales are final.');
    return {
      subject: 'SWAP completed',
      intro: `The licenses of case ${facts.caseNumber} have been moved from ${facts.moves[0]?.from ?? details.from ?? ''} to ${facts.moves[0]?.to ?? details.to ?? ''}:`,
      moved: facts.moves.map((m) => `${m.licenseKey} (${m.sku ?? ''})`),
      notes:
        facts.forfeited.length > 0
          ? [`(SWP-5) Forfeited End-of-Sale licenses: ${facts.forfeited.map((f) => f.licenseKey).join(', ')}`]
          : [],
      nextSteps: steps,
    };
  },
  waitsForReactivation: () => undefined,
  keyReturns: {
    rule: 'SWP-6',
    bill({ caseNumber, fk, snapshot, partnerId, moved }) {
      const partner = snapshot.partners.get(partnerId);
      if (!partner) throw new Error(`partner ${partnerId} of case ${caseNumber} is not in the registry`);
      const bill = billUnreturnedKey({
        caseNumber,
        fk,
        partner,
        catalog: snapshot.catalog,
        currency: partner.currency,
        moved,
      });
      const total = formatMinor(bill.totalMinor);
      return {
        fee: {
          rule: 'SWP-6',
          amountMinor: bill.totalMinor,
          currency: bill.currency,
          description: `Unreturned feature key ${fk}: licenses at the standard price`,
        },
        mail: {
          partnerId: partner.id,
          partnerName: partner.name,
          currency: bill.currency,
          total,
          lines: bill.lines.map((l) => ({
            ...l,
            unitPrice: formatMinor(l.unitPriceMinor),
            amount: formatMinor(l.amountMinor),
            currency: bill.currency,
          })),
          findings: bill.findings,
        },
        reason: `${fk} not returned within ${KEY_RETURN_DAYS} days (SWP-6): billed ${total} ${bill.currency}`,
      };
    },
  },
  activations: undefined,
  repQuestions: swp4Questions,
};
