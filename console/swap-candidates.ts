/**
 * SWP-4 holds: the FK/SID the partner typed and the partner's FK/SIDs one
 * typing slip away from it (near-miss.ts decides "one slip", as review did),
 * so a rep can say which one was meant.
 */
import { nearMisses } from '../domain/avaya-swap/near-miss.js';
import { normalKey, partnerSwapSystems } from '../domain/avaya-swap/lookup.js';
import type { DeskContext } from '../lib/desk-context.js';
import type { CaseDoc } from '../store/case-doc.js';

export interface Swp4Question {
  role: 'FROM' | 'TO';
  /** As the form says (both entries agreed). */
  typed: string;
  /** `typed` first, then its near misses. */
  options: string[];
}

export async function swp4Candidates(ctx: DeskContext, doc: CaseDoc): Promise<Swp4Question[]> {
  if (doc.program !== 'avaya-swap' || doc.state !== 'held' || !doc.findings.some((f) => f.rule === 'SWP-4' && f.outcome === 'hold')) return [];
  const form = doc.forms['swap-request/v1'];
  if (!form) return [];
  const snap = await ctx.registry.snapshotForPartner(doc.partnerId);
  const keys = partnerSwapSystems(snap, doc.partnerId).map((s) => s.key);
  const out: Swp4Question[] = [];
  for (const [role, typed] of [['FROM', form.fromFkSid], ['TO', form.toFkSid]] as const) {
    if (!typed) continue;
    const near = nearMisses(typed, keys.filter((k) => normalKey(k) !== normalKey(typed)));
    if (near.length > 0) out.push({ role, typed, options: [typed, ...near] });
  }
  return out;
}

export const sameFk = (a: string, b: string): boolean => normalKey(a) === normalKey(b);
