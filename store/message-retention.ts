/**
 * How long partner mail stays in Redis. Each message waits in a
 * sorted set scored by when it is deleted: days after its case ends, or after
 * it was finished when it never joined a case. Deleting it removes the sealed
 * raw mail (the content-hash record) and its entries in the Message-ID, UID,
 * receipt and quarantine indexes, and asks the ingester to delete its IMAP
 * copies. Mail that carried a card form is re-sealed without it as soon as
 * its case is decided, and its IMAP copy is replaced the same way.
 */
import type { Redis } from 'ioredis';
import type { SecretBox } from '../lib/secret-box.js';
import type { DeskKeys } from './keys.js';
import { normaliseMessageId, type MessageMeta } from './message-store.js';
import { runLua } from './lua-scripts.js';

/**
 * Where the ingester put a mail: it is found again by folder and UID, never by
 * searching for its Message-ID (an IMAP SEARCH HEADER matches any Message-ID
 * that contains the text, so a stranger's `Message-ID: @` would find them all).
 */
export interface ImapCopy {
  folder: string;
  uidValidity: string;
  uid: number;
  /**
   * The Message-ID the copy carries, when not the stored mail's (an older rebuild without the card form gave one
   * of its own to a mail that had none).
   */
  messageId?: string;
}
/**
 * An IMAP deletion entry for a copy found by UID: `uid ` and the copy's JSON with the `messageId` it must carry
 * ('' or absent: none). Other entries are Message-IDs of mail kept before copies were recorded, which start with
 * '<' or a letter.
 */
export const UID_TOKEN = 'uid ';

export class MessageRetention {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
    private readonly box: SecretBox,
  ) {}

  /** The message is deleted at `at`; `firstOnly` keeps an earlier date (a case ends once). */
  async deleteAt(id: string, at: Date, firstOnly = false): Promise<void> {
    // Only a message still kept: a case's list names messages already deleted.
    await runLua(
      this.redis,
      'scheduleDeletion',
      [this.keys.message(id), this.keys.retentionDue()],
      [id, String(at.getTime()), firstOnly ? 'NX' : ''],
    );
  }

  /** The message belongs to a case again (released from quarantine): the case's end decides. */
  async keepWhileCaseOpen(id: string): Promise<void> {
    await this.redis.zrem(this.keys.retentionDue(), id);
  }

  /** Deletes every message due by `now` (at most `limit` a call); returns how many. */
  async deleteDue(now: Date, limit = 500): Promise<number> {
    const ids = await this.redis.zrangebyscore(
      this.keys.retentionDue(),
      '-inf',
      String(now.getTime()),
      'LIMIT',
      0,
      limit,
    );
    for (const id of ids) await this.delete(id);
    return ids.length;
  }

  async delete(id: string): Promise<void> {
    const k = this.keys;
    const metaText = await this.redis.hget(k.message(id), 'meta');
    const meta = metaText ? (JSON.parse(metaText) as MessageMeta) : undefined;
    const uidKey = meta?.uidValidity && meta.uid !== undefined ? `${meta.uidValidity}:${meta.uid}` : '';
    const copies = await this.imapCopies(id);
    // Each copy by its UID, with the Message-ID it must still carry; a mail with none recorded (kept before
    // copies were recorded, or never moved out of the INBOX) by its Message-ID, each match checked exactly.
    const imap =
      copies.length > 0
        ? copies.map((c) => `${UID_TOKEN}${JSON.stringify({ ...c, messageId: c.messageId ?? meta?.messageId ?? '' })}`)
        : meta?.messageId
          ? [meta.messageId]
          : [];
    await runLua(
      this.redis,
      'deleteMessage',
      [
        k.message(id),
        k.messageIds(),
        k.messageUids(),
        k.messages(),
        k.quarantine(),
        k.retentionDue(),
        k.imapDeletions(),
        k.messagesPending(),
      ],
      [id, normaliseMessageId(meta?.messageId), uidKey, ...imap],
    );
  }

  /** The IMAP copies recorded for a mail (only the ingester writes them). */
  async imapCopies(id: string): Promise<ImapCopy[]> {
    const v = await this.redis.hget(this.keys.message(id), 'imapCopies');
    return v ? (JSON.parse(v) as ImapCopy[]) : [];
  }

  async setImapCopies(id: string, copies: ImapCopy[]): Promise<void> {
    if (await this.redis.exists(this.keys.message(id)))
      await this.redis.hset(this.keys.message(id), 'imapCopies', JSON.stringify(copies));
  }

  /** 'removed: …' once stripped, 'none' once found without card data, undefined before. */
  async cardCheck(id: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.message(id), 'cardForms')) ?? undefined;
  }

  async markWithoutCardData(id: string): Promise<void> {
    if (await this.redis.exists(this.keys.message(id)))
      await this.redis.hset(this.keys.message(id), 'cardForms', 'none');
  }

  /** Intake's verdicts on the PDFs it read (workers/retention/card-pdf-verdicts.ts), a JSON object; kept in the message's hash. */
  async setPdfVerdicts(id: string, json: string): Promise<void> {
    // Never a hash of its own: a message deleted meanwhile stays deleted.
    if (await this.redis.exists(this.keys.message(id)))
      await this.redis.hset(this.keys.message(id), 'pdfVerdicts', json);
  }

  async pdfVerdicts(id: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.message(id), 'pdfVerdicts')) ?? undefined;
  }

  /**
   * DSK-11: the mailbox copy of a mail intake has taken in is replaced by `stripped` at once, while the sealed
   * mail keeps its card form for billing. Kept sealed in the message's hash only until the ingester has swapped
   * the copies (`imapCopyDone`).
   */
  async replaceImapCopy(id: string, stripped: Buffer): Promise<void> {
    if (!(await this.redis.exists(this.keys.message(id)))) return;
    await this.redis
      .multi()
      .hset(this.keys.message(id), 'imapRaw', this.box.seal(stripped))
      .sadd(this.keys.imapReplacements(), id)
      .exec();
  }

  /** The stripped copy waiting for the mailbox, if any (undefined when none, or sealed under a secret since retired). */
  async imapCopyRaw(id: string): Promise<Buffer | undefined> {
    const sealed = await this.redis.hgetBuffer(this.keys.message(id), 'imapRaw');
    if (!sealed || sealed.length === 0) return undefined;
    try {
      return await this.box.openInTurns(sealed);
    } catch {
      return undefined;
    }
  }

  /** The mailbox holds the stripped copy now: the copy kept for it goes. */
  async imapCopyDone(id: string): Promise<void> {
    await this.redis.hdel(this.keys.message(id), 'imapRaw');
  }

  /** Keeps `stripped` (sealed) instead of the mail as received, and queues the same swap in IMAP. */
  async replaceWithStripped(id: string, stripped: Buffer, removed: string[]): Promise<void> {
    if (!(await this.redis.exists(this.keys.message(id)))) return;
    await this.redis
      .multi()
      .hset(this.keys.message(id), 'raw', this.box.seal(stripped), 'cardForms', `removed: ${removed.join(', ')}`)
      .sadd(this.keys.imapReplacements(), id)
      .exec();
  }
}
