/**
 * DSK-5 for the Credit Card Authorization: the number passed the Luhn check,
 * the card has not expired, it is in US dollars and authorises at least the
 * fees and charges due. Findings name the card by its last four digits only.
 */
import { dayOf, type Clock } from '../../clock.js';
import { fixableFail, pass, type Finding } from '../../finding.js';
import { formatMinor } from '../../../lib/money.js';
import { ALTIGEN_CURRENCY, type AltigenRequest } from './request.js';

const CARD = 'card-authorization/v1';

/**
 * `MM/YY` (or `MM/YYYY`) against a day `YYYY-MM-DD`: a card is good through
 * the last day of its expiry month. Undefined when the expiry is unreadable.
 */
export function cardExpired(expiry: string, today: string): boolean | undefined {
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(expiry);
  if (!m) return undefined;
  const month = Number(m[1]);
  if (month < 1 || month > 12) return undefined;
  const year = (m[2] ?? '').length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  const expiryMonth = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
  return expiryMonth < today.slice(0, 7);
}

/** What the card must cover, when it is known. */
export interface AmountDue {
  totalMinor: number;
  currency: string;
  /** e.g. "transfer fee 300.00 + SA 75.62" */
  breakdown?: string;
}

/**
 * DSK-5. No finding while the card form is missing (ALT-6 says so). The
 * amount is checked only when `due` is given (all money known).
 */
export function checkCardAuthorization(req: AltigenRequest, clock: Clock, due?: AmountDue): Finding[] {
  const card = req.forms[CARD];
  if (!card) return [];
  const resend = `Fill in a new Credit Card Authorization and send it with "[Case ${req.caseNumber}]" in the subject.`;
  const named = card.cardLast4 ? `The card ending in ${card.cardLast4}` : 'The card';
  const findings: Finding[] = [];
  const problem = (field: string) => req.formProblems.some((p) => p.formId === CARD && p.field === field);

  if (!card.cardNumberValid || problem('card_number')) {
    findings.push(
      fixableFail(
        'DSK-5',
        `The card number on the Credit Card Authorization is not a valid card number (it fails the card number check).`,
        resend,
      ),
    );
  }
  const today = dayOf(clock.now());
  const expired = card.cardExpiry === undefined ? undefined : cardExpired(card.cardExpiry, today);
  if (expired === true) {
    findings.push(
      fixableFail(
        'DSK-5',
        `${named} expired at the end of ${card.cardExpiry}.`,
        `${resend} Use a card that has not expired.`,
      ),
    );
  } else if (expired === undefined || problem('card_expiry')) {
    findings.push(
      fixableFail(
        'DSK-5',
        `The card's expiry date on the Credit Card Authorization is missing or cannot be read (it must be MM/YY).`,
        resend,
      ),
    );
  }
  if (card.currency !== undefined && card.currency.trim().toUpperCase() !== ALTIGEN_CURRENCY) {
    findings.push(
      fixableFail(
        'DSK-5',
        `The Credit Card Authorization is in ${card.currency}; AltiGen transfers are charged in ${ALTIGEN_CURRENCY}.`,
        `${resend} Authorise the amount in ${ALTIGEN_CURRENCY}.`,
      ),
    );
  }
  let covers = '';
  if (due && card.maxAmountMinor !== undefined && card.currency?.trim().toUpperCase() === due.currency) {
    const total = `${formatMinor(due.totalMinor)} ${due.currency}`;
    const breakdown = due.breakdown ? ` (${due.breakdown})` : '';
    if (card.maxAmountMinor < due.totalMinor) {
      findings.push(
        fixableFail(
          'DSK-5',
          `The Credit Card Authorization allows at most ${formatMinor(card.maxAmountMinor)} ${card.currency}, but ${total} is due${breakdown}.`,
          `${resend} Authorise at least ${total}.`,
        ),
      );
    } else {
      covers = ` and authorises up to ${formatMinor(card.maxAmountMinor)} ${due.currency}, which covers the ${total} due${breakdown}`;
    }
  }
  if (findings.length === 0) {
    findings.push(
      pass('DSK-5', `${named} passes the card number check, is valid through ${card.cardExpiry}${covers}.`),
    );
  }
  return findings;
}

export { discardedFieldFindings } from '../../discarded-fields.js';
