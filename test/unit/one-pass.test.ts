import { describe, expect, it } from 'vitest';
import type { Effect } from '../../domain/effects.js';
import { passEffects } from '../../workflows/one-pass.js';

const mail = (kind: string): Effect => ({ type: 'mail', kind: kind as never, to: 'partner', step: 's', data: {} });

describe('one pass (intake, review and the move in one commit)', () => {
  it('ALT-8 a review that schedules the deadline timers and a move in the same pass that cancels them schedule none', () => {
    const lists = passEffects([
      { effects: [{ type: 'cancel-partner-timers' }, { type: 'review', reason: 'm1' }] },
      { effects: [{ type: 'schedule-deadlines' }, { type: 'transfer' }], replaces: 'review' },
      { effects: [{ type: 'cancel-deadlines' }, mail('transferred')], replaces: 'transfer' },
    ]);
    expect(lists).toEqual([[{ type: 'cancel-partner-timers' }], [], [mail('transferred')]]);
  });

  it('ALT-8 a move whose deadlines an earlier commit scheduled still cancels them', () => {
    const lists = passEffects([
      { effects: [{ type: 'transfer' }] },
      { effects: [{ type: 'cancel-deadlines' }, mail('transferred')], replaces: 'transfer' },
    ]);
    expect(lists).toEqual([[], [{ type: 'cancel-deadlines' }, mail('transferred')]]);
  });

  it('ALT-8 a held case keeps its deadline timers: nothing later in the pass cancels them', () => {
    const held: Effect[] = [{ type: 'schedule-deadlines' }, mail('rep-held')];
    const lists = passEffects([{ effects: [{ type: 'review', reason: 'm1' }] }, { effects: held, replaces: 'review' }]);
    expect(lists).toEqual([[], held]);
  });

  it('a pass that stops before the step an effect asks for keeps that effect queued', () => {
    expect(passEffects([{ effects: [{ type: 'review', reason: 'm1' }] }])).toEqual([
      [{ type: 'review', reason: 'm1' }],
    ]);
  });
});
