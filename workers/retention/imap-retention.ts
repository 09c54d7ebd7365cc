/**
 * The mailbox side of retention, run by the ingester (the only process that
 * speaks IMAP) after each pass:
 *   - a message intake has taken in has its copy without its card form
 *     (DSK-11), and one whose card form was removed in Redis the same copy,
 *     in the Processed or Quarantine folder in place of the original: the
 *     stripped copy is appended first, then the original deleted, so a crash in
 *     between leaves both and the next pass only deletes (the stripped copy is
 *     told by its X-Licensedesk-Card-Form-Removed header);
 *   - a message whose retention ended is deleted from those folders;
 *   - a quarantined message moves from Processed to Quarantine.
 * Every copy is found by the folder and UID the ingester recorded when it moved
 * it (COPYUID), and touched only while its Message-ID header is exactly the
 * stored mail's: IMAP `SEARCH HEADER Message-ID` matches any Message-ID that
 * contains the text (RFC 3501), so a stranger's `Message-ID: @` would have
 * found every kept mail. A mail kept before copies were recorded is still
 * found by that search, and each match is checked the same way; one still in
 * the INBOX (not yet moved out) waits for a later pass.
 */
import type { ImapFlow } from 'imapflow';
import type { DeskContext } from '../desk/context.js';
import { STRIPPED_HEADER } from '../../mail/card-form-strip.js';
import { MessageRetention, UID_TOKEN, type ImapCopy } from '../../store/message-retention.js';
import { QUARANTINE_MOVE_ID } from '../../store/message-store.js';
import { PROCESSED_FOLDER, QUARANTINE_FOLDER } from '../desk/imap-folders.js';

const FOLDERS = [PROCESSED_FOLDER, QUARANTINE_FOLDER];

/** A copy that is there and carries the expected Message-ID. */
interface Verified extends ImapCopy {
  stripped: boolean;
}

const withoutFlag = ({ stripped: _stripped, ...copy }: Verified): ImapCopy => copy;

const retention = (ctx: DeskContext) => new MessageRetention(ctx.redis, ctx.keys, ctx.box);

/**
 * A Message-ID as compared here: unfolded, without comments, angle brackets
 * or surrounding space, in lower case ('' for none). A mail rebuilt without its
 * card form keeps its Message-ID byte for byte (an older rebuild wrote `@` as `<@>`): still the same mail.
 */
export function comparableMessageId(id: string | undefined): string {
  if (!id) return '';
  const bare = id
    .replace(/\r?\n[ \t]+/g, ' ')
    .replace(/\((?:[^()\\]|\\.)*\)/g, '')
    .trim();
  return bare.replace(/^<\s*([\s\S]*?)\s*>$/, '$1').toLowerCase();
}

/** The first Message-ID header of a fetched header block, and whether it holds the stripped copy's header. */
function readHeaders(block: Buffer | undefined): { messageId: string; stripped: boolean } {
  const text = (block?.toString('latin1') ?? '').replace(/\r?\n[ \t]+/g, ' ');
  const m = /^message-id[ \t]*:(.*)$/im.exec(text);
  return {
    messageId: comparableMessageId(m?.[1]),
    stripped: new RegExp(`^${STRIPPED_HEADER}[ \\t]*:`, 'im').test(text),
  };
}

/**
 * Which of `copies`, all in the selected folder, are still there and carry exactly the Message-ID each was
 * recorded with (`messageId` for a copy recorded without one).
 */
async function checkedUids(client: ImapFlow, copies: ImapCopy[], messageId: string | undefined): Promise<Verified[]> {
  if (copies.length === 0) return [];
  const heads = await client.fetchAll(
    copies.map((c) => c.uid).join(','),
    { uid: true, headers: ['message-id', STRIPPED_HEADER] },
    { uid: true },
  );
  const out: Verified[] = [];
  for (const h of heads) {
    const copy = copies.find((c) => c.uid === h.uid);
    if (!copy) continue;
    const seen = readHeaders(h.headers);
    if (seen.messageId === comparableMessageId(copy.messageId ?? messageId))
      out.push({ ...copy, stripped: seen.stripped });
  }
  return out;
}

