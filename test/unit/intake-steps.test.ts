/**
 * Intake's pure decisions, table driven, without Redis: which case a mail is
 * for (DSK-1, DSK-2), who may act on it (DSK-3), the SWAP refund answer
 * (SWP-9) and how a later mail's forms merge into a case (DSK-6).
 */
import { describe, expect, it } from 'vitest';
import { newCaseDoc, type CaseMessage } from '../../domain/case-doc.js';
import { PROGRAMS } from '../../domain/programs/index.js';
import type { RegistryCase } from '../../domain/registry-model.js';
import {
  caseNotOpen,
  checkSender,
  mergeMail,
  programAnswer,
  routeMail,
  CASE_MESSAGES_KEPT,
  type MailFacts,
  type ReadForms,
} from '../../workflows/intake-steps.js';

const program = (id: string) => PROGRAMS.find((p) => p.id === id)!;
const mail = (over: Partial<MailFacts> = {}): MailFacts => ({
  from: 'ops@partner.example',
  subject: 'Case 123456',
  messageId: '<m1@partner.example>',
  numbersInSubject: ['123456'],
  ...over,
});
const registryCase: RegistryCase = {
  number: '123456',
  partnerId: 'P-1',
  systemKey: 'SYS-2',
  program: 'altigen',
  openedAt: '2026-11-20T09:00:00Z',
};
const now = new Date('2026-11-30T10:00:00Z');
const noForms = (): ReadForms => ({ forms: {}, problems: [], discarded: [], unreadable: [], disagreements: [] });
const message = (id: string): CaseMessage => ({
  id,
  messageId: `<${id}@partner.example>`,
  from: 'ops@partner.example',
  subject: 'Case 123456',
  receivedAt: now.toISOString(),
  attachments: ['lt.pdf'],
});

describe('DSK-1 DSK-2 routing a mail to its case', () => {
  it.each([
    ['one number in the subject', mail(), { caseNumber: '123456' }],
    [
      'a signed desk thread wins over the subject',
      mail({ threadedCase: '654321', numbersInSubject: ['123456'] }),
      { caseNumber: '654321' },
    ],
    ['a signed thread and no number', mail({ threadedCase: '654321', numbersInSubject: [] }), { caseNumber: '654321' }],
  ])('DSK-1 %s', (_what, m, want) => {
    expect(routeMail(m)).toEqual(want);
  });

  it.each([
    ['no number', [], 'DSK-1: no case number', undefined],
    ['two numbers', ['111111', '222222'], 'DSK-1: several case numbers (111111, 222222)', ['111111', '222222']],
  ])('DSK-1 %s: resend instructions to the sender, nothing else', (_what, numbers, outcome, listed) => {
    const r = routeMail(mail({ numbersInSubject: numbers }));
    expect(r).toEqual({
      state: 'processed',
      outcome,
      replies: [{ kind: 'resend-instructions', to: 'sender', thread: true, data: { numbers: listed } }],
    });
  });

  it('DSK-2 a case number that is not open is answered to a registered contact with resend instructions naming it', () => {
    const r = caseNotOpen(mail(), '999999', { messageId: 'm1', knownContact: true });
    expect(r.outcome).toBe('DSK-2: case 999999 is not open');
    expect(r.replies.map((x) => [x.kind, x.to, x.data.caseNumber])).toEqual([
      ['resend-instructions', 'sender', '999999'],
    ]);
  });

  it('DSK-3 item 7: a stranger naming a case that is not open gets what a stranger naming an open case gets', () => {
    const stranger = mail({ from: 'x@evil.example' });
    const unknown = caseNotOpen(stranger, '999999', { messageId: 'm1', knownContact: false });
    const open = checkSender({
      mail: stranger,
      messageId: 'm1',
      caseNumber: '123456',
      registryCase,
      program: program('altigen'),
      partnerContacts: ['ops@partner.example'],
      programSenders: [],
    });
    if (!('replies' in open)) throw new Error('expected the stranger refused');
    const toSender = (o: typeof unknown) => o.replies.filter((x) => x.to === 'sender');
    expect(toSender(unknown)).toEqual(toSender(open));
    expect(toSender(unknown).map((x) => x.kind)).toEqual(['quarantined']);
    expect(unknown.state).toBe('quarantined');
    expect(unknown.outcome).toMatch(/^unknown sender: .*case 999999 is not open/);
  });
});

describe('DSK-3 who may act on a case', () => {
  const base = {
    messageId: 'm1',
    caseNumber: '123456',
    registryCase,
    program: program('altigen'),
    programSenders: [] as string[],
  };
  it.each([
    ['a partner contact', mail(), ['ops@partner.example'], {}, 'ok'],
    ['a contact written in capitals in the registry', mail(), ['OPS@Partner.Example'], {}, 'ok'],
    [
      'a stranger: quarantined, reps told, the sender told nothing of the case',
      mail({ from: 'x@evil.example' }),
      ['ops@partner.example'],
      {},
      'unknown sender',
    ],
    ['no From at all', mail({ from: '' }), ['ops@partner.example'], {}, 'unknown sender'],
    ['a partner missing from the registry', mail(), undefined, {}, 'unknown sender'],
    [
      'a From the trusted host did not pass',
      mail(),
      ['ops@partner.example'],
      { authentication: { ok: false, reason: 'dmarc=fail' } },
      'sender not authenticated',
    ],
    [
      'a stranger a rep vouched for',
      mail({ from: 'x@evil.example' }),
      ['ops@partner.example'],
      { releasedBy: 'rep@desk.example' },
      'ok',
    ],
  ])('DSK-3 %s', (_what, m, contacts, extra, want) => {
    const r = checkSender({ ...base, mail: m, partnerContacts: contacts, ...extra });
    if (want === 'ok') return expect(r).toEqual({ ok: true });
    expect('outcome' in r && r.outcome.startsWith(want)).toBe(true);
    if (!('replies' in r)) throw new Error('expected an outcome');
    expect(r.state).toBe('quarantined');
    expect(r.replies[0]?.kind).toBe('rep-quarantine');
    // A forged (unauthenticated) From gets no reply at all; a stranger gets one that says nothing of the case.
    const toSender = r.replies.filter((x) => x.to === 'sender');
    expect(toSender.map((x) => [x.kind, x.data])).toEqual(
      want === 'unknown sender' && m.from ? [['quarantined', {}]] : [],
    );
  });

  it('LVX-5 a program adds its own senders (a LumenVox account contact)', () => {
    const r = checkSender({
      ...base,
      program: program('lumenvox'),
      mail: mail({ from: 'lic2@reseller.example' }),
      partnerContacts: ['ops@partner.example'],
      programSenders: ['lic2@reseller.example'],
    });
    expect(r).toEqual({ ok: true });
  });
});

