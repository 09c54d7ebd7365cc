/**
 * The desk's keys, all derived from LICENSEDESK_SECRET with HKDF (node:crypto):
 * one key seals stored mail (AES-256-GCM), one signs the desk's Message-IDs and
 * one makes card tokens, so a token or a signature never helps against
 * another use. The secret lives only in the environment of the desk's
 * processes, never in Redis beside what it seals.
 *
 * Sealed data names the key that sealed it (`ld1.<key id>.` then IV, tag,
 * ciphertext), so data sealed under LICENSEDESK_SECRET_PREVIOUS is still read
 * while that secret is given and `secret rotate` finds what to re-seal. Data
 * sealed before key ids existed (no prefix) is read with the old derivation.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { errors } from './errors.js';
import { openInSlices, SEALED_HEAD_BYTES, sealInSlices, StreamSealer } from './sliced-crypto.js';

const SALT = 'licensedesk';
const derive = (secret: string, info: string) => Buffer.from(hkdfSync('sha256', secret, SALT, info, 32));
const SEALED_PREFIX = 'ld1.';
/** `ld1.` + 11-character key id + `.` */
const HEADER_LEN = SEALED_PREFIX.length + 11 + 1;

interface KeySet {
  /** Short public name of the secret (HKDF output, reveals nothing of it). */
  id: string;
  seal: Buffer;
  messageId: Buffer;
  cardToken: Buffer;
  /** Keys of the single-key desk before key ids: unprefixed sealed mail and old Message-IDs. */
  /** Signs the reps' console session cookies. */
  consoleSession: Buffer;
  /** Signs partners' status links (DSK-12's page a partner follows its case on). */
  statusLink: Buffer;
  legacySeal: Buffer;
  legacySign: Buffer;
}

function keySet(secret: string): KeySet {
  return {
    id: derive(secret, 'key-id/v1').toString('base64url').slice(0, 11),
    seal: derive(secret, 'seal-mail/v1'),
    messageId: derive(secret, 'sign-message-id/v1'),
    cardToken: derive(secret, 'card-token/v1'),
    consoleSession: derive(secret, 'console-session/v1'),
    statusLink: derive(secret, 'status-link/v1'),
    legacySeal: derive(secret, 'message-store'),
    legacySign: derive(secret, 'signing'),
  };
}

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest('base64url');

