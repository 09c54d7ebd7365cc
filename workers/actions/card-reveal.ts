/**
 * The one place the desk reads a card number back (DSK-11): billing, after
 * entering its password again, asks for the card of a case whose fees are due,
 * to charge it in its own payment terminal. The number is read from the
 * sealed card form the partner sent (the newest one whose last four digits
 * are the case's card), in the parse children as intake reads it, and handed
 * to the caller only: never logged, stored, or put in a job or an error.
 */
import type { DeskContext } from '../desk/context.js';
import { errors } from '../../lib/errors.js';
import { parseMailIsolated } from '../../mail/mime-parse-client.js';
import { readPdfIsolated } from '../../forms/pdf-read-client.js';
import { CARD_FORM_ID } from '../retention/index.js';
import { cardFees, paymentStateOf } from '../../workflows/fee-steps.js';

export interface RevealedCard {
  caseNumber: string;
  number: string;
  last4: string;
  expiry?: string;
  cardholder?: string;
}

export async function revealCard(ctx: DeskContext, caseNumber: string): Promise<RevealedCard> {
  const stored = await ctx.cases.get(caseNumber);
  if (!stored) throw errors.E_CASE_NOT_FOUND(caseNumber);
  const doc = stored.doc;
  if (cardFees(doc).length === 0) throw errors.E_FEE_STATE(caseNumber, 'it has no fee to charge');
  if (paymentStateOf(doc) !== 'due')
    throw errors.E_FEE_STATE(
      caseNumber,
      `its fees are ${paymentStateOf(doc)}; a card is shown only to charge a fee due`,
    );
  const last4 = doc.card?.last4;
  if (!last4) throw errors.E_CARD_GONE(caseNumber);
  const budgetMs = ctx.config.parseMessageSeconds * 1000;
  for (const m of [...doc.messages].reverse()) {
    const msg = await ctx.messages.get(m.id);
    if (!msg?.raw) continue;
    const parsed = await parseMailIsolated(msg.raw, { timeoutMs: budgetMs });
    if (!parsed.ok) continue;
    for (const part of parsed.mail.parts.pdfs) {
      const read = await readPdfIsolated(part.content);
      if (!read.ok || read.form.formId !== CARD_FORM_ID) continue;
      const f = read.form.fields;
      const digits = String(f['card_number'] ?? '').replace(/\D/g, '');
      if (digits.length < 12 || !digits.endsWith(last4)) continue;
      return {
        caseNumber,
        number: digits,
        last4,
        ...(typeof f['card_expiry'] === 'string' ? { expiry: f['card_expiry'] } : {}),
        ...(typeof f['cardholder_name'] === 'string' ? { cardholder: f['cardholder_name'] } : {}),
      };
    }
  }
  throw errors.E_CARD_GONE(caseNumber);
}
