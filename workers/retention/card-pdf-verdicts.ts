/**
 * What intake learnt of each PDF it read, kept with the message so that the
 * card strip (workers/retention/mail-retention.ts) need not read the same PDFs again in a parse
 * child once the case is decided: a PDF whose bytes intake read as the card
 * form is a card form, one it read as another form is not. A PDF intake
 * could not read (or read within a message budget that ran out) gets no
 * verdict and is read again as before, so no PDF is kept or removed on less
 * evidence than the strip's own read would give. Keyed by the SHA-256 of the
 * PDF's bytes, not by name: the strip finds the parts by parsing the mail
 * again, and a name proves nothing.
 */
import type { DeskContext } from '../desk/context.js';
import { MessageRetention } from '../../store/message-retention.js';
import type { CardPdfVerdict } from '../../mail/card-strip-protocol.js';

export const CARD_FORM_ID = 'card-authorization/v1';

export { pdfDigest, type CardPdfVerdict } from '../../mail/card-strip-protocol.js';

export function verdictOf(formId: string): CardPdfVerdict {
  return formId === CARD_FORM_ID ? 'card' : 'other';
}

/** Keeps intake's verdicts with the message (only while the message is kept: they go with its hash). */
export async function noteCardPdfVerdicts(
  ctx: DeskContext,
  messageId: string,
  verdicts: Record<string, CardPdfVerdict>,
): Promise<void> {
  if (Object.keys(verdicts).length === 0) return;
  await new MessageRetention(ctx.redis, ctx.keys, ctx.box).setPdfVerdicts(messageId, JSON.stringify(verdicts));
}

export async function cardPdfVerdicts(ctx: DeskContext, messageId: string): Promise<Record<string, CardPdfVerdict>> {
  const v = await new MessageRetention(ctx.redis, ctx.keys, ctx.box).pdfVerdicts(messageId);
  return v ? (JSON.parse(v) as Record<string, CardPdfVerdict>) : {};
}