/** Equal-length, constant-time string comparison (a length mismatch is not secret). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SecretBox {
  private readonly current?: KeySet;
  private readonly previous?: KeySet;

  /** Without a secret the box exists (commands that never seal still run) but every use fails naming it. */
  constructor(secret: string | undefined, previousSecret?: string) {
    this.current = secret ? keySet(secret) : undefined;
    this.previous = previousSecret && previousSecret !== secret ? keySet(previousSecret) : undefined;
  }

  private keys(): KeySet {
    if (!this.current) {
      throw errors.E_CONFIG_INVALID(
        'LICENSEDESK_SECRET is not set; the desk seals stored mail and signs its Message-IDs with it (e.g. `export LICENSEDESK_SECRET=$(openssl rand -base64 32)`, the same on every process)',
      );
    }
    return this.current;
  }

  /** Key sets tried when reading or verifying: the current one first. */
  private all(): KeySet[] {
    return this.previous ? [this.keys(), this.previous] : [this.keys()];
  }

  get keyId(): string {
    return this.keys().id;
  }
  get previousKeyId(): string | undefined {
    return this.previous?.id;
  }

  seal(plain: Buffer): Buffer {
    const k = this.keys();
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', k.seal, iv);
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([Buffer.from(`${SEALED_PREFIX}${k.id}.`), iv, c.getAuthTag(), body]);
  }

  /**
   * seal() of a whole partner mail one slice per turn of the event loop
   * (sliced-crypto.ts): the same bytes, written straight into the one Buffer
   * that is stored.
   */
  sealInTurns(plain: Uint8Array): Promise<Buffer> {
    return sealInSlices(this.sealer(plain.length), plain);
  }

  /** Seals a mail fed chunk by chunk (sliced-crypto.ts StreamSealer); final() gives what seal() would, and the id's hash. */
  sealer(expectedBytes: number): StreamSealer {
    const k = this.keys();
    return new StreamSealer(k.seal, randomBytes(12), Buffer.from(`${SEALED_PREFIX}${k.id}.`, 'latin1'), expectedBytes);
  }

  /** open() of a whole partner mail one slice per turn of the event loop; sealed values from before key ids are opened as open() does. */
  openInTurns(sealed: Buffer): Promise<Buffer> {
    return this.openPartsInTurns([sealed]);
  }

  /**
   * openInTurns for a sealed value given in parts (store/lua/sealedParts-1.lua), which are never joined: a
   * 20 MB mail is not copied into one Buffer on the event loop before it is opened.
   */
  async openPartsInTurns(given: readonly Buffer[]): Promise<Buffer> {
    // A first part too short for the header, IV and tag (never one of sealedParts' 1 MiB parts) is joined with the rest.
    const parts =
      given.length > 1 && given[0]!.length < HEADER_LEN + SEALED_HEAD_BYTES ? [Buffer.concat(given)] : given;
    const head = parts[0];
    if (!head) throw new Error('nothing to open');
    const id = SecretBox.keyIdOf(head);
    const k = id === 'legacy' ? undefined : this.all().find((s) => s.id === id);
    // Sealed before key ids, or under a key this box does not hold: as open() does (it throws, naming the key id).
    if (!k) return this.open(parts.length === 1 ? head : Buffer.concat(parts));
    return openInSlices(k.seal, [head.subarray(HEADER_LEN), ...parts.slice(1)]);
  }

  /** The key id a sealed value names, or 'legacy' for one sealed before key ids. */
  static keyIdOf(sealed: Buffer): string {
    const head = sealed.subarray(0, HEADER_LEN).toString('latin1');
    return head.startsWith(SEALED_PREFIX) && head.endsWith('.') ? head.slice(SEALED_PREFIX.length, -1) : 'legacy';
  }

  /** True when `sealed` is already under the current secret (rotation skips it). */
  isCurrent(sealed: Buffer): boolean {
    return SecretBox.keyIdOf(sealed) === this.keys().id;
  }

  /** Can this box open `sealed` at all (its key is current or previous)? */
  canOpen(sealed: Buffer): boolean {
    const id = SecretBox.keyIdOf(sealed);
    if (id === 'legacy') return true; // only trying tells
    return this.all().some((k) => k.id === id);
  }

  open(sealed: Buffer): Buffer {
    const id = SecretBox.keyIdOf(sealed);
    if (id !== 'legacy') {
      const k = this.all().find((s) => s.id === id);
      if (!k) {
        throw errors.E_CONFIG_INVALID(
          `stored data is sealed under a secret that is neither LICENSEDESK_SECRET nor LICENSEDESK_SECRET_PREVIOUS (key id ${id})`,
        );
      }
      return decrypt(k.seal, sealed.subarray(HEADER_LEN));
    }
    let last: unknown;
    for (const k of this.all()) {
      try {
        return decrypt(k.legacySeal, sealed);
      } catch (e) {
        last = e;
      }
    }
    throw last instanceof Error ? last : new Error('cannot open sealed data');
  }

  /** The signature a desk Message-ID carries for `mailId`, under the current secret. */
  signMessageId(mailId: string, length = 12): string {
    return hmac(this.keys().messageId, mailId).slice(0, length);
  }

  /** True when `signature` was made for `mailId` under the current or previous secret (or their pre-key-id signing key). */
  verifyMessageId(mailId: string, signature: string): boolean {
    let ok = false;
    // Every candidate is compared, so the time taken does not tell which key matched.
    for (const k of this.all()) {
      for (const key of [k.messageId, k.legacySign]) {
        if (sameText(hmac(key, mailId).slice(0, signature.length), signature)) ok = true;
      }
    }
    return ok && signature.length >= 12;
  }

  /** The key the console signs its session cookies with (its own: never a Message-ID or card key). */
  sessionSecret(): string {
    return this.keys().consoleSession.toString('base64url');
  }

  /** The signature of a status link's text, under the current secret (its own key: never a Message-ID's). */
  signStatusLink(text: string): string {
    return hmac(this.keys().statusLink, `status:${text}`).slice(0, 32);
  }

  /** True when `signature` was made for `text` under the current or previous secret; every key is compared, in constant time. */
  verifyStatusLink(text: string, signature: string): boolean {
    let ok = false;
    for (const k of this.all()) {
      if (sameText(hmac(k.statusLink, `status:${text}`).slice(0, 32), signature.padEnd(32, '\0').slice(0, 32)))
        ok = true;
    }
    return ok && signature.length === 32;
  }

  /** Opaque, stable token for a card number (its own key: never a Message-ID signature). */
  cardToken(digits: string): string {
    return `tok_${hmac(this.keys().cardToken, `card:${digits}`).slice(0, 24)}`;
  }
}

function decrypt(key: Buffer, sealed: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  d.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
}
