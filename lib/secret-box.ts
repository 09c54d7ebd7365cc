/**
 * Encryption at rest for stored mail (AES-256-GCM from node:crypto). A partner's
 * raw message contains the card form, so it is never kept readable (DSK-5).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export class SecretBox {
  private readonly key: Buffer;
  private readonly macKey: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'licensedesk', 'message-store', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', secret, 'licensedesk', 'signing', 32));
  }

  seal(plain: Buffer): Buffer {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }

  open(sealed: Buffer): Buffer {
    const d = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    d.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
  }

  /** Short keyed signature (threading Message-IDs, tokens). */
  sign(text: string, length = 16): string {
    return createHmac('sha256', this.macKey).update(text).digest('base64url').slice(0, length);
  }
}
