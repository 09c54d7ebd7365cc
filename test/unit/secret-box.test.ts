/**
 * The desk's keys: sealed mail names its key; data sealed under the
 * previous secret, or before key ids existed, is still read; Message-IDs
 * signed under the previous secret still verify, forged ones never; the card
 * token and the Message-ID signature come from different keys.
 */
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256InSlices, SLICE_BYTES } from '../../lib/sliced-crypto.js';
import { SecretBox } from '../../lib/secret-box.js';
import { MessageStore } from '../../store/message-store.js';
import { caseFromDeskMessageId, deskMessageId } from '../../mail/message-id.js';

const A = 'unit-secret-A-0123456789';
const B = 'unit-secret-B-9876543210';

/** What the desk sealed before key ids: AES-256-GCM under HKDF(secret, 'licensedesk', 'message-store'), no prefix. */
function legacySeal(secret: string, plain: Buffer): Buffer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'licensedesk', 'message-store', 32));
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

describe('SecretBox', () => {
  it('seals under a named key and opens it again; another secret cannot', () => {
    const a = new SecretBox(A);
    const sealed = a.seal(Buffer.from('partner mail'));
    expect(SecretBox.keyIdOf(sealed)).toBe(a.keyId);
    expect(a.open(sealed).toString()).toBe('partner mail');
    expect(sealed.includes(Buffer.from('partner mail'))).toBe(false);
    expect(() => new SecretBox(B).open(sealed)).toThrow(/E_CONFIG_INVALID/);
  });

  it('reads what the previous secret sealed, and legacy (unprefixed) data, while the previous secret is given', () => {
    const old = new SecretBox(A).seal(Buffer.from('old mail'));
    const rotated = new SecretBox(B, A);
    expect(rotated.isCurrent(old)).toBe(false);
    expect(rotated.open(old).toString()).toBe('old mail');
    expect(rotated.isCurrent(rotated.seal(Buffer.from('x')))).toBe(true);
    const legacy = legacySeal(A, Buffer.from('legacy mail'));
    expect(SecretBox.keyIdOf(legacy)).toBe('legacy');
    expect(rotated.open(legacy).toString()).toBe('legacy mail');
    expect(() => new SecretBox(B).open(legacy)).toThrow();
  });

  it('Message-IDs signed under the previous secret are recognised while it is given; forged or truncated signatures never', () => {
    const idA = deskMessageId(new SecretBox(A), 'case.123456.transferred.cycle-1', 'desk@desk.test');
    expect(caseFromDeskMessageId(new SecretBox(B, A), idA)).toBe('123456');
    expect(caseFromDeskMessageId(new SecretBox(B), idA)).toBeUndefined();
    const forged = idA.replace(
      /\.([A-Za-z0-9_-]{12})@/,
      (_, s: string) => `.${s.slice(0, 11)}${s[11] === 'A' ? 'B' : 'A'}@`,
    );
    expect(caseFromDeskMessageId(new SecretBox(A), forged)).toBeUndefined();
    expect(new SecretBox(A).verifyMessageId('case.123456.x', '')).toBe(false);
  });

  it('card tokens and Message-ID signatures come from separate keys', () => {
    const box = new SecretBox(A);
    const token = box.cardToken('4111111111111111').slice(4);
    expect(token).toHaveLength(24);
    expect(box.signMessageId('card:4111111111111111', 24)).not.toBe(token);
    expect(new SecretBox(A).cardToken('4111111111111111')).toBe(box.cardToken('4111111111111111'));
  });

  it('without a secret every use fails naming LICENSEDESK_SECRET', () => {
    const none = new SecretBox(undefined);
    expect(() => none.seal(Buffer.from('x'))).toThrow(/LICENSEDESK_SECRET/);
    expect(() => none.signMessageId('x')).toThrow(/LICENSEDESK_SECRET/);
  });
});

describe('sealing whole mails one slice per turn of the event loop', () => {
  const box = new SecretBox('sliced-secret-0123456789');
  // Not a whole number of slices, so the last slice is a short one.
  const mail = Buffer.concat([Buffer.from('Subject: Case 100001\r\n\r\n'), randomBytes(12 * SLICE_BYTES + 17)]);

  it('sealInTurns, sealer and seal make values every opener opens, byte for byte', async () => {
    const inTurns = await box.sealInTurns(mail);
    expect(box.open(inTurns).equals(mail)).toBe(true);
    expect((await box.openInTurns(box.seal(mail))).equals(mail)).toBe(true);
    expect(inTurns.length).toBe(box.seal(mail).length);
    expect(SecretBox.keyIdOf(inTurns)).toBe(box.keyId);
    // As the ingester seals a download: chunks of any size, an announced size that is wrong (too small here).
    const s = box.sealer(1000);
    for (let i = 0; i < mail.length; i += 100_000) s.update(mail.subarray(i, i + 100_000));
    const { sealed, sha256 } = s.final();
    expect((await box.openInTurns(sealed)).equals(mail)).toBe(true);
    expect(box.open(sealed).equals(mail)).toBe(true);
    expect(sha256.slice(0, 32)).toBe(
      MessageStore.idOf(mail, { size: mail.length, receivedAt: new Date(0).toISOString() }),
    );
  });

  it('openInTurns refuses a value whose ciphertext was changed, and one sealed under an unknown secret', async () => {
    const sealed = await box.sealInTurns(mail);
    sealed.writeUInt8(sealed.readUInt8(sealed.length - 1) ^ 1, sealed.length - 1);
    await expect(box.openInTurns(sealed)).rejects.toThrow();
    await expect(new SecretBox('another-secret-0123456789').openInTurns(await box.sealInTurns(mail))).rejects.toThrow(
      /E_CONFIG_INVALID|neither/,
    );
  });

  it('openPartsInTurns opens a sealed value given in parts of any size, never joined, and refuses a changed one', async () => {
    const sealed = await box.sealInTurns(mail);
    for (const size of [64, 1000, SLICE_BYTES, SLICE_BYTES * 5 + 3, sealed.length]) {
      const parts: Buffer[] = [];
      for (let i = 0; i < sealed.length; i += size) parts.push(sealed.subarray(i, i + size));
      expect((await box.openPartsInTurns(parts)).equals(mail), `parts of ${size}`).toBe(true);
    }
    const changed = Buffer.from(sealed);
    changed.writeUInt8(changed.readUInt8(changed.length - 1) ^ 1, changed.length - 1);
    await expect(box.openPartsInTurns([changed.subarray(0, 100_000), changed.subarray(100_000)])).rejects.toThrow();
  });

  it('a message id is the same hash whether taken in one call or in slices', async () => {
    expect((await sha256InSlices(mail)).slice(0, 32)).toBe(
      MessageStore.idOf(mail, { size: mail.length, receivedAt: new Date(0).toISOString() }),
    );
  });

  it('yields to the event loop between slices: a callback queued before a mail is sealed (and opened) runs before that ends', async () => {
    // Done in one call, the work would end (and its promise resolve, a microtask) before any queued callback ran.
    let ran = false;
    setImmediate(() => (ran = true));
    const sealed = await box.sealInTurns(mail);
    expect(ran).toBe(true);
    ran = false;
    setImmediate(() => (ran = true));
    await box.openInTurns(sealed);
    expect(ran).toBe(true);
  });
});
