/**
 * The desk's own Message-IDs are deterministic (one per mail the desk means to
 * send, so a retried job cannot send a second, different mail) and signed, so
 * a partner's reply can be matched to its case through In-Reply-To even when
 * the subject was edited, and a forged id is not believed.
 */
import type { SecretBox } from '../lib/secret-box.js';

export function deskMessageId(box: SecretBox, mailId: string, deskAddress: string): string {
  const domain = deskAddress.split('@')[1] ?? 'licensedesk.localhost';
  return `<ld.${mailId}.${box.signMessageId(mailId, 12)}@${domain}>`;
}

/** The mail id a desk Message-ID was made for, if its signature holds (compared in constant time). */
export function mailIdFromDeskMessageId(box: SecretBox, messageId: string): string | undefined {
  const m = /^<?ld\.([A-Za-z0-9._-]+)\.([A-Za-z0-9_-]{12})@[^>]+>?$/.exec(messageId.trim());
  if (!m) return undefined;
  const mailId = m[1]!;
  // Constant-time, and under the previous secret too while it is given (replies to mail sent before a rotation).
  return box.verifyMessageId(mailId, m[2]!) ? mailId : undefined;
}

/** The case number a signed desk Message-ID was made for, if the signature holds. */
export function caseFromDeskMessageId(box: SecretBox, messageId: string): string | undefined {
  const mailId = mailIdFromDeskMessageId(box, messageId);
  if (!mailId) return undefined;
  const caseMatch = /^case\.(\d{4,10})\./.exec(mailId);
  return caseMatch?.[1];
}
