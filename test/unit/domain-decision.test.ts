import { describe, expect, it } from 'vitest';
import { decide } from '../../domain/decision.js';
import { finalFail, fixableFail, hold, info, pass, type Finding } from '../../domain/finding.js';

const P = pass('ALT-1', 'ok');
const I = info('ALT-4', 'fee');
const H = hold('ALT-5', 'model differs');
const FX = fixableFail('ALT-6', 'card form missing', 'send it');
const FN = finalFail('ALT-2', 'different end users');

describe('DSK-6 decision precedence: reject > incomplete > hold > move', () => {
  it.each([
    ['no findings', [], 'move'],
    ['only passes and info', [P, I], 'move'],
    ['a hold', [P, H], 'hold'],
    ['a fixable fail', [P, FX], 'incomplete'],
    ['a fixable fail beats a hold', [H, FX], 'incomplete'],
    ['a non-fixable fail', [P, FN], 'reject'],
    ['a non-fixable fail beats a fixable fail and a hold', [H, FX, FN, P], 'reject'],
    [
      'a fail without fixable counts as non-fixable',
      [{ rule: 'X-1', outcome: 'fail', message: 'm' } as Finding],
      'reject',
    ],
  ] as [string, Finding[], string][])('DSK-6 %s → %s', (_t, findings, want) => {
    expect(decide(findings).outcome).toBe(want);
  });

  it('DSK-6 reasons: reject lists every fail, final ones first', () => {
    expect(decide([P, FX, H, FN]).reasons).toEqual([FN, FX]);
  });
  it('DSK-6 reasons: incomplete lists the fixable fails (what to send)', () => {
    expect(decide([P, FX, H]).reasons).toEqual([FX]);
  });
  it('DSK-6 reasons: hold lists what the rep decides; move lists none', () => {
    expect(decide([P, H]).reasons).toEqual([H]);
    expect(decide([P, I]).reasons).toEqual([]);
  });
  it('DSK-6 decide does not change its input', () => {
    const fs = [FN, FX];
    decide(fs);
    expect(fs).toEqual([FN, FX]);
  });
});