describe('SWP-9 a program answers a mail whatever its forms say', () => {
  it.each([
    ['avaya-swap', 'Please refund the SWAP fee', ['final-sale', 'rep-quarantine']],
    ['avaya-swap', 'Can you undo the SWAP?', ['final-sale', 'rep-quarantine']],
    ['avaya-swap', 'Forms attached.', []],
    ['altigen', 'Please refund the fee', []],
  ])('SWP-9 %s: "%s"', (id, text, kinds) => {
    expect(programAnswer(program(id), mail(), 'm1', '123456', text).map((r) => r.kind)).toEqual(kinds);
  });
});

describe('DSK-6 merging a mail into its case', () => {
  it('DSK-6 the first mail opens the case, tells reps (DSK-7) and queues its review', () => {
    const r = mergeMail(undefined, registryCase, message('m1'), noForms(), now);
    if ('skip' in r) throw new Error('expected a step');
    expect(r.created).toBe(true);
    expect(r.action).toBe('case-opened');
    expect(r.doc.state).toBe('received');
    expect(r.effects.map((e) => (e.type === 'mail' ? e.kind : e.type))).toEqual([
      'rep-new-case',
      'cancel-partner-timers',
      'review',
    ]);
  });

  it('DSK-4 the same message again (a retried intake) commits nothing and only finishes the work', () => {
    const first = mergeMail(undefined, registryCase, message('m1'), noForms(), now);
    if ('skip' in first) throw new Error('expected a step');
    const again = mergeMail(first.doc, registryCase, message('m1'), noForms(), now);
    expect('skip' in again && again.skip).toBe('already on case 123456');
    expect(again.effects.map((e) => (e.type === 'mail' ? e.kind : e.type))).toEqual(['rep-new-case', 'review']);
  });

  it('DSK-6 a retried intake asks for the review as of its merge, so a case the sweep reviewed meanwhile is not decided twice', () => {
    const first = mergeMail(undefined, registryCase, message('m1'), noForms(), now);
    if ('skip' in first) throw new Error('expected a step');
    // The intake died before its effects; the sweep's review decided the case an hour later.
    const reviewed = {
      ...first.doc,
      state: 'waiting-partner' as const,
      updatedAt: new Date(now.getTime() + 3600_000).toISOString(),
      reviewedFor: `sweep-${now.getTime()}`,
    };
    const again = mergeMail(reviewed, registryCase, message('m1'), noForms(), new Date(now.getTime() + 7200_000));
    if (!('skip' in again)) throw new Error('expected a skip');
    expect(again.effects.filter((e) => e.type === 'review')).toEqual([
      { type: 'review', reason: 'm1', asOf: first.doc.updatedAt },
    ]);
    expect(first.doc.updatedAt).not.toBe(reviewed.updatedAt);
  });

  it('DSK-6 a later mail replaces the forms it carries; a closed case records the mail but not its forms', () => {
    const open = newCaseDoc({ number: '123456', program: 'altigen', partnerId: 'P-1', systemKey: 'SYS-2', at: now });
    open.messages.push(message('m0'));
    const read = noForms();
    read.forms['sso-migration/v1'] = { formId: 'sso-migration/v1', caseNumber: '123456' };
    const later = mergeMail(open, registryCase, message('m2'), read, now);
    if ('skip' in later) throw new Error('expected a step');
    expect(Object.keys(later.doc.forms)).toEqual(['sso-migration/v1']);
    expect(later.effects.map((e) => e.type)).toEqual(['cancel-partner-timers', 'review']);
    const closed = { ...open, state: 'transferred' as const };
    const late = mergeMail(closed, registryCase, message('m3'), read, now);
    if ('skip' in late) throw new Error('expected a step');
    expect(late.doc.forms).toEqual({});
    expect(late.effects).toEqual([]);
    expect(late.outcome).toContain('forms not used');
  });

  it(`DSK-6 a case lists at most ${CASE_MESSAGES_KEPT} messages, the latest`, () => {
    let doc = newCaseDoc({ number: '123456', program: 'altigen', partnerId: 'P-1', systemKey: 'SYS-2', at: now });
    for (let i = 0; i < CASE_MESSAGES_KEPT + 5; i++) {
      const r = mergeMail(doc, registryCase, message(`m${i}`), noForms(), now);
      if ('skip' in r) throw new Error('expected a step');
      doc = r.doc;
    }
    expect(doc.messages).toHaveLength(CASE_MESSAGES_KEPT);
    expect(doc.messages.at(-1)?.id).toBe(`m${CASE_MESSAGES_KEPT + 4}`);
  });
});
