/**
 * Item 4: a kept IMAP copy is touched only while its Message-ID header is
 * exactly the stored mail's; an IMAP SEARCH HEADER match (a substring) is
 * never enough.
 */
import { describe, expect, it } from 'vitest';
import { comparableMessageId } from '../../workers/retention/imap-retention.js';

describe('DSK-5 the Message-ID a kept copy must carry', () => {
  it('compares in any case, with or without angle brackets, comments or folding', () => {
    expect(comparableMessageId('<ABC@Acme.Example>')).toBe(comparableMessageId('abc@acme.example'));
    expect(comparableMessageId(' <abc@acme.example> (sent by x)')).toBe('abc@acme.example');
    expect(comparableMessageId('\r\n <abc@acme.example>')).toBe('abc@acme.example');
    // The card strip's rebuild writes `@` as `<@>`: still the same mail.
    expect(comparableMessageId('<@>')).toBe(comparableMessageId('@'));
  });

  it('a Message-ID that is part of another is not it', () => {
    expect(comparableMessageId('<v1@acme.example>')).not.toBe(comparableMessageId('@'));
    expect(comparableMessageId('<v1@acme.example>')).not.toBe(comparableMessageId('example'));
    expect(comparableMessageId(undefined)).toBe('');
    expect(comparableMessageId('<v1@acme.example>')).not.toBe('');
  });
});
