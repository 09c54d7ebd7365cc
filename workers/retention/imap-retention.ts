/**
 * The mailbox side of retention, run by the ingester (the only process that
 * speaks IMAP) after each pass:
 *   - a message whose card form was removed in Redis has its copy in the
 *     Processed or Quarantine folder replaced by the same stripped copy: the
 *     stripped copy is appended first, then the original deleted, so a crash in
 *     between leaves both and the next pass only deletes (the stripped copy is
 *     told by its X-Licensedesk-Card-Form-Removed header);
 *   - a message whose retention ended is deleted from those folders.
 * Messages are found by their Message-ID header; one still in the INBOX (not
 * yet moved out) waits for a later pass. A mail without a Message-ID is found
 * by the folder and UID the ingester recorded when it moved it (COPYUID).
 */
import type { ImapFlow } from 'imapflow';
import type { DeskContext } from '../desk/context.js';
import { STRIPPED_HEADER } from '../../mail/card-form-strip.js';
import { MessageRetention, UID_TOKEN, type ImapCopy } from '../../store/message-retention.js';
import { PROCESSED_FOLDER, QUARANTINE_FOLDER } from '../desk/imap-folders.js';

const FOLDERS = [PROCESSED_FOLDER, QUARANTINE_FOLDER];

interface Found {
  folder: string;
  uids: number[];
  strippedUids: number[];
}

