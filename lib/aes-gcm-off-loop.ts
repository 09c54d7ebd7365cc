/**
 * AES-256-GCM and SHA-256 of whole partner mails (up to 25 MB) off the desk's
 * event loop: WebCrypto (node:crypto's `webcrypto.subtle`) runs each
 * operation on libuv's thread pool, so the loop only copies the bytes in and
 * out. node:crypto's Cipher and Hash run on the calling thread: sealing,
 * hashing and opening a 4 MB mail there held the loop for 50–150 ms on a
 * loaded 2-core host (issue 10: never over 100 ms). The bytes are the same
 * as node:crypto's AES-256-GCM, so either side opens what the other sealed.
 */
import { webcrypto } from 'node:crypto';

const { subtle } = webcrypto;
const TAG_BYTES = 16;

/** One imported key per raw key (importKey is itself asynchronous, so it is done once). */
const imported = new WeakMap<Buffer, Promise<webcrypto.CryptoKey>>();

function aesKey(raw: Buffer): Promise<webcrypto.CryptoKey> {
  let k = imported.get(raw);
  if (!k) {
    k = subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    imported.set(raw, k);
  }
  return k;
}

/**
 * Encrypts `plain` into `out` at `at`: the 16-byte tag first, then the
 * ciphertext (the layout secret-box.ts has always sealed with: IV, tag, body).
 * The thread pool returns ciphertext then tag, so the body is copied once into
 * place: one memcpy on the loop, the cipher off it.
 */
export async function encryptInto(key: Buffer, iv: Buffer, plain: Uint8Array, out: Buffer, at: number): Promise<void> {
  const sealed = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, tagLength: TAG_BYTES * 8 }, await aesKey(key), plain));
  const body = sealed.length - TAG_BYTES;
  out.set(sealed.subarray(body), at);
  out.set(sealed.subarray(0, body), at + TAG_BYTES);
}

/**
 * Decrypts a sealed body laid out as IV (12), tag (16), ciphertext. WebCrypto
 * wants ciphertext then tag, so that is assembled with one copy; the plain
 * text comes back in its own ArrayBuffer, used as it is (no further copy).
 * Rejects (OperationError) when the tag does not match.
 */
export async function decryptSealed(key: Buffer, sealed: Uint8Array): Promise<Buffer> {
  const iv = sealed.subarray(0, 12);
  const tag = sealed.subarray(12, 12 + TAG_BYTES);
  const body = sealed.subarray(12 + TAG_BYTES);
  const joined = Buffer.allocUnsafeSlow(body.length + TAG_BYTES);
  joined.set(body, 0);
  joined.set(tag, body.length);
  const plain = await subtle.decrypt({ name: 'AES-GCM', iv, tagLength: TAG_BYTES * 8 }, await aesKey(key), joined);
  return Buffer.from(plain);
}

/** SHA-256 of `bytes`, hex, computed on the thread pool. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return Buffer.from(await subtle.digest('SHA-256', bytes)).toString('hex');
}
