/**
 * Partner mail as taken from the mailbox, kept (encrypted) until processed.
 * One message is stored once (DSK-4): a re-fetch of the same UIDVALIDITY:UID,
 * a second copy with the same Message-ID, or the same bytes again all map to
 * the first stored message and are not processed again.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { sha256InSlices } from '../lib/sliced-crypto.js';
import type { SecretBox } from '../lib/secret-box.js';
import type { DeskKeys } from './keys.js';
import { runLua, runLuaBuffer } from './lua-scripts.js';

export interface MessageMeta {
  uidValidity?: string;
  uid?: number;
  mailbox?: string;
  messageId?: string;
  size: number;
  receivedAt: string;
  /** Set when the message was over the size limit and its body was not fetched. */
  tooLarge?: boolean;
  from?: string;
  subject?: string;
  /** The message's Date header (ISO), so a `too-large` reply can name the message. */
  date?: string;
  /** `Authentication-Results` values, topmost first: kept only for an over-size message (its headers are not fetched). */
  authResults?: string[];
}

export type MessageState = 'stored' | 'processed' | 'quarantined';

export interface StoredMessage {
  id: string;
  meta: MessageMeta;
  state: MessageState;
  /** Decrypted raw RFC 5322 bytes; absent when tooLarge. */
  raw?: Buffer;
  outcome?: string;
  /** A rep who released the message from quarantine (it is processed again, sender accepted). */
  released?: string;
}

/**
 * A quarantine move entry names the stored message (`id ` and its id); an entry without it is the Message-ID of a
 * mail quarantined before moves named the message.
 */
export const QUARANTINE_MOVE_ID = 'id ';

/** The parts a stored body is read in: small enough for ioredis to join each in a moment. */
const SEALED_PART_BYTES = 1024 * 1024;

export type PutResult = { status: 'new' | 'refetch' | 'duplicate'; id: string };