async function findByMessageId(client: ImapFlow, folder: string, messageId: string): Promise<Found> {
  const lock = await client.getMailboxLock(folder);
  try {
    const uids = (await client.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
    if (uids.length === 0) return { folder, uids: [], strippedUids: [] };
    const heads = await client.fetchAll(uids.join(','), { uid: true, headers: [STRIPPED_HEADER] }, { uid: true });
    const stripped = heads
      .filter((h) => (h.headers?.toString('latin1') ?? '').toLowerCase().includes(STRIPPED_HEADER.toLowerCase()))
      .map((h) => h.uid);
    return { folder, uids: uids.filter((u) => !stripped.includes(u)), strippedUids: stripped };
  } finally {
    lock.release();
  }
}

async function deleteUids(client: ImapFlow, folder: string, uids: number[]): Promise<void> {
  if (uids.length === 0) return;
  const lock = await client.getMailboxLock(folder);
  try {
    await client.messageDelete(uids.join(','), { uid: true });
  } finally {
    lock.release();
  }
}

async function inInbox(client: ImapFlow, inbox: string, messageId: string): Promise<boolean> {
  const lock = await client.getMailboxLock(inbox);
  try {
    const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
    return !!uids && uids.length > 0;
  } finally {
    lock.release();
  }
}

/** The ingester moved a mail without a Message-ID: where it went, so retention can find it. */
export async function recordImapCopy(ctx: DeskContext, id: string, copy: ImapCopy): Promise<void> {
  const r = new MessageRetention(ctx.redis, ctx.keys, ctx.box);
  const copies = (await r.imapCopies(id)).filter((c) => !(c.folder === copy.folder && c.uid === copy.uid));
  await r.setImapCopies(id, [...copies, copy]);
  // Stripped already (a copy moved late, or a second copy): this one is replaced on the next pass too.
  if ((await r.cardCheck(id))?.startsWith('removed')) await ctx.redis.sadd(ctx.keys.imapReplacements(), id);
}

/** True when `copy` is still there (same UIDVALIDITY, UID present). */
async function copyExists(client: ImapFlow, copy: ImapCopy): Promise<boolean> {
  const lock = await client.getMailboxLock(copy.folder);
  try {
    if (String(client.mailbox ? client.mailbox.uidValidity : '') !== copy.uidValidity) return false;
    const uids = await client.search({ uid: String(copy.uid) }, { uid: true });
    return !!uids && uids.includes(copy.uid);
  } finally {
    lock.release();
  }
}

/** Replaces the recorded copies of a mail without a Message-ID by `raw`; returns the new copies. */
async function replaceByUid(client: ImapFlow, copies: ImapCopy[], raw: Buffer): Promise<ImapCopy[]> {
  const next: ImapCopy[] = [];
  for (const c of copies) {
    if (!(await copyExists(client, c))) continue;
    const added = await client.append(c.folder, raw, ['\\Seen']);
    await deleteUids(client, c.folder, [c.uid]);
    if (added && added.uid && added.uidValidity !== undefined)
      next.push({ folder: c.folder, uidValidity: String(added.uidValidity), uid: added.uid });
  }
  return next;
}

/**
 * Mailbox copies replaced or deleted in one pass at the most, of each kind. After a drain of 600 cases their
 * card strips queued 600 replacements (searches in three folders, an APPEND and a delete each): one pass over
 * all of them held the ingester's IMAP connection for seconds, and new partner mail waited behind it (the
 * bench's idle desk after a 600-case drain: APPEND to stored p95 5.9 s). The ingester scans the INBOX between
 * passes.
 */
export const IMAP_RETENTION_BATCH = 10;

/**
 * One pass of IMAP retention: replaces card mail by its stripped copy and deletes what retention deleted, at
 * most IMAP_RETENTION_BATCH of each. True when a whole batch was done (there may be more: the ingester looks at
 * the INBOX and comes back); false when the sets are worked through or what is left must wait.
 */
export async function applyImapRetention(
  ctx: DeskContext,
  client: ImapFlow,
  log: DeskContext['log'],
  inbox = 'INBOX',
  batch = IMAP_RETENTION_BATCH,
): Promise<boolean> {
  const k = ctx.keys;
  let replaced = 0;
  let deleted = 0;
  try {
    for (const id of await ctx.redis.srandmember(k.imapReplacements(), batch)) {
      const msg = await ctx.messages.get(id);
      const messageId = msg?.meta.messageId;
      if (msg?.raw && !messageId) {
        const r = new MessageRetention(ctx.redis, ctx.keys, ctx.box);
        await r.setImapCopies(id, await replaceByUid(client, await r.imapCopies(id), msg.raw));
      }
      if (!msg?.raw || !messageId) {
        await ctx.redis.srem(k.imapReplacements(), id);
        replaced++;
        continue;
      }
      const found = await Promise.all(FOLDERS.map((f) => findByMessageId(client, f, messageId)));
      const originals = found.filter((f) => f.uids.length > 0);
      if (
        originals.length === 0 &&
        found.every((f) => f.strippedUids.length === 0) &&
        (await inInbox(client, inbox, messageId))
      )
        continue;
      for (const f of originals) {
        if (f.strippedUids.length === 0) await client.append(f.folder, msg.raw, ['\\Seen']);
        await deleteUids(client, f.folder, f.uids);
      }
      await ctx.redis.srem(k.imapReplacements(), id);
      replaced++;
      if (originals.length > 0) log.info({ message: id }, 'mailbox copy replaced by the copy without its card form');
    }
    for (const messageId of await ctx.redis.srandmember(k.imapDeletions(), batch)) {
      if (messageId.startsWith(UID_TOKEN)) {
        const copy = JSON.parse(messageId.slice(UID_TOKEN.length)) as ImapCopy;
        if (await copyExists(client, copy)) await deleteUids(client, copy.folder, [copy.uid]);
        await ctx.redis.srem(k.imapDeletions(), messageId);
        deleted++;
        continue;
      }
      if (await inInbox(client, inbox, messageId)) continue;
      for (const folder of FOLDERS) {
        const f = await findByMessageId(client, folder, messageId);
        await deleteUids(client, folder, [...f.uids, ...f.strippedUids]);
      }
      await ctx.redis.srem(k.imapDeletions(), messageId);
      deleted++;
    }
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'could not apply retention to the mailbox; will retry');
    replaced = deleted = 0; // tried again on the next pass, not at once
  }
  await watchInbox(client, inbox, log);
  // Only a batch done in full says "more": entries left for later (mail still in the INBOX) must not spin the loop.
  return replaced >= batch || deleted >= batch;
}

/**
 * Leaves the connection with the INBOX selected: the ingester IDLEs next, and
 * IDLE reports news of the selected mailbox only. After this pass (or the
 * quarantine moves before it) selected Processed or Quarantine, new partner
 * mail waited for the 10 s rescan (the bench's idle desk: 9.2 s of 9.4 s
 * from APPEND to the partner's mail).
 */
async function watchInbox(client: ImapFlow, inbox: string, log: DeskContext['log']): Promise<void> {
  if (!client.usable || (client.mailbox && client.mailbox.path === inbox)) return;
  try {
    const lock = await client.getMailboxLock(inbox);
    lock.release();
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'could not select the INBOX again; the next rescan finds new mail');
  }
}
