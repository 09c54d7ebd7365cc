/**
 * AES-256-GCM and SHA-256 over whole partner mails (up to 25 MB) one slice
 * per turn of the event loop: node:crypto's Cipher, Decipher and Hash take
 * input piece by piece, so a multi-MB mail is sealed, opened or hashed in
 * 256 KB steps (well under a millisecond each) with the loop free between
 * them, and each result is written straight into the one Buffer that is
 * kept. In one call, sealing, hashing and opening a 4 MB mail (with the
 * concat copies around them) held the desk's loop 50–150 ms on a loaded
 * 2-core host (never over 100 ms). The bytes are exactly those of
 * one-call AES-256-GCM, so either side opens what the other sealed.
 *
 * Sealed layout (secret-box.ts): IV (12), tag (16), ciphertext.
 */
import { createCipheriv, createDecipheriv, createHash, type CipherGCM, type Hash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';

export const SLICE_BYTES = 256 * 1024;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The IV and the tag, ahead of the ciphertext. */
export const SEALED_HEAD_BYTES = IV_BYTES + TAG_BYTES;

/**
 * Seals a mail fed to it chunk by chunk (the ingester feeds it each chunk of
 * its download as it arrives) into one Buffer: `prefix` (the key id header), IV,
 * a tag slot, then the ciphertext; final() fills the tag in and returns the
 * sealed bytes. Also hashes the plain bytes (SHA-256), the message's id.
 */
export class StreamSealer {
  private readonly cipher: CipherGCM;
  private readonly hash: Hash = createHash('sha256');
  private out: Buffer;
  private at: number;
  private readonly bodyAt: number;

  constructor(key: Buffer, iv: Buffer, prefix: Buffer, expectedBytes: number) {
    this.cipher = createCipheriv('aes-256-gcm', key, iv);
    this.bodyAt = prefix.length + IV_BYTES + TAG_BYTES;
    this.out = Buffer.allocUnsafeSlow(this.bodyAt + Math.max(0, expectedBytes));
    prefix.copy(this.out, 0);
    iv.copy(this.out, prefix.length);
    this.at = this.bodyAt;
  }

  update(plain: Uint8Array): void {
    this.hash.update(plain);
    this.append(this.cipher.update(plain));
  }

  /** The sealed bytes and the SHA-256 (hex) of the plain ones. */
  final(): { sealed: Buffer; sha256: string } {
    this.append(this.cipher.final());
    this.cipher.getAuthTag().copy(this.out, this.bodyAt - TAG_BYTES);
    const sealed = this.at === this.out.length ? this.out : this.out.subarray(0, this.at);
    return { sealed, sha256: this.hash.digest('hex') };
  }

  private append(bytes: Buffer): void {
    if (this.at + bytes.length > this.out.length) {
      // More than announced: grow (rare; the caller bounds the input).
      const bigger = Buffer.allocUnsafeSlow(Math.max(this.out.length * 2, this.at + bytes.length));
      this.out.copy(bigger, 0, 0, this.at);
      this.out = bigger;
    }
    this.at += bytes.copy(this.out, this.at);
  }
}

/** Feeds `plain` to a sealer made for its length, one slice per turn of the loop; the sealed bytes. */
export async function sealInSlices(s: StreamSealer, plain: Uint8Array): Promise<Buffer> {
  for (let i = 0; i < plain.length; i += SLICE_BYTES) {
    s.update(plain.subarray(i, i + SLICE_BYTES));
    if (i + SLICE_BYTES < plain.length) await nextTurn();
  }
  return s.final().sealed;
}

/**
 * Opens IV, tag, ciphertext one slice per turn of the loop into one Buffer. The sealed bytes may come in parts
 * (as store/lua/sealedParts-1.lua returns them), which are never joined; the first holds at least the IV and the
 * tag. Throws (as Decipher.final does) when the tag does not match: nothing of a tampered mail is returned.
 */
export async function openInSlices(key: Buffer, parts: readonly Uint8Array[]): Promise<Buffer> {
  const head = parts[0];
  if (!head || head.length < SEALED_HEAD_BYTES) throw new Error('sealed bytes too short');
  const d = createDecipheriv('aes-256-gcm', key, head.subarray(0, IV_BYTES));
  d.setAuthTag(head.subarray(IV_BYTES, SEALED_HEAD_BYTES));
  const out = Buffer.allocUnsafeSlow(parts.reduce((n, p) => n + p.length, 0) - SEALED_HEAD_BYTES);
  let at = 0;
  for (const [k, part] of parts.entries()) {
    const body = k === 0 ? part.subarray(SEALED_HEAD_BYTES) : part;
    for (let i = 0; i < body.length; i += SLICE_BYTES) {
      at += d.update(body.subarray(i, i + SLICE_BYTES)).copy(out, at);
      await nextTurn();
    }
  }
  at += d.final().copy(out, at);
  return at === out.length ? out : out.subarray(0, at);
}

/** SHA-256 (hex) of `bytes`, one slice per turn of the loop. */
export async function sha256InSlices(bytes: Uint8Array): Promise<string> {
  const h = createHash('sha256');
  for (let i = 0; i < bytes.length; i += SLICE_BYTES) {
    h.update(bytes.subarray(i, i + SLICE_BYTES));
    if (i + SLICE_BYTES < bytes.length) await nextTurn();
  }
  return h.digest('hex');
}
