/**
 * Signature comparison in constant time: `!==` stops at the first differing
 * character, so its timing tells an attacker how much of a forged signature
 * is right. Lengths are not secret (they are fixed per use).
 */
import { timingSafeEqual } from 'node:crypto';

export function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
