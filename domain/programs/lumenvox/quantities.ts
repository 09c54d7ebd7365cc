/**
 * LVX-2: only available licenses can be sold or transferred, never deployed
 * ones; quantities are per product. Reads the form's `quantities` against the
 * source account's `available`.
 */
import type { Account } from '../../registry-model.js';
import { fixableFail, pass, type Finding } from '../../finding.js';
import { availableOf, deployedOf, describeQuantities, productOf, sendAgain } from './lookup.js';
import { ACCOUNT_FORM, verbOf, type LumenvoxRequest, type QuantityLine } from './request.js';

export interface QuantityCheck {
  findings: Finding[];
  /** The products and quantities that can be given, in the account's spelling. */
  lines: QuantityLine[];
  /** True when every product asked was checked and can be given. */
  complete: boolean;
}

/**
 * LVX-2. No products, a quantity that is not a whole number above zero, or
 * more than the source account has available are fixable fails (the partner
 * can ask for less). Availability is not checked while the source account is
 * unknown (LVX-1/LVX-5 report it). No finding while the form is missing.
 */
export function checkQuantities(req: LumenvoxRequest, from: Account | undefined): QuantityCheck {
  const form = req.forms[ACCOUNT_FORM];
  if (!form) return { findings: [], lines: [], complete: false };
  const { verb, done } = verbOf(form.transferKind);
  const resend = `Correct "quantities" on the License sale or transfer form (one "PRODUCT quantity" a line, such as LV-ASR-PORT 4) and ${sendAgain(req)}.`;
  const entries = Object.entries(form.quantities);
  if (entries.length === 0) {
    const unreadable = req.formProblems.some(
      (p) => p.formId === ACCOUNT_FORM && p.field === 'quantities' && p.problem !== 'missing',
    );
    if (unreadable) return { findings: [], lines: [], complete: false }; // DSK-6 quotes the unreadable lines.
    return {
      findings: [
        fixableFail('LVX-2', `The License sale or transfer form names no products and quantities to ${verb}.`, resend),
      ],
      lines: [],
      complete: false,
    };
  }
  const findings: Finding[] = [];
  const lines: QuantityLine[] = [];
  let complete = from !== undefined;
  for (const [asked, quantity] of entries) {
    if (!Number.isSafeInteger(quantity) || quantity <= 0) {
      complete = false;
      findings.push(
        fixableFail(
          'LVX-2',
          `The form asks to ${verb} ${quantity} of ${asked}; a quantity must be a whole number above zero.`,
          resend,
        ),
      );
      continue;
    }
    if (!from) continue;
    const product = productOf(from, asked);
    const available = availableOf(from, product);
    const deployed = deployedOf(from, product);
    if (quantity > available) {
      complete = false;
      const holds =
        available === 0 && deployed === 0
          ? `Account ${from.id} holds no ${product} licenses at all (please check the product name)`
          : `Account ${from.id} has ${available} ${product} available`;
      const deployedWords =
        deployed > 0
          ? ` Its ${deployed} deployed ${product} cannot be ${done}: only available licenses can be ${done}, deployed ones cannot.`
          : ` Only available licenses can be ${done}; deployed ones cannot.`;
      findings.push(
        fixableFail(
          'LVX-2',
          `${holds}, but the form asks to ${verb} ${quantity}.${deployedWords}`,
          `Ask for at most ${available} ${product}. ${resend}`,
        ),
      );
      continue;
    }
    lines.push({ product, quantity });
  }
  if (findings.length === 0 && from) {
    const left = lines.map((l) => `${availableOf(from, l.product)} ${l.product} available`);
    findings.push(
      pass(
        'LVX-2',
        `Account ${from.id} has enough available licenses to ${verb} ${describeQuantities(lines)} (it has ${left.join(', ')}).`,
      ),
    );
  }
  return { findings, lines, complete: complete && lines.length > 0 };
}
