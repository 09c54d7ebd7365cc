/** Loop guards (RFC 3834 and what responders write instead): automatic mail is never answered. */
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { automaticReason } from '../../mail/automatic.js';

const mail = (headers: string[]) =>
  simpleParser(
    Buffer.from(
      [
        'From: someone@acme.example',
        'To: desk@desk.test',
        'Subject: Re: Case 100001',
        'Message-ID: <a@acme.example>',
        ...headers,
        '',
        'I am away.',
        '',
      ].join('\r\n'),
    ),
  );

describe('automatic mail', () => {
  for (const [header, reason] of [
    ['Precedence: auto_reply', /Precedence: auto_reply/],
    ['X-Autoreply: yes', /X-Autoreply: yes/],
    ['X-Autorespond: Out of office', /X-Autorespond/],
    ['Auto-Submitted: auto-replied', /Auto-Submitted/],
    ['Precedence: bulk', /Precedence: bulk/],
  ] as const) {
    it(`is not answered: ${header}`, async () => {
      expect(automaticReason(await mail([header]), 'desk@desk.test')).toMatch(reason);
    });
  }

  it("a person's mail is answered", async () => {
    expect(automaticReason(await mail([]), 'desk@desk.test')).toBeUndefined();
    expect(automaticReason(await mail(['Auto-Submitted: no']), 'desk@desk.test')).toBeUndefined();
  });
});