/** The recorded copies still where they were (same UIDVALIDITY), each carrying exactly its Message-ID. */
async function verifiedCopies(
  client: ImapFlow,
  copies: ImapCopy[],
  messageId: string | undefined,
): Promise<Verified[]> {
  const out: Verified[] = [];
  for (const folder of new Set(copies.map((c) => c.folder))) {
    const lock = await client.getMailboxLock(folder);
    try {
      const uidValidity = client.mailbox ? String(client.mailbox.uidValidity) : '';
      const here = copies.filter((c) => c.folder === folder && c.uidValidity === uidValidity);
      out.push(...(await checkedUids(client, here, messageId)));
    } finally {
      lock.release();
    }
  }
  return out;
}

/** Copies in `folder` of a mail kept before copies were recorded: searched by Message-ID, each match checked exactly. */
async function searchedCopies(client: ImapFlow, folder: string, messageId: string): Promise<Verified[]> {
  const lock = await client.getMailboxLock(folder);
  try {
    const uids = (await client.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
    const uidValidity = client.mailbox ? String(client.mailbox.uidValidity) : '';
    return await checkedUids(
      client,
      uids.map((uid) => ({ folder, uidValidity, uid })),
      messageId,
    );
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

const inInbox = async (client: ImapFlow, inbox: string, messageId: string): Promise<boolean> =>
  (await searchedCopies(client, inbox, messageId)).length > 0;

/** The ingester moved a mail out of the INBOX: where it went, so retention and quarantine find it. */
export async function recordImapCopy(ctx: DeskContext, id: string, copy: ImapCopy): Promise<void> {
  const r = retention(ctx);
  const copies = (await r.imapCopies(id)).filter((c) => !(c.folder === copy.folder && c.uid === copy.uid));
  await r.setImapCopies(id, [...copies, copy]);
  // Stripped already (a copy moved late, or a second copy): this one is replaced on the next pass too.
  if ((await r.cardCheck(id))?.startsWith('removed') || (await r.imapCopyRaw(id)))
    await ctx.redis.sadd(ctx.keys.imapReplacements(), id);
}

/**
 * Replaces a mail's copies by `raw` (its stripped copy), one stripped copy per folder; returns how many originals
 * went, or undefined when it must wait (a mail kept before copies were recorded that is still in the INBOX).
 */
async function replaceCopies(
  ctx: DeskContext,
  client: ImapFlow,
  id: string,
  raw: Buffer,
  messageId: string | undefined,
  inbox: string,
): Promise<number | undefined> {
  const r = retention(ctx);
  const recorded = await r.imapCopies(id);
  let copies: Verified[] = [];
  if (recorded.length > 0) copies = await verifiedCopies(client, recorded, messageId);
  else if (messageId) {
    for (const f of FOLDERS) copies.push(...(await searchedCopies(client, f, messageId)));
    if (copies.length === 0 && (await inInbox(client, inbox, messageId))) return undefined;
  }
  // The stripped copy carries the Message-ID the mail came with (none when it had none).
  const end = raw.indexOf('\r\n\r\n');
  const strippedId = readHeaders(end < 0 ? raw : raw.subarray(0, end + 2)).messageId;
  let gone = 0;
  const next: ImapCopy[] = copies.filter((c) => c.stripped).map(withoutFlag);
  for (const folder of new Set(copies.map((c) => c.folder))) {
    const here = copies.filter((c) => c.folder === folder);
    const originals = here.filter((c) => !c.stripped).map((c) => c.uid);
    if (originals.length === 0) continue;
    if (!here.some((c) => c.stripped)) {
      const added = await client.append(folder, raw, ['\\Seen']);
      if (added && added.uid && added.uidValidity !== undefined)
        next.push({ folder, uidValidity: String(added.uidValidity), uid: added.uid, messageId: strippedId });
    }
    await deleteUids(client, folder, originals);
    gone += originals.length;
  }
  await r.setImapCopies(id, next);
  return gone;
}

/** Mail that intake quarantined leaves the Processed folder for Quarantine, so a person sees it there too. */
export async function moveQuarantinedCopies(
  ctx: DeskContext,
  client: ImapFlow,
  log: DeskContext['log'],
): Promise<void> {
  const key = ctx.keys.quarantineMoves();
  const pending = await ctx.redis.smembers(key);
  try {
    for (const entry of pending) {
      if (entry.startsWith(QUARANTINE_MOVE_ID)) await moveOne(ctx, client, entry.slice(QUARANTINE_MOVE_ID.length));
      else await moveUids(client, await searchedCopies(client, PROCESSED_FOLDER, entry));
      await ctx.redis.srem(key, entry);
    }
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'could not move quarantined mail to the Quarantine folder; will retry');
  }
}

async function moveOne(ctx: DeskContext, client: ImapFlow, id: string): Promise<void> {
  const meta = await ctx.messages.meta(id);
  if (!meta) return; // deleted meanwhile
  const r = retention(ctx);
  const recorded = await r.imapCopies(id);
  const copies =
    recorded.length > 0
      ? await verifiedCopies(
          client,
          recorded.filter((c) => c.folder === PROCESSED_FOLDER),
          meta.messageId,
        )
      : meta.messageId
        ? await searchedCopies(client, PROCESSED_FOLDER, meta.messageId)
        : [];
  const moved = await moveUids(client, copies);
  if (moved.length === 0) return;
  const left = (await r.imapCopies(id)).filter(
    (c) => !copies.some((m) => m.folder === c.folder && m.uidValidity === c.uidValidity && m.uid === c.uid),
  );
  await r.setImapCopies(id, [...left, ...moved]);
}

/** Moves verified copies in Processed to Quarantine; returns where they went. */
async function moveUids(client: ImapFlow, copies: Verified[]): Promise<ImapCopy[]> {
  if (copies.length === 0) return [];
  const lock = await client.getMailboxLock(PROCESSED_FOLDER);
  try {
    const res = await client.messageMove(copies.map((c) => c.uid).join(','), QUARANTINE_FOLDER, { uid: true });
    if (!res || res.uidValidity === undefined) return [];
    const out: ImapCopy[] = [];
    for (const c of copies) {
      const uid = res.uidMap?.get(c.uid);
      if (uid)
        out.push({
          folder: QUARANTINE_FOLDER,
          uidValidity: String(res.uidValidity),
          uid,
          ...(c.messageId !== undefined ? { messageId: c.messageId } : {}),
        });
    }
    return out;
  } finally {
    lock.release();
  }
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
      // The copy stripped when intake took the mail in (DSK-11), else the sealed mail once it was stripped itself.
      const stripped = (await retention(ctx).imapCopyRaw(id)) ?? msg?.raw;
      const gone = msg && stripped ? await replaceCopies(ctx, client, id, stripped, msg.meta.messageId, inbox) : 0;
      if (gone === undefined) continue;
      await ctx.redis.srem(k.imapReplacements(), id);
      await retention(ctx).imapCopyDone(id);
      replaced++;
      if (gone > 0) log.info({ message: id }, 'mailbox copy replaced by the copy without its card form');
    }
    for (const entry of await ctx.redis.srandmember(k.imapDeletions(), batch)) {
      if (entry.startsWith(UID_TOKEN)) {
        const { messageId, ...copy } = JSON.parse(entry.slice(UID_TOKEN.length)) as ImapCopy & { messageId?: string };
        const found = await verifiedCopies(client, [copy], messageId);
        await deleteUids(
          client,
          copy.folder,
          found.map((c) => c.uid),
        );
      } else {
        if (await inInbox(client, inbox, entry)) continue;
        for (const folder of FOLDERS) {
          const found = await searchedCopies(client, folder, entry);
          await deleteUids(
            client,
            folder,
            found.map((c) => c.uid),
          );
        }
      }
      await ctx.redis.srem(k.imapDeletions(), entry);
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
