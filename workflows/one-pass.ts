/**
 * One pass: steps of the workflow that follow each other without waiting for
 * anything outside (a mail's intake, its review, the move) are decided one
 * after the other on the same read and committed together. Each step still
 * records its own transition (audit entry, `case.state-changed` event); what
 * changes is only which effects run. Pure.
 *
 * - A step carried out in the same pass is not also queued: the effect that
 *   asked for it (`review`, `transfer`) goes.
 * - A timer one step schedules and a later step of the pass cancels is never
 *   scheduled: the pair goes (ALT-8's warning and deadline of a case moved
 *   in the same pass as its review).
 */
import type { Effect } from '../domain/effects.js';

export interface PassLink {
  effects: readonly Effect[];
  /** The effect of the link before this one that this link carries out (it is not queued too). */
  replaces?: Effect['type'];
}

/** Timers whose scheduling a later cancel of the same pass undoes. */
const CANCELLED_BY: Partial<Record<Effect['type'], Effect['type']>> = {
  'schedule-deadlines': 'cancel-deadlines',
};

/** The effects each link of a pass runs, in order; one list a link. */
export function passEffects(links: readonly PassLink[]): Effect[][] {
  const out = links.map((l) => [...l.effects]);
  for (let i = 1; i < links.length; i++) {
    const replaced = links[i]!.replaces;
    if (replaced) out[i - 1] = out[i - 1]!.filter((e) => e.type !== replaced);
  }
  for (let i = 0; i < out.length; i++) {
    for (const e of [...out[i]!]) {
      const cancel = CANCELLED_BY[e.type];
      if (!cancel) continue;
      // The first later link that schedules or cancels the same timers decides: a cancel undoes this schedule.
      for (let j = i + 1; j < out.length; j++) {
        const later = out[j]!;
        if (later.some((x) => x.type === e.type)) break;
        const at = later.findIndex((x) => x.type === cancel);
        if (at < 0) continue;
        later.splice(at, 1);
        out[i] = out[i]!.filter((x) => x !== e);
        break;
      }
    }
  }
  return out;
}
