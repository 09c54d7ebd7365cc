/**
 * DSK-3: the one mailbox a partner mail is from. The From header as mailparser
 * reads it (real RFC 5322 text), and as the ingester keeps the IMAP envelope's.
 */
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { envelopeFrom, envelopeSender, normaliseMailbox, senderMailbox } from '../../mail/sender-address.js';

const parse = (fromLines: string[]) =>
  simpleParser(Buffer.from([...fromLines, 'To: desk@desk.test', 'Subject: x', '', 'body', ''].join('\r\n')));

describe('DSK-3 the sender is exactly one well-formed mailbox', () => {
  it.each([
    ['a bare address', 'From: pat@acme.example', 'pat@acme.example'],
    ['a display name and angle brackets', 'From: "Pat Partner" <Pat@Acme.Example>', 'pat@acme.example'],
    ['an encoded display name', 'From: =?utf-8?q?P=C3=A4t?= <pat@acme.example>', 'pat@acme.example'],
    ['a display name that looks like an address', 'From: "victim@a.example" <pat@acme.example>', 'pat@acme.example'],
    ['an IDN domain, in IDNA ASCII', 'From: pat@BÜCHER.example', 'pat@xn--bcher-kva.example'],
  ])('%s is the sender', async (_what, line, want) => {
    expect(senderMailbox(await parse([line]))).toEqual({ ok: true, address: want });
  });

  it.each([
    ['one address holding a comma (item 3: the backscatter bypass)', ['From: <victim@a.example,attacker@b.example>']],
    ['two mailboxes', ['From: victim@a.example, attacker@b.example']],
    ['a group', ['From: partners: victim@a.example;']],
    ['two From headers', ['From: victim@a.example', 'From: attacker@b.example']],
    ['no From', []],
    ['a name without an address', ['From: undisclosed']],
    ['two @', ['From: victim@a.example@b.example']],
    ['a quoted local part holding a comma', ['From: <"victim@a.example,x"@b.example>']],
    ['a single-label domain', ['From: root@localhost']],
  ])('%s is refused', async (_what, lines) => {
    expect(senderMailbox(await parse(lines)).ok).toBe(false);
  });

  it('normalises what the reply limit keys and what is mailed, and refuses anything but one addr-spec', () => {
    expect(normaliseMailbox('Pat@Acme.Example')).toBe('pat@acme.example');
    expect(normaliseMailbox('victim@a.example,attacker@b.example')).toBeUndefined();
    expect(normaliseMailbox('victim@a.example attacker@b.example')).toBeUndefined();
    expect(normaliseMailbox('a..b@acme.example')).toBeUndefined();
    expect(normaliseMailbox('pat@acme.example.')).toBeUndefined();
    expect(normaliseMailbox('pat@[192.0.2.1]')).toBeUndefined();
    expect(normaliseMailbox('pat@-acme.example')).toBeUndefined();
  });

  it("the IMAP envelope's From: several addresses are kept together, and refused", () => {
    expect(envelopeFrom([{ address: 'pat@acme.example' }])).toBe('pat@acme.example');
    // Dovecot's envelope of `<victim@a.example,attacker@b.example>`.
    const both = envelopeFrom([{ address: 'victim@SYNTAX_ERROR' }, { address: 'attacker@b.example' }]);
    expect(both).toBe('victim@SYNTAX_ERROR, attacker@b.example');
    expect(envelopeSender(both).ok).toBe(false);
    expect(envelopeSender(undefined).ok).toBe(false);
    expect(envelopeSender('Pat@Acme.Example')).toEqual({ ok: true, address: 'pat@acme.example' });
  });
});
