/**
 * `licensedesk secret rotate`: every stored message sealed under
 * LICENSEDESK_SECRET_PREVIOUS (or before key ids existed) is opened and sealed
 * again under LICENSEDESK_SECRET. Each message is swapped only if its sealed
 * bytes are still the ones read (a Lua compare-and-set), so a run beside a
 * working desk, a second run, or a run after an interrupted one is safe: what
 * is current already is skipped and counted.
 */
import type { Redis } from 'ioredis';
import { SecretBox } from '../lib/secret-box.js';
import type { DeskKeys } from './keys.js';
import { runLua } from './lua-scripts.js';

export interface ResealCounts {
  /** Messages looked at. */
  messages: number;
  resealed: number;
  alreadyCurrent: number;
  /** No sealed body (too large to fetch, or already deleted by retention). */
  withoutBody: number;
  /** Sealed under a secret that is neither current nor previous: left as they are. */
  unreadable: number;
  /** The secret older desks generated and kept in Redis was deleted (nothing needs it any more). */
  legacySecretRemoved: boolean;
}

export async function resealMessages(redis: Redis, keys: DeskKeys, box: SecretBox): Promise<ResealCounts> {
  const swap = async (key: string, old: Buffer, next: Buffer) =>
    Number(await runLua(redis, 'swapSealed', [key], [old, next])) === 1;
  const counts: ResealCounts = {
    messages: 0,
    resealed: 0,
    alreadyCurrent: 0,
    withoutBody: 0,
    unreadable: 0,
    legacySecretRemoved: false,
  };
  let cursor = '0';
  do {
    const [next, entries] = await redis.zscan(keys.messages(), cursor, 'COUNT', 200);
    cursor = next;
    for (let i = 0; i < entries.length; i += 2) {
      const key = keys.message(entries[i]!);
      counts.messages++;
      for (let attempt = 0; ; attempt++) {
        const sealed = await redis.hgetBuffer(key, 'raw');
        if (!sealed || sealed.length === 0) {
          counts.withoutBody++;
          break;
        }
        if (box.isCurrent(sealed)) {
          counts.alreadyCurrent++;
          break;
        }
        let plain: Buffer;
        try {
          plain = box.open(sealed);
        } catch {
          counts.unreadable++;
          break;
        }
        if (await swap(key, sealed, box.seal(plain))) {
          counts.resealed++;
          break;
        }
        if (attempt > 5) {
          counts.unreadable++;
          break;
        } // changing under us all the time: leave it to the next run
      }
    }
  } while (cursor !== '0');
  if (counts.unreadable === 0) counts.legacySecretRemoved = (await redis.del(`${keys.tag}:secret`)) > 0;
  return counts;
}