export class MessageStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
    private readonly box: SecretBox,
  ) {}

  /** The id of a message: a hash of its bytes (or of its metadata when too large to fetch). */
  static idOf(raw: Buffer | undefined, meta: MessageMeta): string {
    const h = createHash('sha256');
    if (raw) h.update(raw);
    else h.update(`too-large:${meta.uidValidity}:${meta.uid}:${meta.messageId ?? ''}:${meta.size}`);
    return h.digest('hex').slice(0, 32);
  }

  async put(raw: Buffer | undefined, meta: MessageMeta): Promise<PutResult> {
    // The same id as idOf and the same sealed bytes as box.seal, one slice per turn of the event loop: in one call
    // they held it for 50-150 ms per 4 MB mail on a loaded host.
    if (!raw) return this.putSealed(MessageStore.idOf(raw, meta), Buffer.alloc(0), meta);
    return this.putSealed((await sha256InSlices(raw)).slice(0, 32), await this.box.sealInTurns(raw), meta);
  }

  /**
   * Stores a message sealed as it was downloaded (SecretBox.sealer): `id` is
   * idOf of its plain bytes (the first 32 hex digits of their SHA-256),
   * `sealed` what box.seal would give (empty when the body was not fetched).
   */
  async putSealed(id: string, sealed: Buffer, meta: MessageMeta): Promise<PutResult> {
    const uidKey = meta.uidValidity && meta.uid !== undefined ? `${meta.uidValidity}:${meta.uid}` : '';
    // store/lua/putMessage-5.lua: de-duplicated by UID, Message-ID and content hash (DSK-4)
    const res = (await runLua(
      this.redis,
      'putMessage',
      [
        this.keys.message(id),
        this.keys.messageIds(),
        this.keys.messageUids(),
        this.keys.messages(),
        this.keys.messagesPending(),
      ],
      [
        id,
        normaliseMessageId(meta.messageId),
        uidKey,
        sealed,
        JSON.stringify(meta),
        String(Date.parse(meta.receivedAt)),
      ],
    )) as string[];
    return { status: res[0] as PutResult['status'], id: String(res[1]) };
  }

  /** The ids of the messages among `uids` (of one UIDVALIDITY) already stored, in one HMGET. */
  async knownUids(uidValidity: string, uids: readonly number[]): Promise<Map<number, string>> {
    if (uids.length === 0) return new Map();
    const ids = await this.redis.hmget(this.keys.messageUids(), ...uids.map((uid) => `${uidValidity}:${uid}`));
    const out = new Map<number, string>();
    uids.forEach((uid, i) => {
      const id = ids[i];
      if (id) out.set(uid, id);
    });
    return out;
  }

  /** A message's metadata alone, without loading (or decrypting) its body. */
  async meta(id: string): Promise<MessageMeta | undefined> {
    const meta = await this.redis.hget(this.keys.message(id), 'meta');
    return meta ? (JSON.parse(meta) as MessageMeta) : undefined;
  }

  /** A message's state alone ('stored' until intake ends it), without loading its body; undefined when unknown. */
  async state(id: string): Promise<MessageState | undefined> {
    const [state, meta] = await this.redis.hmget(this.keys.message(id), 'state', 'meta');
    if (!meta) return undefined;
    return (state ?? 'stored') as MessageState;
  }

  async get(id: string): Promise<StoredMessage | undefined> {
    const key = this.keys.message(id);
    // The sealed body in parts of its own (store/lua/sealedParts-1.lua), the small fields in one HMGET. Read as one
    // bulk string, a 20 MB body was joined by ioredis into one Buffer in one call (some 60 ms of the event loop);
    // inside an HMGET's array reply it cost three times that of the body alone.
    const [parts, [meta, state, outcome, released]] = await Promise.all([
      runLuaBuffer(this.redis, 'sealedParts', [key], [String(SEALED_PART_BYTES)]) as Promise<Buffer[]>,
      this.redis.hmget(key, 'meta', 'state', 'outcome', 'released'),
    ]);
    if (!meta) return undefined;
    const sealedBytes = parts.reduce((n, p) => n + p.length, 0);
    return {
      id,
      meta: JSON.parse(meta) as MessageMeta,
      state: (state ?? 'stored') as MessageState,
      raw: sealedBytes > 0 ? await this.box.openPartsInTurns(parts) : undefined,
      outcome: outcome ?? undefined,
      released: released ?? undefined,
    };
  }

  /** A rep releases a quarantined message: it is processed again. False when it is not quarantined. */
  async release(id: string, by: string): Promise<boolean> {
    const key = this.keys.message(id);
    if ((await this.redis.hget(key, 'state')) !== 'quarantined') return false;
    await this.redis.multi().hset(key, 'state', 'stored', 'released', by).zrem(this.keys.quarantine(), id).exec();
    return true;
  }

  /**
   * Messages awaiting intake since before `before` (stored or released, not
   * yet ended), oldest first, at most `limit`: the sweep's look for one whose
   * intake job was lost (workers/intake/resume.ts).
   */
  async pendingSince(before: Date, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.messagesPending(), '-inf', String(before.getTime()), 'LIMIT', 0, limit);
  }

  /** The intake job last queued for a message other than `intake.<id>` (a release's, a resume's), and how often it was resumed. */
  async intakeJob(id: string): Promise<{ jobId?: string; resumes: number }> {
    const [jobId, resumes] = await this.redis.hmget(this.keys.message(id), 'intakeJob', 'intakeResumes');
    return { ...(jobId ? { jobId } : {}), resumes: Number(resumes ?? 0) };
  }

  /** Records an intake job queued again for a message; a resume also counts, and the message waits anew. */
  async noteIntakeJob(id: string, jobId: string, at: Date, resumed: boolean): Promise<void> {
    const key = this.keys.message(id);
    if (!(await this.redis.exists(key))) return; // deleted meanwhile: never a hash of its own
    const m = this.redis
      .multi()
      .hset(key, 'intakeJob', jobId)
      .zadd(this.keys.messagesPending(), String(at.getTime()), id);
    if (resumed) m.hincrby(key, 'intakeResumes', 1);
    await m.exec();
  }

  /** No longer awaited (it ended, or it is gone). */
  async forgetPending(id: string): Promise<void> {
    await this.redis.zrem(this.keys.messagesPending(), id);
  }

  /** Marks a message done, with what became of it (kept for reps and audits). */
  async finish(id: string, state: MessageState, outcome: string, at: Date): Promise<void> {
    const multi = this.redis
      .multi()
      .hset(this.keys.message(id), 'state', state, 'outcome', outcome, 'finishedAt', at.toISOString())
      .zrem(this.keys.messagesPending(), id);
    if (state === 'quarantined') {
      multi.zadd(this.keys.quarantine(), String(at.getTime()), id);
      // Only the ingester speaks IMAP: it moves the mail's recorded copy to the Quarantine folder on its next pass.
      multi.sadd(this.keys.quarantineMoves(), `${QUARANTINE_MOVE_ID}${id}`);
    }
    await multi.exec();
  }

  async quarantined(): Promise<Array<StoredMessage & { outcome?: string }>> {
    const ids = await this.redis.zrange(this.keys.quarantine(), '0', '-1');
    const out: StoredMessage[] = [];
    for (const id of ids) {
      const m = await this.get(String(id));
      if (m) out.push({ ...m, raw: undefined });
    }
    return out;
  }
}

/** Message-IDs compare without angle brackets and case-insensitively in the domain part. */
export function normaliseMessageId(id: string | undefined): string {
  if (!id) return '';
  const bare = id.trim().replace(/^<|>$/g, '');
  const at = bare.lastIndexOf('@');
  return at < 0 ? bare : `${bare.slice(0, at)}@${bare.slice(at + 1).toLowerCase()}`;
}
