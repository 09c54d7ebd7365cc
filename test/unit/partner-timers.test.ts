import { describe, expect, it } from 'vitest';
import { newCaseDoc, type CaseDoc } from '../../domain/case-doc.js';
import type { RegistryCase } from '../../domain/registry-model.js';
import { SecretBox } from '../../lib/secret-box.js';
import { readStatusToken, statusToken, statusUrl } from '../../mail/status-link.js';
import { abandonStep, partnerRound, partnerTimersDue, reminderStep } from '../../workflows/partner-timers.js';

const now = new Date('2026-12-07T10:00:00Z');
const opened: RegistryCase = {
  number: '100123',
  partnerId: 'P-100',
  systemKey: 'SYS-0002',
  program: 'altigen',
  openedAt: now.toISOString(),
};
function waiting(messages = 1, over: Partial<CaseDoc> = {}): CaseDoc {
  const doc = newCaseDoc({ ...opened, at: now });
  return {
    ...doc,
    state: 'waiting-partner',
    messageCount: messages,
    replyTo: 'ops@acme.example',
    findings: [
      { rule: 'ALT-6', outcome: 'fail', message: 'We have not received the Credit Card Authorization', fixable: true },
    ],
    card: { last4: '1111', token: 'tok_x' },
    ...over,
  };
}

describe('DSK-10 reminder and closing, decided in pure code', () => {
  it('DSK-10 the round is the number of mails the case had; its timers are due reminder days and abandon days after', () => {
    expect(partnerRound(undefined)).toBe(0);
    expect(partnerRound(waiting(3))).toBe(3);
    const due = partnerTimersDue(now.toISOString(), { reminderDays: 3, abandonDays: 14 });
    expect(due.reminderAt.toISOString()).toBe('2026-12-10T10:00:00.000Z');
    expect(due.abandonAt.toISOString()).toBe('2026-12-21T10:00:00.000Z');
  });

  it('DSK-10 a reminder mails the forms still needed, and does nothing once the partner wrote or the case moved on', () => {
    const step = reminderStep(waiting(1), 1, '2026-12-21T10:00:00.000Z');
    if ('skip' in step) throw new Error(step.skip);
    expect(step.effects).toEqual([
      expect.objectContaining({ type: 'mail', kind: 'reminder', to: 'partner', step: 'round-1' }),
    ]);
    const data = (step.effects[0] as { data: Record<string, unknown> }).data;
    expect(data.replyForms).toEqual([{ formId: 'card-authorization/v1', failed: [] }]);
    expect(reminderStep(waiting(2), 1, '')).toEqual({ skip: 'not due (the partner wrote since)' });
    expect(reminderStep(waiting(1, { state: 'held' }), 1, '')).toEqual({ skip: 'not due (case is held)' });
    expect(reminderStep(undefined, 0, '')).toEqual({ skip: 'not due (case is new)' });
  });

  it('DSK-10 closing a waiting case: closed, its card reference gone, its timers dropped, case-closed to the partner', () => {
    const step = abandonStep(waiting(1), undefined, 1, undefined, 14, now);
    if ('skip' in step) throw new Error(step.skip);
    expect(step.doc.state).toBe('closed');
    expect(step.doc.card).toBeUndefined();
    expect(step.effects.map((e) => (e.type === 'mail' ? e.kind : e.type))).toEqual([
      'cancel-deadlines',
      'cancel-partner-timers',
      'case-closed',
    ]);
    expect(abandonStep(waiting(2), undefined, 1, undefined, 14, now)).toEqual({
      skip: 'not due (the partner wrote since)',
    });
    expect(abandonStep(waiting(1, { state: 'approved' }), undefined, 1, undefined, 14, now)).toEqual({
      skip: 'not due (case is approved)',
    });
  });

  it('DSK-10 a case opened and never used is closed the same way, mailed to the contact who opened it', () => {
    const step = abandonStep(undefined, opened, 0, 'ops@acme.example', 14, now);
    if ('skip' in step) throw new Error(step.skip);
    expect(step.doc).toMatchObject({ number: '100123', state: 'closed', replyTo: 'ops@acme.example', messages: [] });
    expect(abandonStep(undefined, undefined, 0, undefined, 14, now)).toEqual({ skip: 'no such case' });
  });
});

describe('the status link', () => {
  const box = new SecretBox('test-secret-0123456789abcdef');
  it('DSK-12 is bound to its case and its recipient; any change is refused', () => {
    const token = statusToken(box, '100123', 'Ops@Acme.example');
    expect(readStatusToken(box, token)).toEqual({ caseNumber: '100123', address: 'ops@acme.example' });
    const [n, a, sig] = token.split('.') as [string, string, string];
    expect(readStatusToken(box, `100124.${a}.${sig}`)).toBeUndefined();
    expect(readStatusToken(box, `${n}.${Buffer.from('x@y.example').toString('base64url')}.${sig}`)).toBeUndefined();
    expect(readStatusToken(box, `${n}.${a}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(readStatusToken(box, `${n}.${a}.${sig}x`)).toBeUndefined();
    expect(readStatusToken(new SecretBox('another-secret-0123456789'), token)).toBeUndefined();
    expect(statusUrl(box, { httpPort: 8080 }, '100123', 'ops@acme.example')).toBe(
      `http://127.0.0.1:8080/status/${token}`,
    );
  });

  it('DSK-12 a link signed before a secret rotation still works while the old secret is given', () => {
    const old = new SecretBox('old-secret-0123456789abcdef');
    const token = statusToken(old, '100123', 'ops@acme.example');
    expect(readStatusToken(new SecretBox('new-secret-0123456789abcdef', 'old-secret-0123456789abcdef'), token)).toEqual(
      {
        caseNumber: '100123',
        address: 'ops@acme.example',
      },
    );
  });
});
