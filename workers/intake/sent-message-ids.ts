/**
 * A reply's In-Reply-To/References naming a Message-ID the desk really sent,
 * recognised through the desk's own outbox record of that mail. This is what
 * still threads replies to mail signed under a secret the desk no longer has
 * (after `secret rotate` and dropping LICENSEDESK_SECRET_PREVIOUS), for as long
 * as outbox records are kept (LICENSEDESK_RETENTION_DAYS). The whole id must
 * match what was sent (compared in constant time), so a forged id is still
 * not believed.
 */
import type { DeskContext } from '../desk/context.js';
import { sameText } from '../../lib/secret-box.js';
import { normaliseMessageId } from '../../store/message-store.js';

export async function caseFromSentMessageId(ctx: DeskContext, refs: string[]): Promise<string | undefined> {
  for (const ref of refs.slice(-20)) {
    const m = /^<?ld\.([A-Za-z0-9._-]+)\.[A-Za-z0-9_-]{12}@[^>]+>?$/.exec(ref.trim());
    if (!m) continue;
    const mailId = m[1]!;
    const sent = await ctx.outbox.get(mailId);
    if (!sent?.messageId || !sameText(normaliseMessageId(sent.messageId), normaliseMessageId(ref))) continue;
    const n = /^case\.(\d{4,10})\./.exec(mailId)?.[1];
    if (n) return n;
  }
  return undefined;
}
