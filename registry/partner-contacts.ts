/**
 * The partners that list an address among their contacts. Partners are few
 * (one per reseller), so their documents are read whole rather than kept
 * in a second index that every import would have to rebuild.
 */
import type { Redis } from 'ioredis';
import type { DeskKeys } from '../store/keys.js';
import type { Partner } from '../domain/registry-model.js';

export async function partnersOfContact(redis: Redis, keys: DeskKeys, address: string): Promise<string[]> {
  const wanted = address.trim().toLowerCase();
  const docs = await redis.hvals(keys.regDoc('partners'));
  const out: string[] = [];
  for (const json of docs) {
    const p = JSON.parse(json) as Partner;
    if (p.contacts.some((c) => c.toLowerCase() === wanted)) out.push(p.id);
  }
  return out;
}
