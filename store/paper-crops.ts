/**
 * The images of the boxes of a form read from paper (DSK-9), kept for the rep
 * who confirms what was read: sealed like stored mail, one hash a case (a
 * field a form), gone after PAPER_CROPS_DAYS. Never a card field's box: the
 * reader does not cut those out for anyone (DSK-5).
 */
import type { Redis } from 'ioredis';
import type { DeskKeys } from './keys.js';
import type { SecretBox } from '../lib/secret-box.js';

/** How long a case's box images are kept (a held case is decided well within it). */
export const PAPER_CROPS_DAYS = 30;

export class PaperCrops {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
    private readonly box: SecretBox,
  ) {}

  /** Keeps the crops (field name → PNG, base64) of one form of a case, replacing that form's earlier ones. */
  async put(caseNumber: string, formId: string, crops: Record<string, string>): Promise<void> {
    if (Object.keys(crops).length === 0) return;
    const key = this.keys.paperCrops(caseNumber);
    await this.redis
      .multi()
      .hset(key, formId, this.box.seal(Buffer.from(JSON.stringify(crops), 'utf8')))
      .expire(key, PAPER_CROPS_DAYS * 86_400)
      .exec();
  }

  /** The PNG of one field's box, or undefined. */
  async get(caseNumber: string, formId: string, field: string): Promise<Buffer | undefined> {
    const sealed = await this.redis.hgetBuffer(this.keys.paperCrops(caseNumber), formId);
    if (!sealed) return undefined;
    const crops = JSON.parse(this.box.open(sealed).toString('utf8')) as Record<string, unknown>;
    const b64 = Object.prototype.hasOwnProperty.call(crops, field) ? crops[field] : undefined;
    return typeof b64 === 'string' ? Buffer.from(b64, 'base64') : undefined;
  }
}
