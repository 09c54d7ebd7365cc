/**
 * A delivery report counts only when it quotes a Message-ID the desk signed
 * for a mail it sent, and then only for that mail's recipients.
 */
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../lib/secret-box.js';
import { sameText } from '../../lib/secret-box.js';
import type { BounceInfo } from '../../mail/bounce.js';
import { verifyBounce } from '../../mail/bounce-verify.js';
import { caseFromDeskMessageId, deskMessageId, mailIdFromDeskMessageId } from '../../mail/message-id.js';
import type { OutboxRecord } from '../../store/outbox.js';

const box = new SecretBox('unit-secret-0123456789');
const MAIL = 'case.100001.rejected.1';
const sent: OutboxRecord = {
  mailId: MAIL,
  kind: 'rejected',
  status: 'sent',
  to: ['ops@acme.example'],
  subject: 's',
  messageId: deskMessageId(box, MAIL, 'desk@desk.test'),
  caseNumber: '100001',
  at: '2025-06-15T10:00:00Z',
};
const outbox = { get: async (id: string) => (id === MAIL ? sent : undefined) };
const bounce = (over: Partial<BounceInfo>): BounceInfo => ({
  isBounce: true,
  hard: true,
  recipients: ['ops@acme.example'],
  status: '5.1.1',
  ...over,
});

describe('bounce verification', () => {
  it("counts a bounce quoting a signed id of a sent mail, for that mail's recipients only", async () => {
    const v = await verifyBounce(
      box,
      outbox,
      bounce({ originalMessageId: sent.messageId, recipients: ['ops@acme.example', 'reps@desk.test'] }),
    );
    expect(v).toEqual({
      counted: true,
      mailId: MAIL,
      caseNumber: '100001',
      recipients: ['ops@acme.example'],
      strangers: ['reps@desk.test'],
    });
  });

  it('ignores a bounce with no Message-ID, a forged or unsigned one, one of mail never sent, and one naming only others', async () => {
    const forged = sent.messageId.replace(/\.([A-Za-z0-9_-]{12})@/, '.AAAAAAAAAAAA@');
    const unsent = deskMessageId(box, 'case.100001.transferred.1', 'desk@desk.test');
    for (const [why, b] of [
      ['no id', bounce({})],
      ['forged signature', bounce({ originalMessageId: forged })],
      ['not a desk id', bounce({ originalMessageId: '<abc@elsewhere.example>' })],
      [
        'signed by another secret',
        bounce({ originalMessageId: deskMessageId(new SecretBox('other-secret-xyz'), MAIL, 'desk@desk.test') }),
      ],
      ['never sent', bounce({ originalMessageId: unsent })],
      [
        'reps named on a partner mail',
        bounce({ originalMessageId: sent.messageId, recipients: ['reps@desk.test', 'sales@desk.test'] }),
      ],
    ] as const) {
      expect((await verifyBounce(box, outbox, b)).counted, why).toBe(false);
    }
  });

  it('reads signed Message-IDs with a constant-time comparison', () => {
    expect(mailIdFromDeskMessageId(box, sent.messageId)).toBe(MAIL);
    expect(caseFromDeskMessageId(box, sent.messageId)).toBe('100001');
    expect(
      mailIdFromDeskMessageId(
        box,
        sent.messageId.replace(
          /\.(.)([A-Za-z0-9_-]{11})@/,
          (_m, c: string, r: string) => `.${c === 'A' ? 'B' : 'A'}${r}@`,
        ),
      ),
    ).toBeUndefined();
    expect(sameText('abc', 'abc')).toBe(true);
    expect(sameText('abc', 'abd')).toBe(false);
    expect(sameText('abc', 'abcd')).toBe(false);
  });
});
