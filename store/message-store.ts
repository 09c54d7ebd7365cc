/**
 * Partner mail as taken from the mailbox, kept (encrypted) until processed.
 * One message is stored once (DSK-4): a re-fetch of the same UIDVALIDITY:UID,
 * a second copy with the same Message-ID, or the same bytes again all map to
 * the first stored message and are not processed again.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SecretBox } from '../lib/secret-box.js';
import type { DeskKeys } from './keys.js';

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

export type PutResult = { status: 'new' | 'refetch' | 'duplicate'; id: string };

const PUT_LUA = `
-- KEYS: 1 msg hash, 2 byMessageId, 3 byUid, 4 all zset
-- ARGV: 1 id, 2 message-id ('' none), 3 uid key ('' none), 4 sealed raw, 5 meta, 6 score
if ARGV[3] ~= '' then
  local seen = redis.call('HGET', KEYS[3], ARGV[3])
  if seen then return {'refetch', seen} end
end
if ARGV[2] ~= '' then
  local first = redis.call('HGET', KEYS[2], ARGV[2])
  if first then
    if ARGV[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[3], first) end
    return {'duplicate', first}
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  if ARGV[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[3], ARGV[1]) end
  return {'duplicate', ARGV[1]}
end
redis.call('HSET', KEYS[1], 'raw', ARGV[4], 'meta', ARGV[5], 'state', 'stored')
if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], ARGV[2], ARGV[1]) end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[3], ARGV[1]) end
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
return {'new', ARGV[1]}
`;

type PutFn = (n: number, ...args: (string | Buffer)[]) => Promise<string[]>;

export class MessageStore {
  private readonly putScript: PutFn;

  constructor(private readonly redis: Redis, private readonly keys: DeskKeys, private readonly box: SecretBox) {
    if (!(redis as unknown as { ldPutMessage?: PutFn }).ldPutMessage) {
      redis.defineCommand('ldPutMessage', { lua: PUT_LUA });
    }
    this.putScript = (redis as unknown as { ldPutMessage: PutFn }).ldPutMessage.bind(redis);
  }

  /** The id of a message: a hash of its bytes (or of its metadata when too large to fetch). */
  static idOf(raw: Buffer | undefined, meta: MessageMeta): string {
    const h = createHash('sha256');
    if (raw) h.update(raw);
    else h.update(`too-large:${meta.uidValidity}:${meta.uid}:${meta.messageId ?? ''}:${meta.size}`);
    return h.digest('hex').slice(0, 32);
  }

  async put(raw: Buffer | undefined, meta: MessageMeta): Promise<PutResult> {
    const id = MessageStore.idOf(raw, meta);
    const uidKey = meta.uidValidity && meta.uid !== undefined ? `${meta.uidValidity}:${meta.uid}` : '';
    const res = await this.putScript(
      4,
      this.keys.message(id), this.keys.messageIds(), this.keys.messageUids(), this.keys.messages(),
      id, normaliseMessageId(meta.messageId), uidKey,
      raw ? this.box.seal(raw) : Buffer.alloc(0),
      JSON.stringify(meta), String(Date.parse(meta.receivedAt)),
    );
    return { status: res[0] as PutResult['status'], id: String(res[1]) };
  }

  async knowsUid(uidValidity: string, uid: number): Promise<string | null> {
    return this.redis.hget(this.keys.messageUids(), `${uidValidity}:${uid}`);
  }

  /** A message's metadata alone, without loading (or decrypting) its body. */
  async meta(id: string): Promise<MessageMeta | undefined> {
    const meta = await this.redis.hget(this.keys.message(id), 'meta');
    return meta ? (JSON.parse(meta) as MessageMeta) : undefined;
  }

  async get(id: string): Promise<StoredMessage | undefined> {
    const key = this.keys.message(id);
    const [raw, meta, state, outcome, released] = await Promise.all([
      this.redis.hgetBuffer(key, 'raw'),
      this.redis.hget(key, 'meta'),
      this.redis.hget(key, 'state'),
      this.redis.hget(key, 'outcome'),
      this.redis.hget(key, 'released'),
    ]);
    if (!meta) return undefined;
    return {
      id,
      meta: JSON.parse(meta) as MessageMeta,
      state: (state ?? 'stored') as MessageState,
      raw: raw && raw.length > 0 ? this.box.open(raw) : undefined,
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

  /** Marks a message done, with what became of it (kept for reps and audits). */
  async finish(id: string, state: MessageState, outcome: string, at: Date): Promise<void> {
    const multi = this.redis.multi().hset(this.keys.message(id), 'state', state, 'outcome', outcome, 'finishedAt', at.toISOString());
    if (state === 'quarantined') {
      multi.zadd(this.keys.quarantine(), String(at.getTime()), id);
      // Only the ingester speaks IMAP: it moves the mail to the Quarantine folder on its next pass.
      const meta = await this.redis.hget(this.keys.message(id), 'meta');
      const messageId = meta ? (JSON.parse(meta) as MessageMeta).messageId : undefined;
      if (messageId) multi.sadd(this.keys.quarantineMoves(), messageId);
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
